/**
 * Metadata stripping of residents' photos (issue 7) on REAL files made by ImageMagick, exiftool and
 * libwebp (tests/fixtures/photos/README.md has the commands; the images are synthetic gradients
 * with fake GPS, camera make, comment and creator). Broken and hostile variants are made here from
 * those files in memory. ImageMagick / exiftool are only used, when installed, to confirm that the
 * stripped files still decode to the same pixels and carry no metadata.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, PhotoRejected, sniffPhotoType, stripPhotoMetadata, type PhotoType } from './strip-metadata.ts';
import { mulberry32 } from '../../model/prng.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/photos/', import.meta.url));
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const contains = (hay: Uint8Array, needle: string): boolean => Buffer.from(hay).includes(latin1(needle));
const cat = (...parts: (Uint8Array | string)[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? latin1(p) : p))));

/** Every secret the fixtures were given, and the EXIF / big-endian TIFF headers. */
const SECRETS = ['TestPhone', 'secret', 'someone', 'Exif\0\0', 'MM\0*\0\0\0\x08', 'GPS'];

// ---- independent little parsers of the parts that carry the pixels

function jpegFromSos(b: Uint8Array): Uint8Array {
  let i = 2;
  while (b[i + 1] !== 0xda) i += 2 + Buffer.from(b).readUInt16BE(i + 2);
  return b.subarray(i);
}
function pngChunks(b: Uint8Array): { type: string; data: Buffer }[] {
  const buf = Buffer.from(b);
  const out: { type: string; data: Buffer }[] = [];
  for (let i = 8; i < buf.length; ) {
    const len = buf.readUInt32BE(i);
    out.push({ type: buf.toString('latin1', i + 4, i + 8), data: buf.subarray(i + 8, i + 8 + len) });
    i += 12 + len;
  }
  return out;
}
const pngIdat = (b: Uint8Array): Buffer => Buffer.concat(pngChunks(b).filter((c) => c.type === 'IDAT').map((c) => c.data));
function webpChunks(b: Uint8Array): { fourcc: string; data: Buffer }[] {
  const buf = Buffer.from(b);
  const out: { fourcc: string; data: Buffer }[] = [];
  for (let i = 12; i < buf.length; ) {
    const size = buf.readUInt32LE(i + 4);
    out.push({ fourcc: buf.toString('latin1', i, i + 4), data: buf.subarray(i + 8, i + 8 + size) });
    i += 8 + size + (size & 1);
  }
  return out;
}
const webpImage = (b: Uint8Array): Buffer | undefined => webpChunks(b).find((c) => c.fourcc === 'VP8 ' || c.fourcc === 'VP8L')?.data;

