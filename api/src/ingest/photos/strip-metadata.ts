/**
 * Photos of hotspots posted by residents from their phones (issue 7): check the type by the bytes
 * and strip the metadata WITHOUT re-encoding the pixels. Pure, no dependencies, no I/O.
 *
 * - The type comes from the magic bytes only (never the file name or the declared MIME type).
 *   Only JPEG, PNG and WebP are accepted; SVG, GIF, HEIC/AVIF, TIFF, PDF, text, ... are rejected.
 * - JPEG: the marker segments up to the first SOS are walked; APP1..APP15 (EXIF with GPS, XMP, MPF,
 *   IPTC, ...) and COM are dropped, except the two listed as KEPT below. After the SOS the scan data
 *   is copied byte for byte (DQT/DHT/SOF/... stay as they are); only APPn/COM segments between
 *   progressive scans and any bytes after EOI (phone trailers, appended images) are dropped.
 *   A JPEG without EOI is rejected as truncated.
 * - PNG: every chunk length and CRC is checked; only the chunks needed to show the image are kept
 *   (IHDR PLTE IDAT IEND tRNS gAMA cHRM sRGB iCCP sBIT cICP mDCV cLLI pHYs bKGD). So tEXt, zTXt,
 *   iTXt (XMP), eXIf, tIME and unknown ancillary chunks go; an APNG keeps only its still image.
 * - WebP: EXIF and XMP chunks (and any unknown chunk) are dropped, the RIFF size is rewritten and
 *   the EXIF/XMP flags of VP8X are cleared. VP8/VP8L/ALPH/ANIM/ANMF data is copied unchanged.
 *
 * KEPT on purpose, because they change how the pixels look and carry no location or person data:
 * the colour profile (JPEG APP2 ICC_PROFILE, PNG iCCP, WebP ICCP), JPEG APP0 JFIF (its thumbnail is
 * cut off) and JPEG APP14 Adobe (colour transform flag), and PNG gamma/chromaticity/density chunks.
 *
 * Hostile input: every length is checked against the end before use and every loop advances by at
 * least one byte, so no read out of range and no endless loop; anything malformed is a
 * PhotoRejected naming the byte offset.
 */

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

export class PhotoRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PhotoRejected';
  }
}

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export interface StrippedPhoto {
  type: PhotoType;
  bytes: Uint8Array;
  /** What was taken out, e.g. ['EXIF (APP1)', 'XMP (APP1)', 'COM'], each once, in file order. */
  removed: string[];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Uint8Array, at: number, text: string | number[]): boolean => {
  const want = typeof text === 'string' ? [...text].map((c) => c.charCodeAt(0)) : text;
  return at + want.length <= b.length && want.every((v, k) => b[at + k] === v);
};
const ascii = (b: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));
const be16 = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const be32 = (b: Uint8Array, i: number): number => be16(b, i) * 0x10000 + be16(b, i + 2);
const le32 = (b: Uint8Array, i: number): number =>
  ((b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16)) + (b[i + 3] ?? 0) * 0x1000000;
const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, 0, 'RIFF') && startsWith(bytes, 8, 'WEBP')) return 'image/webp';
  return null;
}

