/**
 * DBF numeric fields: integers are read from the bytes without making a string; whatever else a
 * numeric field holds is read as before (Number of the trimmed text, ',' as decimal point, '*' and
 * blanks as null). Checked against that reading for any text with fast-check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DbfField, decodeDbfRecord } from './dbf.ts';

const latin1 = (buf: Buffer, s: number, e: number) => buf.toString('latin1', s, e);

/** the reading before the integer path: Number of the trimmed text */
function reference(text: string): number | null {
  const t = text.replace(/[ \0]+$/, '').replace(/^ +/, '');
  if (t === '' || t.startsWith('*')) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

function read(type: string, text: string): unknown {
  const field: DbfField = { name: 'v', type, length: 20, decimals: 0, offset: 1 };
  const record = Buffer.alloc(21, 0x20);
  record.write(text.slice(0, 20), 1, 'latin1');
  return decodeDbfRecord(record, 0, [field], latin1).v;
}

describe('DBF numeric fields', () => {
  it('read like Number() of the trimmed text, for any text', () => {
    const chars = fc.constantFrom('0', '1', '7', '9', '-', '+', '.', ',', 'e', ' ', '*', 'x', '\0');
    fc.assert(fc.property(fc.string({ unit: chars, maxLength: 20 }), fc.constantFrom('N', 'F', 'I'), (text, type) => {
      expect(read(type, text)).toBe(reference(text.padEnd(20, ' ')));
    }), { numRuns: 3000 });
  });

  it('read integers, signs, leading zeros and long numbers exactly', () => {
    expect(read('N', '   1953')).toBe(1953);
    expect(read('N', '-42')).toBe(-42);
    expect(read('N', '+007')).toBe(7);
    expect(read('N', '123456789012345')).toBe(123456789012345);
    expect(read('N', '1234567890123456789')).toBe(Number('1234567890123456789')); // past 15 digits: Number() of the text
    expect(read('N', '23.48')).toBe(23.48);
    expect(read('N', '**********')).toBeNull();
    expect(read('N', '')).toBeNull();
  });
});
