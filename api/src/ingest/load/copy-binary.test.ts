import { describe, expect, it } from 'vitest';
import { BinaryRows, jsonText } from './copy-binary.ts';

/** The fields of binary COPY rows, read back as PostgreSQL reads them: null, or the field's bytes. */
function readRows(buf: Buffer): (Buffer | null)[][] {
  const rows: (Buffer | null)[][] = [];
  let at = 0;
  while (at < buf.length) {
    const n = buf.readInt16BE(at);
    at += 2;
    const row: (Buffer | null)[] = [];
    for (let i = 0; i < n; i++) {
      const len = buf.readInt32BE(at);
      at += 4;
      row.push(len < 0 ? null : buf.subarray(at, at + len));
      at += Math.max(len, 0);
    }
    rows.push(row);
  }
  return rows;
}

describe('BinaryRows', () => {
  it('writes each field as its length and bytes: int4 and float8 big-endian, text as UTF-8, NULL as -1', () => {
    const w = new BinaryRows(8); // tiny: every write grows the buffer
    const long = 'Kerkstraat ’s-Hertogenbosch ✓ '.repeat(3);
    w.row(9).int4(-7).int4(null).int4(2.5).float8(250.5).float8(Number.NaN).text('a\tb\\c\nd').text('Straße ✓').text(long).text(null).endRow();
    const [row] = readRows(w.take());
    expect(row?.length).toBe(9);
    expect(row?.[0]?.readInt32BE(0)).toBe(-7);
    expect(row?.[1]).toBeNull();
    expect(row?.[2]).toBeNull(); // not an integer: NULL rather than a wrong number
    expect(row?.[3]?.readDoubleBE(0)).toBe(250.5);
    expect(row?.[4]).toBeNull();
    expect(row?.[5]?.toString('utf8')).toBe('a\tb\\c\nd'); // nothing escaped
    expect(row?.[6]?.toString('utf8')).toBe('Straße ✓');
    expect(row?.[7]?.toString('utf8')).toBe(long);
    expect(row?.[8]).toBeNull();
  });

  it('drops NULs from text, short or long, and NUL escapes from JSON; other backslashes stay as they are', () => {
    const w = new BinaryRows(16);
    w.row(3).text('a\u0000b').text(`${'x'.repeat(60)}\u0000✓`).text(jsonText({ 'sle\u0000tel': 'a\u0000b', pad: 'c:\\u0000d' })).endRow();
    const [row] = readRows(w.take());
    expect(row?.[0]?.toString('utf8')).toBe('ab');
    expect(row?.[1]?.toString('utf8')).toBe(`${'x'.repeat(60)}✓`);
    expect(JSON.parse(row?.[2]?.toString('utf8') ?? '')).toEqual({ sletel: 'ab', pad: 'c:\\u0000d' });
  });

  it('copies geometry bytes up to their length', () => {
    const w = new BinaryRows(4);
    w.row(1).bytes(Buffer.from([1, 2, 3, 4, 5]), 3).endRow();
    expect(readRows(w.take())[0]?.[0]).toEqual(Buffer.from([1, 2, 3]));
  });

  it('hands out only whole rows; a begun one waits for the next take', () => {
    const w = new BinaryRows(4);
    w.row(1).int4(1).endRow();
    w.row(1).int4(3).endRow();
    w.row(2).int4(4);
    const first = w.take();
    expect(readRows(first).map((r) => r[0]?.readInt32BE(0))).toEqual([1, 3]);
    w.text('x').endRow();
    expect(readRows(w.take()).map((r) => [r[0]?.readInt32BE(0), r[1]?.toString()])).toEqual([[4, 'x']]);
    expect(readRows(first).map((r) => r[0]?.readInt32BE(0))).toEqual([1, 3]); // what was handed out is not overwritten
    expect(w.take().length).toBe(0);
  });

  it('frames the data as PostgreSQL expects: signature, no flags, no extension; -1 fields to end', () => {
    expect(BinaryRows.header.toString('latin1', 0, 11)).toBe('PGCOPY\n\xff\r\n\0');
    expect(BinaryRows.header.length).toBe(19);
    expect(BinaryRows.trailer.readInt16BE(0)).toBe(-1);
  });
});
