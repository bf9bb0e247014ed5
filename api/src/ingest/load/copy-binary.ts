/**
 * PostgreSQL COPY in its binary format (`COPY … FROM STDIN (FORMAT binary)`): every field is its
 * length and its bytes, integers and doubles in network order, a geometry as its EWKB. Neither
 * side escapes, splits or parses text: no hex for the geometry (half the bytes), no number
 * formatting in Node, no type input functions in PostgreSQL (docs/architecture.md, decision 109).
 */

/** A NUL escaped by JSON.stringify (`\u0000` after an even run of backslashes): json/jsonb refuse it. */
const JSON_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** JSON text for a json/jsonb value, without the NULs PostgreSQL refuses (field names and values from a file may hold them). */
export function jsonText(value: unknown): string {
  const s = JSON.stringify(value);
  return s.includes('\\u0000') ? s.replace(JSON_NUL, '$1') : s;
}

/**
 * Buffer's own UTF-8 encoder without buf.write()'s argument handling (called several times per row
 * of a bulk load). A long-standing Buffer method, but not in the typings; buf.write() is the fallback.
 */
interface RawWriters {
  utf8Write?: (s: string, offset: number) => number;
}
const RAW = Buffer.prototype as unknown as RawWriters;
const writeUtf8: (buf: Buffer, s: string, at: number) => number =
  typeof RAW.utf8Write === 'function' ? (buf, s, at) => (buf as unknown as Required<RawWriters>).utf8Write(s, at) : (buf, s, at) => buf.write(s, at, 'utf8');

/** signature, flags (none), header extension length (none) */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** a field count of -1 ends the data */
const TRAILER = Buffer.from([0xff, 0xff]);
/** strings up to this length are written by a loop in JS when they are ASCII (a native call costs more) */
const SHORT = 48;

/** Binary COPY rows written straight into one Buffer. */
export class BinaryRows {
  private buf: Buffer;
  private at = 0;
  private rowStart = 0;
  /** where the length of a field written in pieces goes, or -1 */
  private fieldStart = -1;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** what starts the data of every COPY statement */
  static readonly header = HEADER;
  /** what ends it */
  static readonly trailer = TRAILER;

  get length(): number {
    return this.at;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  private i32(v: number): void {
    const b = this.buf;
    const at = this.at;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
    this.at = at + 4;
  }

  /** a row of `fields` fields follows */
  row(fields: number): this {
    this.ensure(2);
    this.buf[this.at++] = fields >>> 8;
    this.buf[this.at++] = fields;
    return this;
  }

  null(): this {
    this.ensure(4);
    this.i32(-1);
    return this;
  }

  /** an integer column (int4); null, or what is no 32-bit integer, as NULL */
  int4(v: number | null): this {
    if (v === null || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return this.null();
    this.ensure(8);
    this.i32(4);
    this.i32(v);
    return this;
  }

  /** a double precision column; null and non-finite numbers as NULL */
  float8(v: number | null): this {
    if (v === null || !Number.isFinite(v)) return this.null();
    this.ensure(12);
    this.i32(8);
    this.buf.writeDoubleBE(v, this.at);
    this.at += 8;
    return this;
  }

  /** `v` as a big-endian int32 at `at` (a length filled in afterwards) */
  private setI32(at: number, v: number): void {
    const b = this.buf;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
  }

  /** `s` as UTF-8 at the write position, a NUL dropped (PostgreSQL text cannot hold it); its byte count */
  private chars(s: string): number {
    const n = s.length;
    this.ensure(n * 3);
    const b = this.buf;
    const start = this.at;
    if (n <= SHORT) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === 0 || c > 0x7f) break;
        b[start + i] = c;
      }
      if (i === n) {
        this.at = start + n;
        return n;
      }
    }
    const clean = s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
    const bytes = writeUtf8(b, clean, start);
    this.at = start + bytes;
    return bytes;
  }

  /**
   * A text column (also json: its binary form is its text). A NUL is dropped: PostgreSQL text
   * cannot hold it (a NUL in a file failed the load as a 500).
   */
  text(s: string | null): this {
    if (s === null) return this.null();
    this.ensure(4);
    const lengthAt = this.at;
    this.at += 4;
    this.setI32(lengthAt, this.chars(s));
    return this;
  }

  /** A field written in pieces (json built in place, attributes-json.ts); closeField() fills in its length. */
  openField(): this {
    this.ensure(4);
    this.fieldStart = this.at;
    this.at += 4;
    return this;
  }

  /** a piece of the open field: bytes as they are */
  piece(src: Uint8Array): this {
    this.ensure(src.length);
    this.buf.set(src, this.at);
    this.at += src.length;
    return this;
  }

  /** a piece of the open field: one ASCII character */
  char(code: number): this {
    this.ensure(1);
    this.buf[this.at++] = code;
    return this;
  }

  /** a piece of the open field: a string as UTF-8 (a NUL dropped, as text() does) */
  pieceText(s: string): this {
    this.chars(s);
    return this;
  }

  closeField(): this {
    if (this.fieldStart < 0) throw new Error('closeField() without openField()');
    this.setI32(this.fieldStart, this.at - this.fieldStart - 4);
    this.fieldStart = -1;
    return this;
  }

  /** raw bytes: a geometry's EWKB (`length` bytes of `src` from its start) */
  bytes(src: Uint8Array, length: number): this {
    this.ensure(4 + length);
    this.i32(length);
    this.buf.set(length === src.length ? src : src.subarray(0, length), this.at);
    this.at += length;
    return this;
  }

  /** the row is complete: it may be handed out */
  endRow(): void {
    this.rowStart = this.at;
  }

  /**
   * The rows written so far, and start again in a fresh buffer (the stream keeps the one handed
   * out). The rows start at byte 0 of an ArrayBuffer of their own (never Node's shared pool), so a
   * staging worker can transfer it to the load's thread without a copy.
   */
  take(): Buffer {
    const out = this.buf.subarray(0, this.rowStart);
    const next = Buffer.allocUnsafeSlow(this.buf.length);
    const rest = this.at - this.rowStart;
    if (rest > 0) this.buf.copy(next, 0, this.rowStart, this.at);
    this.buf = next;
    this.at = rest;
    this.rowStart = 0;
    return out;
  }
}