/** Why a file that is not JPEG/PNG/WebP is refused, in words an uploader understands. */
function describeOther(b: Uint8Array): string {
  if (b.length === 0) return 'the file is empty';
  const head = ascii(b, 0, 1024).replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').trimStart().toLowerCase();
  if (/<svg[\s>]/.test(head) || head.includes('<!doctype svg')) return 'SVG is not accepted; upload a JPEG, PNG or WebP photo';
  const known: [boolean, string][] = [
    [startsWith(b, 0, 'GIF8'), 'GIF'],
    [startsWith(b, 4, 'ftyp') && /^(hei|hev|mif1|msf1|heix)/.test(ascii(b, 8, 12)), 'HEIC/HEIF'],
    [startsWith(b, 4, 'ftyp') && /^avi[fs]/.test(ascii(b, 8, 12)), 'AVIF'],
    [startsWith(b, 0, 'II*\0') || startsWith(b, 0, 'MM\0*'), 'TIFF'],
    [startsWith(b, 0, 'BM'), 'BMP'],
    [startsWith(b, 0, '%PDF'), 'PDF'],
    [startsWith(b, 0, 'PK\x03\x04'), 'ZIP'],
  ];
  const hit = known.find(([match]) => match);
  if (hit) return `${hit[1]} is not accepted; upload a JPEG, PNG or WebP photo`;
  const looks = head.startsWith('<')
    ? 'SVG/XML/HTML'
    : [...b.subarray(0, 64)].every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128)
      ? 'text'
      : `binary data ${[...b.subarray(0, 4)].map(hex).join(' ')}`;
  return `not a JPEG, PNG or WebP image (the first bytes look like ${looks})`;
}

