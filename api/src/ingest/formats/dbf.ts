/**
 * dBASE (.dbf) attribute tables of shapefiles: header, field descriptors and record decoding with
 * the encoding the .cpg names.
 *
 * Own code rather than @loaders.gl/shapefile's DBFLoader, which (4.5.2) keeps deleted records,
 * returns dates as epoch milliseconds, does not expose the field types and reports a truncated
 * file only in an internal `error` field instead of throwing.
 */
import type { FieldInfo, PropertyValue } from './types.ts';

export interface DbfField {
  name: string;
  /** dBASE type letter: C, N, F, D, L, M, ... */
  type: string;
  length: number;
  decimals: number;
  offset: number;
}

export interface DbfHeader {
  recordCount: number;
  headerLength: number;
  recordLength: number;
  /** language driver id (byte 29), used when there is no .cpg */
  languageDriver: number;
  fields: DbfField[];
}

/** Decodes a byte range of a record to text. */
export type TextDecodeFn = (buf: Buffer, start: number, end: number) => string;

/** Bytes needed before the field descriptors can be read. */
export const DBF_PREFIX_BYTES = 32;

export function parseDbfPrefix(buf: Buffer): { recordCount: number; headerLength: number; recordLength: number; languageDriver: number } {
  return {
    recordCount: buf.readUInt32LE(4),
    headerLength: buf.readUInt16LE(8),
    recordLength: buf.readUInt16LE(10),
    languageDriver: buf.readUInt8(29),
  };
}

/** Field descriptors: 32 bytes each from byte 32 up to the 0x0D terminator. */
export function parseDbfFields(header: Buffer, decode: TextDecodeFn): DbfField[] {
  const fields: DbfField[] = [];
  let offset = 1;
  for (let p = 32; p + 32 <= header.length && header[p] !== 0x0d; p += 32) {
    let end = p;
    while (end < p + 11 && header[end] !== 0) end++;
    const length = header.readUInt8(p + 16);
    fields.push({ name: decode(header, p, end).trim(), type: String.fromCharCode(header[p + 11] ?? 0x43), length, decimals: header.readUInt8(p + 17), offset });
    offset += length;
  }
  return fields;
}

export function dbfFieldInfo(fields: readonly DbfField[]): FieldInfo[] {
  const types: Record<string, string> = { C: 'string', N: 'number', F: 'number', B: 'number', I: 'number', O: 'number', D: 'date', L: 'boolean', M: 'string' };
  return fields.map((f) => ({ name: f.name, type: types[f.type] ?? 'unknown' }));
}

/** The field's bytes without padding (spaces, NULs) sit at [trimStart, trimEnd): no array per field. */
let trimStart = 0;
let trimEnd = 0;

function trim(buf: Buffer, start: number, end: number): void {
  let s = start;
  let e = end;
  while (e > s && (buf[e - 1] === 0x20 || buf[e - 1] === 0)) e--;
  while (s < e && buf[s] === 0x20) s++;
  trimStart = s;
  trimEnd = e;
}

/** A plain integer (optional sign, up to 15 digits) read from the bytes, or null to parse the text. */
function plainInteger(buf: Buffer, s: number, e: number): number | null {
  let i = s;
  const sign = buf[i] === 0x2d ? -1 : 1;
  if (buf[i] === 0x2d || buf[i] === 0x2b) i++;
  if (i === e || e - i > 15) return null;
  let n = 0;
  for (; i < e; i++) {
    const d = (buf[i] ?? 0) - 0x30;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return sign * n;
}

function numberValue(text: string): number | null {
  if (text === '' || text.startsWith('*')) return null;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

function dateValue(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m || text === '00000000') return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function booleanValue(text: string): boolean | null {
  if (/^[YyTt]$/.test(text)) return true;
  if (/^[NnFf]$/.test(text)) return false;
  return null;
}

function fieldValue(buf: Buffer, base: number, field: DbfField, decode: TextDecodeFn): PropertyValue {
  if (field.type === 'I' && field.length === 4) return buf.readInt32LE(base + field.offset);
  trim(buf, base + field.offset, base + field.offset + field.length);
  const s = trimStart;
  const e = trimEnd;
  if (s === e) return null;
  switch (field.type) {
    case 'N':
    case 'F':
    case 'O':
    case 'B':
    case 'I': {
      const n = plainInteger(buf, s, e);
      return n !== null && !Object.is(n, -0) ? n : numberValue(buf.toString('latin1', s, e));
    }
    case 'D':
      return dateValue(buf.toString('latin1', s, e));
    case 'L':
      return booleanValue(buf.toString('latin1', s, e));
    default:
      return decode(buf, s, e);
  }
}

/** True when the record at `base` is marked deleted ('*'). */
export function isDeletedRecord(buf: Buffer, base: number): boolean {
  return buf[base] === 0x2a;
}

/** The properties of the record starting at `base` (its deletion flag byte). */
export function decodeDbfRecord(buf: Buffer, base: number, fields: readonly DbfField[], decode: TextDecodeFn): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const f of fields) out[f.name] = fieldValue(buf, base, f, decode);
  return out;
}
