/**
 * A photo made smaller on the phone before it is queued: at most 1600 px on the long side, JPEG at
 * quality 0.8. Drawing the pixels anew also drops the camera's EXIF (place, device) on most
 * browsers; the server strips metadata anyway. The orientation of the EXIF is applied first.
 */
export const MAX_PHOTO_EDGE = 1600;
export const JPEG_QUALITY = 0.8;
export const PHOTO_TYPE = 'image/jpeg';

export interface Size {
  width: number;
  height: number;
}

/** The size that fits within max × max keeping the aspect ratio; never enlarged, never 0. */
export function fitWithin(width: number, height: number, max: number = MAX_PHOTO_EDGE): Size {
  if (!(width > 0) || !(height > 0)) throw new RangeError(`no image size: ${width} × ${height}`);
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

type Drawable = CanvasImageSource & { width: number; height: number };

/** What the resize needs from the browser; passed in so the choice is visible (and testable). */
export interface ResizeEnv {
  createImageBitmap?: ((image: Blob, options?: ImageBitmapOptions) => Promise<ImageBitmap>) | undefined;
  OffscreenCanvas?: typeof OffscreenCanvas | undefined;
  document?: Document | undefined;
  URL?: Pick<typeof URL, 'createObjectURL' | 'revokeObjectURL'> | undefined;
}

/** What this browser has (globalThis: the window). */
export function browserResizeEnv(): ResizeEnv {
  const g = globalThis as Partial<typeof globalThis>;
  return {
    createImageBitmap: typeof g.createImageBitmap === 'function' ? (image, options) => globalThis.createImageBitmap(image, options) : undefined,
    OffscreenCanvas: typeof g.OffscreenCanvas === 'function' ? g.OffscreenCanvas : undefined,
    document: g.document,
    URL: g.URL,
  };
}

function drawOn(ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D, image: Drawable, size: Size): void {
  // JPEG has no transparency: a transparent PNG gets white, not black.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size.width, size.height);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, size.width, size.height);
}

async function viaOffscreen(Offscreen: typeof OffscreenCanvas, image: Drawable, size: Size): Promise<Blob> {
  const canvas = new Offscreen(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  drawOn(ctx, image, size);
  return canvas.convertToBlob({ type: PHOTO_TYPE, quality: JPEG_QUALITY });
}

function viaCanvas(doc: Document, image: Drawable, size: Size): Promise<Blob> {
  const canvas = doc.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2d context'));
  drawOn(ctx, image, size);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no JPEG'))), PHOTO_TYPE, JPEG_QUALITY);
  });
}

async function loadImage(env: ResizeEnv, file: Blob): Promise<{ image: Drawable; release(): void }> {
  if (env.createImageBitmap) {
    const bitmap = await env.createImageBitmap(file, { imageOrientation: 'from-image' });
    return { image: bitmap, release: () => bitmap.close() };
  }
  if (!env.document || !env.URL) throw new Error('this browser cannot read images');
  const url = env.URL.createObjectURL(file);
  const img = env.document.createElement('img');
  img.src = url;
  try {
    await img.decode();
  } catch (error) {
    env.URL.revokeObjectURL(url);
    throw error;
  }
  const revoke = env.URL.revokeObjectURL.bind(env.URL);
  // naturalWidth/Height: the oriented size of the image.
  const image = Object.assign(img, { width: img.naturalWidth, height: img.naturalHeight });
  return { image, release: () => revoke(url) };
}

/** The photo as a JPEG of at most 1600 px on the long side. Rejects when the image cannot be decoded. */
export async function resizePhoto(file: Blob, env: ResizeEnv): Promise<Blob> {
  const { image, release } = await loadImage(env, file);
  try {
    const size = fitWithin(image.width, image.height);
    const blob =
      env.OffscreenCanvas && env.createImageBitmap
        ? await viaOffscreen(env.OffscreenCanvas, image, size)
        : env.document
          ? await viaCanvas(env.document, image, size)
          : await Promise.reject(new Error('this browser has no canvas'));
    if (blob.type !== PHOTO_TYPE) throw new Error(`the browser made ${blob.type || 'an unknown type'}, not JPEG`);
    return blob;
  } finally {
    release();
  }
}
