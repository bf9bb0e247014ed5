/**
 * Attribute text encodings: a shapefile's .cpg label (or DBF language driver) → a fast decoder.
 * Plain ASCII is decoded without TextDecoder; 'auto' (no .cpg) takes UTF-8 when the bytes are valid
 * UTF-8 and Windows-1252 otherwise, which reads both QGIS exports and older ESRI files correctly.
 */
import type { TextDecodeFn } from './dbf.ts';

/** WHATWG encoding label, or 'auto'. */
export type EncodingName = string;

const CPG_LABELS: ReadonlyMap<string, string> = new Map([
  ['utf8', 'utf-8'],
  ['65001', 'utf-8'],
  ['iso88591', 'windows-1252'],
  ['88591', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['windows1252', 'windows-1252'],
  ['ansi1252', 'windows-1252'],
  ['iso885915', 'iso-8859-15'],
  ['885915', 'iso-8859-15'],
  ['latin9', 'iso-8859-15'],
]);

/** DBF language-driver ids GDAL maps to a code page (byte 29 of the header). */
const LANGUAGE_DRIVERS: ReadonlyMap<number, string> = new Map([
  [0x03, 'windows-1252'],
  [0x57, 'windows-1252'],
  [0x59, 'windows-1252'],
  [0x64, 'ibm852'],
  [0x65, 'ibm866'],
  [0x4d, 'gbk'],
  [0x7d, 'windows-1255'],
]);

function isSupportedLabel(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** The encoding a .cpg names; null when the label is unknown. */
export function encodingFromCpg(cpg: string): string | null {
  const raw = cpg.replace(/^\uFEFF/, '').trim();
  const key = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  const mapped = CPG_LABELS.get(key);
  if (mapped) return mapped;
  return raw !== '' && isSupportedLabel(raw) ? new TextDecoder(raw).encoding : null;
}

/** The encoding to use without a .cpg: the language driver's code page, else 'auto'. */
export function encodingFromLanguageDriver(ldid: number): string {
  return LANGUAGE_DRIVERS.get(ldid) ?? 'auto';
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((buf[i] ?? 0) >= 0x80) return false;
  return true;
}

function isValidUtf8(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = buf[i] ?? 0;
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (extra < 0 || (extra > 0 && i + extra >= end)) return false;
    for (let k = 1; k <= extra; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return false;
    i += extra + 1;
  }
  return true;
}

/** A decoder for `encoding` ('utf-8', 'windows-1252', any WHATWG label, or 'auto'). */
export function makeDecoder(encoding: EncodingName): TextDecodeFn {
  if (encoding === 'utf-8') return (buf, s, e) => buf.toString('utf8', s, e);
  const cp1252 = new TextDecoder('windows-1252');
  if (encoding === 'auto') {
    return (buf, s, e) =>
      isAscii(buf, s, e) || isValidUtf8(buf, s, e) ? buf.toString('utf8', s, e) : cp1252.decode(buf.subarray(s, e));
  }
  const decoder = encoding === 'windows-1252' ? cp1252 : new TextDecoder(encoding);
  return (buf, s, e) => (isAscii(buf, s, e) ? buf.toString('latin1', s, e) : decoder.decode(buf.subarray(s, e)));
}
