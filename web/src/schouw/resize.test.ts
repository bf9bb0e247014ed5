import { describe, expect, it } from 'vitest';
import { fitWithin, JPEG_QUALITY, MAX_PHOTO_EDGE, resizePhoto, type ResizeEnv } from './resize.ts';

describe('fitWithin', () => {
  it('scales the long side down to 1600 px and keeps the aspect ratio', () => {
    expect(MAX_PHOTO_EDGE).toBe(1600);
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(4000, 4000)).toEqual({ width: 1600, height: 1600 });
  });

  it('never enlarges a small photo', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900 });
  });

  it('rounds and keeps at least one pixel', () => {
    expect(fitWithin(5000, 10)).toEqual({ width: 1600, height: 3 });
    expect(fitWithin(100_000, 1)).toEqual({ width: 1600, height: 1 });
    expect(fitWithin(1601, 1001)).toEqual({ width: 1600, height: 1000 });
  });

  it('takes another limit', () => {
    expect(fitWithin(1000, 500, 100)).toEqual({ width: 100, height: 50 });
  });

  it('refuses an image without a size', () => {
    expect(() => fitWithin(0, 100)).toThrow(RangeError);
    expect(() => fitWithin(Number.NaN, 100)).toThrow(RangeError);
  });
});

describe('resizePhoto', () => {
  it('draws the oriented bitmap at the fitted size and asks for a JPEG at 0.8', async () => {
    const drawn: number[][] = [];
    const asked: unknown[] = [];
    let closed = false;
    let orientation: unknown;
    class FakeOffscreen {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return {
          fillStyle: '',
          imageSmoothingQuality: 'low',
          fillRect: () => undefined,
          drawImage: (_img: unknown, x: number, y: number, w: number, h: number) => drawn.push([x, y, w, h, this.width, this.height]),
        };
      }
      convertToBlob(options: unknown) {
        asked.push(options);
        return Promise.resolve(new Blob(['jpeg'], { type: 'image/jpeg' }));
      }
    }
    const env: ResizeEnv = {
      createImageBitmap: (_file, options) => {
        orientation = options?.imageOrientation;
        return Promise.resolve({ width: 4032, height: 3024, close: () => (closed = true) } as ImageBitmap);
      },
      OffscreenCanvas: FakeOffscreen as unknown as typeof OffscreenCanvas,
    };
    const out = await resizePhoto(new Blob(['raw'], { type: 'image/heic' }), env);
    expect(out.type).toBe('image/jpeg');
    expect(orientation).toBe('from-image');
    expect(drawn).toEqual([[0, 0, 1600, 1200, 1600, 1200]]);
    expect(asked).toEqual([{ type: 'image/jpeg', quality: JPEG_QUALITY }]);
    expect(closed).toBe(true);
  });

  it('rejects when the image cannot be decoded', async () => {
    const env: ResizeEnv = { createImageBitmap: () => Promise.reject(new Error('undecodable')) };
    await expect(resizePhoto(new Blob(['x']), env)).rejects.toThrow('undecodable');
  });
});
