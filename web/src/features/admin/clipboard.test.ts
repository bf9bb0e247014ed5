import { describe, expect, it } from 'vitest';
import { copyText } from './clipboard.ts';

describe('copyText', () => {
  it('writes the text and says so', async () => {
    const written: string[] = [];
    expect(await copyText('smh_secret', { writeText: (t) => Promise.resolve(void written.push(t)) })).toBe(true);
    expect(written).toEqual(['smh_secret']);
  });

  it('answers false without a clipboard or when it refuses', async () => {
    expect(await copyText('x', undefined)).toBe(false);
    expect(await copyText('x', { writeText: () => Promise.reject(new Error('NotAllowedError')) })).toBe(false);
  });
});
