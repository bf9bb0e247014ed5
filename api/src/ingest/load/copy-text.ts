/** PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL. */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\\\t\n\r\u0000]/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u0000': '' };

/** One COPY text field. A NUL is dropped: PostgreSQL text cannot hold it (a NUL in a file failed the load as a 500). */
export function copyValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N';
  if (!SPECIAL.test(v)) return v;
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\\\t\n\r\u0000]/g, (c) => ESCAPES[c] ?? '');
}

/** A NUL escaped by JSON.stringify (`\u0000` after an even run of backslashes): jsonb refuses it. */
const JSON_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** JSON text for a jsonb parameter, without the NULs jsonb refuses (field names and values from a file may hold them). */
export function jsonText(value: unknown): string {
  const s = JSON.stringify(value);
  return s.includes('\\u0000') ? s.replace(JSON_NUL, '$1') : s;
}

/**
 * Buffer's own encoders, without buf.write()'s argument handling (called a few times per row of a
 * bulk load). They are long-standing Buffer methods, but not in the typings; buf.write() is the
 * fallback.
 */
interface RawWriters {
  latin1Write?: (s: string, offset: number) => number;
  utf8Write?: (s: string, offset: number) => number;
}
const RAW = Buffer.prototype as unknown as RawWriters;
const writeLatin1: (buf: Buffer, s: string, at: number) => number =
  typeof RAW.latin1Write === 'function' ? (buf, s, at) => (buf as unknown as Required<RawWriters>).latin1Write(s, at) : (buf, s, at) => buf.write(s, at, 'latin1');
const writeUtf8: (buf: Buffer, s: string, at: number) => number =
  typeof RAW.utf8Write === 'function' ? (buf, s, at) => (buf as unknown as Required<RawWriters>).utf8Write(s, at) : (buf, s, at) => buf.write(s, at, 'utf8');

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * COPY text rows written straight into one Buffer. Building a whole batch as one string and
 * converting it with Buffer.from cost more than the rest of a GeoPackage load's Node work together
 * (V8 flattens the concatenated strings, then encodes them); a native write per field cost ~0.5 µs
 * a row more than a row's short fields joined in JS and written once (stage-features.ts).
 */
export class CopyWriter {
  private buf: Buffer;
  private at = 0;
  private rowStart = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.at;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  /** a field separator (before every field but the first of a row) */
  tab(): this {
    this.ensure(1);
    this.buf[this.at++] = TAB;
    return this;
  }

  endRow(): void {
    this.ensure(1);
    this.buf[this.at++] = NEWLINE;
    this.rowStart = this.at;
  }

  /** text already in COPY form (escaped, with its tabs): one write for several fields */
  escaped(s: string): this {
    this.ensure(s.length * 3);
    this.at += writeUtf8(this.buf, s, this.at);
    return this;
  }

  /** a value that needs no escaping: digits, codes, hex */
  plain(s: string): this {
    this.ensure(s.length);
    this.at += writeLatin1(this.buf, s, this.at);
    return this;
  }

  /** JSON text: JSON.stringify escapes control characters, so only its backslashes need doubling (and NULs dropping) */
  json(s: string): this {
    const clean = s.includes('\\u0000') ? s.replace(JSON_NUL, '$1') : s;
    const escaped = clean.includes('\\') ? clean.replace(/\\/g, '\\\\') : clean;
    this.ensure(escaped.length * 3);
    this.at += writeUtf8(this.buf, escaped, this.at);
    return this;
  }

  /** the rows written so far, and start again in a fresh buffer (the stream keeps the one handed out) */
  take(): Buffer {
    const out = this.buf.subarray(0, this.rowStart);
    const next = Buffer.allocUnsafe(this.buf.length);
    const rest = this.at - this.rowStart;
    if (rest > 0) this.buf.copy(next, 0, this.rowStart, this.at);
    this.buf = next;
    this.at = rest;
    this.rowStart = 0;
    return out;
  }
}