function rejection(bytes: Uint8Array, opts?: { maxBytes?: number }): string {
  try {
    stripPhotoMetadata(bytes, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(PhotoRejected);
    return (err as PhotoRejected).reason;
  }
  throw new Error('expected a PhotoRejected');
}

function hasTool(cmd: string, arg: string): boolean {
  try {
    execFileSync(cmd, [arg], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
const HAS_IDENTIFY = hasTool('identify', '-version');
const HAS_EXIFTOOL = hasTool('exiftool', '-ver');

let tmp: string | undefined;
function tempCopy(name: string, bytes: Uint8Array): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'strip-metadata-'));
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const CASES: { file: string; type: PhotoType; secrets: string[]; removed: string[]; pixels: (b: Uint8Array) => Uint8Array | undefined }[] = [
  { file: 'photo.jpg', type: 'image/jpeg', secrets: ['TestPhone', 'secret', 'someone', 'Exif\0\0'], removed: ['EXIF (APP1)', 'XMP (APP1)', 'COM'], pixels: jpegFromSos },
  { file: 'photo.png', type: 'image/png', secrets: ['TestPhone', 'secret', 'someone', 'MM\0*\0\0\0\x08'], removed: ['tIME', 'text (tEXt)', 'XMP (iTXt)', 'EXIF (eXIf)'], pixels: pngIdat },
  { file: 'photo.webp', type: 'image/webp', secrets: ['TestPhone', 'someone', 'MM\0*\0\0\0\x08'], removed: ['EXIF (EXIF chunk)', 'XMP (XMP chunk)'], pixels: webpImage },
  { file: 'photo-lossless.webp', type: 'image/webp', secrets: ['TestPhone', 'MM\0*\0\0\0\x08'], removed: ['EXIF (EXIF chunk)'], pixels: webpImage },
];

describe.each(CASES)('$file', ({ file, type, secrets, removed, pixels }) => {
  const original = read(file);
  const out = stripPhotoMetadata(original);

  it('is recognised by its bytes', () => {
    expect(sniffPhotoType(original)).toBe(type);
    expect(out.type).toBe(type);
  });

  it('loses the GPS, make, comment and creator', () => {
    for (const s of secrets) expect(contains(original, s), `fixture has ${JSON.stringify(s)}`).toBe(true);
    for (const s of SECRETS) expect(contains(out.bytes, s), `stripped still has ${JSON.stringify(s)}`).toBe(false);
    expect(out.removed).toEqual(removed);
    expect(out.bytes.length).toBeLessThan(original.length);
  });

  it('keeps the pixel data byte for byte', () => {
    const before = pixels(original);
    expect(before?.length).toBeGreaterThan(0);
    expect(Buffer.from(pixels(out.bytes) ?? [])).toEqual(Buffer.from(before ?? [1]));
  });

  it('is idempotent', () => {
    const again = stripPhotoMetadata(out.bytes);
    expect(again.removed).toEqual([]);
    expect(Buffer.from(again.bytes)).toEqual(Buffer.from(out.bytes));
  });

  it.skipIf(!HAS_IDENTIFY)('still decodes to the same pixels (ImageMagick identify; skipped when not installed)', () => {
    const sig = (path: string): string => execFileSync('identify', ['-format', '%m %w %h %#', path], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const before = sig(tempCopy(`original-${file}`, original));
    expect(before).toMatch(/^(JPEG|PNG|WEBP) 64 48 [0-9a-f]{64}$/);
    expect(sig(tempCopy(`stripped-${file}`, out.bytes))).toBe(before);
  });

  it.skipIf(!HAS_EXIFTOOL)('has no metadata left according to exiftool (skipped when not installed)', () => {
    const json = execFileSync('exiftool', ['-j', '-a', '-G1', tempCopy(`exif-${file}`, out.bytes)]).toString();
    const tags = Object.keys((JSON.parse(json) as Record<string, unknown>[])[0] ?? {});
    expect(tags.filter((t) => /GPS|Make|Comment|Creator|IFD0|XMP|ExifIFD/i.test(t))).toEqual([]);
  });
});

describe('format details', () => {
  it('JPEG keeps APP0 JFIF and drops data after EOI and segments between scans', () => {
    const jpg = read('photo.jpg');
    const clean = stripPhotoMetadata(jpg).bytes;
    expect(Buffer.from(clean.subarray(0, 11))).toEqual(latin1('\xff\xd8\xff\xe0\x00\x10JFIF\0'));
    const withTrailer = cat(jpg, 'SEFT trailer: TestPhone 51.16N 5.87E');
    const t = stripPhotoMetadata(withTrailer);
    expect(Buffer.from(t.bytes)).toEqual(Buffer.from(clean));
    expect(t.removed).toContain('data after the end of the image');
    // a COM segment just before EOI is walked and dropped, the scan data around it stays
    const withCom = cat(jpg.subarray(0, jpg.length - 2), '\xff\xfe\x00\x08secret\xff\xd9');
    expect(Buffer.from(stripPhotoMetadata(withCom).bytes)).toEqual(Buffer.from(clean));
  });

  it('PNG keeps the display chunks and drops data after IEND', () => {
    const png = read('photo.png');
    const out = stripPhotoMetadata(cat(png, 'trailing TestPhone'));
    expect(pngChunks(out.bytes).map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'cHRM', 'bKGD', 'IDAT', 'IEND']);
    expect(out.removed).toContain('data after IEND');
  });

  it('WebP gets a correct RIFF size and VP8X without the EXIF/XMP flags', () => {
    const out = stripPhotoMetadata(read('photo.webp')).bytes;
    const buf = Buffer.from(out);
    expect(buf.readUInt32LE(4)).toBe(out.length - 8);
    const vp8x = webpChunks(out)[0];
    expect(vp8x?.fourcc).toBe('VP8X');
    expect((vp8x?.data[0] ?? 0xff) & 0x0c).toBe(0);
    expect(webpChunks(out).map((c) => c.fourcc)).toEqual(['VP8X', 'VP8 ']);
  });
});

describe('rejections', () => {
  it('refuses SVG, text, XML and other formats by their bytes, naming the problem', () => {
    const svg = read('drawing.svg');
    expect(sniffPhotoType(svg)).toBeNull();
    expect(rejection(svg)).toBe('SVG is not accepted; upload a JPEG, PNG or WebP photo');
    expect(rejection(latin1('Hallo, dit is geen foto.\n'))).toBe('not a JPEG, PNG or WebP image (the first bytes look like text)');
    expect(rejection(latin1('<?xml version="1.0"?><kml></kml>'))).toBe('not a JPEG, PNG or WebP image (the first bytes look like SVG/XML/HTML)');
    expect(rejection(latin1('GIF89a\x01\x00\x01\x00'))).toMatch(/^GIF is not accepted/);
    expect(rejection(latin1('\0\0\0\x18ftypheic\0\0\0\0'))).toMatch(/^HEIC\/HEIF is not accepted/);
    expect(rejection(latin1('RIFF\x04\0\0\0WAVE'))).toMatch(/first bytes look like binary data 52 49 46 46/);
    expect(rejection(new Uint8Array())).toBe('the file is empty');
  });

  it('refuses a truncated JPEG, naming the offset', () => {
    const jpg = read('photo.jpg');
    expect(rejection(jpg.subarray(0, 100))).toBe('truncated JPEG: segment FFE1 at byte 20 runs past the end');
    expect(rejection(jpg.subarray(0, jpg.length - 100))).toBe('truncated JPEG: no end of image (FFD9) after the scan at byte 3394');
    expect(rejection(jpg.subarray(0, 3394))).toBe('truncated JPEG: no image data (SOS) before the end at byte 3394');
  });

  it('refuses a JPEG whose segment length runs past the end, or is zero', () => {
    const jpg = new Uint8Array(read('photo.jpg'));
    expect(jpg[3131 + 1]).toBe(0xfe); // the COM segment
    jpg.set([0xff, 0xff], 3133);
    expect(rejection(jpg)).toBe('truncated JPEG: segment FFFE at byte 3131 runs past the end');
    jpg.set([0x00, 0x00], 3133);
    expect(rejection(jpg)).toBe('corrupt JPEG: segment FFFE at byte 3131 has length 0');
  });

  it('refuses broken PNG and WebP structure, naming the offset', () => {
    const png = new Uint8Array(read('photo.png'));
    expect(rejection(png.subarray(0, 500))).toMatch(/^truncated PNG: chunk \S+ at byte \d+ runs past the end$/);
    const flipped = new Uint8Array(png);
    flipped[8 + 8] = (flipped[8 + 8] ?? 0) ^ 1; // the IHDR width
    expect(rejection(flipped)).toBe('corrupt PNG: CRC mismatch in chunk IHDR at byte 8');
    const huge = new Uint8Array(png);
    huge.set([0xff, 0xff, 0xff, 0xf0], 8);
    expect(rejection(huge)).toBe('truncated PNG: chunk IHDR at byte 8 runs past the end');
    const webp = read('photo.webp');
    expect(rejection(webp.subarray(0, 200))).toMatch(/^truncated WebP: the RIFF header at byte 0 says 3256 bytes/);
    const bigChunk = new Uint8Array(webp);
    bigChunk.set([0xff, 0xff, 0xff, 0x7f], 12 + 18 + 4); // the VP8 chunk size
    expect(rejection(bigChunk)).toBe("truncated WebP: chunk 'VP8 ' at byte 30 runs past the end");
  });

  it('refuses an oversized file before looking at it', () => {
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set(read('photo.jpg'));
    expect(rejection(big)).toBe('the file is 8.1 MB; at most 8 MB');
    expect(rejection(new Uint8Array(13 * 1024 * 1024))).toBe('the file is 13 MB; at most 8 MB');
    expect(rejection(read('photo.jpg'), { maxBytes: 2048 })).toBe('the file is 3.6 kB; at most 2 kB');
  });
});

describe('hostile input', () => {
  // a seeded PRNG, so a failure can be replayed
  const prng = mulberry32;

  it('500 random truncations and bit flips give a stripped image or a PhotoRejected, never anything else', () => {
    const rnd = prng(7);
    const int = (n: number): number => Math.floor(rnd() * n);
    const sources = CASES.map((c) => read(c.file));
    const outcomes = { ok: 0, rejected: 0 };
    const started = Date.now();
    for (let n = 0; n < 500; n++) {
      const src = sources[n % sources.length] ?? new Uint8Array();
      let b = new Uint8Array(src);
      const kind = int(4);
      if (kind !== 1) {
        for (let k = 1 + int(8); k > 0; k--) {
          const at = int(b.length);
          b[at] = (b[at] ?? 0) ^ (1 << int(8));
        }
      }
      if (kind === 1 || kind === 3) b = b.slice(0, int(b.length + 1));
      if (kind === 2) b.fill(int(2) ? 0xff : 0x00, int(b.length), int(b.length) + 4); // clobber a length field
      try {
        const out = stripPhotoMetadata(b);
        expect(out.bytes.length).toBeLessThanOrEqual(b.length);
        expect(out.type).toBe(sniffPhotoType(b));
        outcomes.ok++;
      } catch (err) {
        if (!(err instanceof PhotoRejected)) throw new Error(`case ${n} (kind ${kind}) threw ${String(err)}`);
        expect(err.message.length).toBeGreaterThan(10);
        outcomes.rejected++;
      }
    }
    expect(outcomes.ok + outcomes.rejected).toBe(500);
    expect(outcomes.rejected).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