export function stripPhotoMetadata(bytes: Uint8Array, opts?: { maxBytes?: number }): StrippedPhoto {
  const max = opts?.maxBytes ?? MAX_PHOTO_BYTES;
  if (bytes.length > max) {
    // In the unit of the limit; the size rounded up, so it never reads as equal to the limit.
    const [unit, name] = max >= 1048576 ? [1048576, 'MB'] : max >= 1024 ? [1024, 'kB'] : [1, 'bytes'];
    const size = Math.ceil((bytes.length / unit) * 10) / 10;
    throw new PhotoRejected(`the file is ${size} ${name}; at most ${Math.round((max / unit) * 10) / 10} ${name}`);
  }
  const type = sniffPhotoType(bytes);
  if (type === null) throw new PhotoRejected(describeOther(bytes));
  const removed = new Set<string>();
  const parts = type === 'image/jpeg' ? stripJpeg(bytes, removed) : type === 'image/png' ? stripPng(bytes, removed) : stripWebp(bytes, removed);
  return { type, bytes: concat(parts), removed: [...removed] };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- JPEG

/** The bytes to keep of the marker segment b[start, end): itself, a cut-down copy, or null (dropped). */
function jpegSegment(b: Uint8Array, m: number, start: number, end: number, removed: Set<string>): Uint8Array | null {
  const label = jpegDropLabel(b, m, start, end);
  if (label === null) return b.subarray(start, end);
  removed.add(label);
  if (label !== 'JFIF thumbnail (APP0)') return null;
  const cut = b.slice(start, start + 18); // the 14 fixed JFIF bytes, thumbnail size set to 0 x 0
  cut.set([0, 16], 2);
  cut.set([0, 0], 16);
  return cut;
}

/** Why a segment goes (null: it stays). */
function jpegDropLabel(b: Uint8Array, m: number, start: number, end: number): string | null {
  const p = start + 4;
  if (m === 0xfe) return 'COM';
  if (m < 0xe0 || m > 0xef) return null;
  if (m === 0xe0 && startsWith(b, p, 'JFIF\0') && end - start >= 18) return end - start === 18 ? null : 'JFIF thumbnail (APP0)';
  if (m === 0xe0 && startsWith(b, p, 'JFXX\0')) return 'JFXX thumbnail (APP0)';
  if (m === 0xe1 && startsWith(b, p, 'Exif\0')) return 'EXIF (APP1)';
  if (m === 0xe1 && startsWith(b, p, 'http://ns.adobe.com/')) return 'XMP (APP1)';
  if (m === 0xe2 && startsWith(b, p, 'ICC_PROFILE\0')) return null;
  if (m === 0xe2 && startsWith(b, p, 'MPF\0')) return 'MPF (APP2)';
  if (m === 0xed && startsWith(b, p, 'Photoshop 3.0\0')) return 'IPTC/Photoshop (APP13)';
  if (m === 0xee && startsWith(b, p, 'Adobe')) return null;
  return `APP${m - 0xe0}`;
}

/** The end of the length-prefixed segment whose marker FF m sits at byte i. */
function jpegSegmentEnd(b: Uint8Array, i: number, m: number): number {
  if (m === 0xd8 || m === 0xd9 || m === 0x01 || (m >= 0xd0 && m <= 0xd7) || m === 0x00 || m === 0xff) {
    throw new PhotoRejected(`corrupt JPEG: unexpected marker FF${hex(m)} at byte ${i}`);
  }
  const len = be16(b, i + 2);
  if (i + 4 > b.length || i + 2 + len > b.length) {
    throw new PhotoRejected(`truncated JPEG: segment FF${hex(m)} at byte ${i} runs past the end`);
  }
  if (len < 2) throw new PhotoRejected(`corrupt JPEG: segment FF${hex(m)} at byte ${i} has length ${len}`);
  return i + 2 + len;
}

function stripJpeg(b: Uint8Array, removed: Set<string>): Uint8Array[] {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  // Header: marker segments up to the first SOS.
  for (;;) {
    if (i >= b.length) throw new PhotoRejected(`truncated JPEG: no image data (SOS) before the end at byte ${i}`);
    if (b[i] !== 0xff) throw new PhotoRejected(`corrupt JPEG: expected a marker at byte ${i}, found ${hex(b[i] ?? 0)}`);
    while (b[i + 1] === 0xff) i++; // fill bytes before a marker
    if (i + 1 >= b.length) throw new PhotoRejected(`truncated JPEG: marker at byte ${i} runs past the end`);
    const m = b[i + 1] ?? 0;
    const end = jpegSegmentEnd(b, i, m);
    if (m === 0xda) break;
    const kept = jpegSegment(b, m, i, end, removed);
    if (kept) parts.push(kept);
    i = end;
  }
  // Scan data: copied unchanged up to EOI; segments between progressive scans are walked as above.
  const sos = i;
  let copyFrom = i;
  let j = jpegSegmentEnd(b, i, 0xda);
  for (;;) {
    while (j + 1 < b.length) {
      const n = b[j + 1] ?? 0;
      if (b[j] === 0xff && n !== 0x00 && n !== 0xff && (n < 0xd0 || n > 0xd7)) break;
      j++;
    }
    if (j + 1 >= b.length) throw new PhotoRejected(`truncated JPEG: no end of image (FFD9) after the scan at byte ${sos}`);
    const m = b[j + 1] ?? 0;
    if (m === 0xd9) {
      parts.push(b.subarray(copyFrom, j + 2));
      if (j + 2 < b.length) removed.add('data after the end of the image');
      return parts;
    }
    const end = jpegSegmentEnd(b, j, m);
    const kept = jpegSegment(b, m, j, end, removed);
    if (kept?.length !== end - j) {
      parts.push(b.subarray(copyFrom, j));
      if (kept) parts.push(kept);
      copyFrom = end;
    }
    j = end;
  }
}

// ---------------------------------------------------------------- PNG

const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'cICP', 'mDCV', 'cLLI', 'pHYs', 'bKGD']);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array, from: number, to: number): number {
  let c = 0xffffffff;
  for (let k = from; k < to; k++) c = (CRC_TABLE[(c ^ (b[k] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngLabel(b: Uint8Array, type: string, data: number): string {
  if (type === 'eXIf') return 'EXIF (eXIf)';
  if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') return type;
  const keyword = ascii(b, data, data + 80).split('\0')[0] ?? '';
  if (keyword === 'XML:com.adobe.xmp') return `XMP (${type})`;
  const raw = /^Raw profile type (exif|app1|iptc|xmp)$/i.exec(keyword)?.[1]?.toLowerCase();
  if (raw) return `${raw === 'iptc' ? 'IPTC' : raw === 'xmp' ? 'XMP' : 'EXIF'} (${type})`;
  return `text (${type})`;
}

function stripPng(b: Uint8Array, removed: Set<string>): Uint8Array[] {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8;
  let idat = false;
  for (;;) {
    if (i + 12 > b.length) throw new PhotoRejected(`truncated PNG: chunk at byte ${i} runs past the end (no IEND)`);
    const len = be32(b, i);
    const type = ascii(b, i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PhotoRejected(`corrupt PNG: invalid chunk type at byte ${i}`);
    if (len > 0x7fffffff || i + 12 + len > b.length) {
      throw new PhotoRejected(`truncated PNG: chunk ${type} at byte ${i} runs past the end`);
    }
    const end = i + 12 + len;
    if (crc32(b, i + 4, end - 4) !== be32(b, end - 4)) throw new PhotoRejected(`corrupt PNG: CRC mismatch in chunk ${type} at byte ${i}`);
    if ((i === 8) !== (type === 'IHDR')) throw new PhotoRejected(`corrupt PNG: IHDR must come first, found ${type} at byte ${i}`);
    if (PNG_KEEP.has(type)) parts.push(b.subarray(i, end));
    else if (type.charCodeAt(0) < 0x61) throw new PhotoRejected(`unsupported PNG: unknown critical chunk ${type} at byte ${i}`);
    else removed.add(pngLabel(b, type, i + 8));
    idat ||= type === 'IDAT';
    i = end;
    if (type === 'IEND') break;
  }
  if (!idat) throw new PhotoRejected('corrupt PNG: no image data (IDAT)');
  if (i < b.length) removed.add('data after IEND');
  return parts;
}

// ---------------------------------------------------------------- WebP

const WEBP_KEEP = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(b: Uint8Array, removed: Set<string>): Uint8Array[] {
  const riffEnd = 8 + le32(b, 4);
  if (b.length < 12 || riffEnd > b.length) throw new PhotoRejected(`truncated WebP: the RIFF header at byte 0 says ${riffEnd} bytes, the file has ${b.length}`);
  const parts: Uint8Array[] = [];
  let i = 12;
  let image = false;
  while (i < riffEnd) {
    if (i + 8 > riffEnd) throw new PhotoRejected(`truncated WebP: chunk header at byte ${i} runs past the end`);
    const fourcc = ascii(b, i, i + 4);
    const size = le32(b, i + 4);
    const end = i + 8 + size + (size & 1);
    if (end > riffEnd) throw new PhotoRejected(`truncated WebP: chunk '${fourcc}' at byte ${i} runs past the end`);
    if (i === 12 && fourcc !== 'VP8X' && fourcc !== 'VP8 ' && fourcc !== 'VP8L') {
      throw new PhotoRejected(`corrupt WebP: first chunk '${fourcc}' at byte 12 is not VP8X, VP8 or VP8L`);
    }
    if (fourcc === 'VP8X') {
      if (i !== 12 || size < 10) throw new PhotoRejected(`corrupt WebP: misplaced or short VP8X chunk at byte ${i}`);
      const x = b.slice(i, end);
      x[8] = (x[8] ?? 0) & ~(VP8X_EXIF | VP8X_XMP);
      parts.push(x);
    } else if (WEBP_KEEP.has(fourcc)) parts.push(b.subarray(i, end));
    else removed.add(fourcc === 'EXIF' ? 'EXIF (EXIF chunk)' : fourcc === 'XMP ' ? 'XMP (XMP chunk)' : `${fourcc.trim()} chunk`);
    image ||= fourcc === 'VP8 ' || fourcc === 'VP8L' || fourcc === 'ANMF';
    i = end;
  }
  if (!image) throw new PhotoRejected('corrupt WebP: no image data (VP8, VP8L or ANMF chunk)');
  if (riffEnd < b.length) removed.add('data after the RIFF chunk');
  const size = parts.reduce((n, p) => n + p.length, 4);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, size, true);
  return [header, ...parts];
}
