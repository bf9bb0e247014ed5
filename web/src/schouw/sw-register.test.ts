import { describe, expect, it } from 'vitest';
import { shellAssetPaths } from './sw-register.ts';

describe('shellAssetPaths', () => {
  it('keeps same-origin /assets/ files once, as paths', () => {
    const origin = 'https://samenhang.example';
    expect(
      shellAssetPaths(
        [
          'https://samenhang.example/assets/schouw-abc.js',
          'https://samenhang.example/assets/schouw-abc.js',
          '/assets/maplibre-gl-worker-x.mjs',
          'https://samenhang.example/api/walk/me',
          'https://tiles.example/assets/1/2/3.png',
          'https://samenhang.example/schouw/manifest.webmanifest',
        ],
        origin,
      ),
    ).toEqual(['/assets/schouw-abc.js', '/assets/maplibre-gl-worker-x.mjs']);
  });
});
