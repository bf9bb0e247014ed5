import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, UTF8_BOM, csvCell, csvRecord, writeCsv } from './csv.ts';

describe('csvCell', () => {
  it('leaves plain text and numbers alone', () => {
    expect(csvCell('PVC')).toBe('PVC');
    expect(csvCell(80)).toBe('80');
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes separators, quotes and line breaks per RFC 4180', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('3" pijp')).toBe('"3"" pijp"');
    expect(csvCell('regel 1\nregel 2')).toBe('"regel 1\nregel 2"');
    expect(csvCell('LINESTRING(1 2,3 4)')).toBe('"LINESTRING(1 2,3 4)"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+31 6 1234')).toBe("'+31 6 1234");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=HYPERLINK("http://example.invalid","klik")')).toBe(`"'=HYPERLINK(""http://example.invalid"",""klik"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends records with CRLF', () => {
    expect(csvRecord(['a', 1, null])).toBe('a,1,\r\n');
  });
});

describe('writeCsv', () => {
  async function run(batches: Record<string, string | number | null>[][]): Promise<string> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    async function* source(): AsyncGenerator<Record<string, string | number | null>[]> {
      yield* batches;
    }
    await writeCsv(source(), out);
    return Buffer.concat(chunks).toString('utf8');
  }

  it('writes BOM and header even without rows', async () => {
    expect(await run([])).toBe(`${UTF8_BOM}${CSV_HEADER.join(',')}\r\n`);
  });

  it('writes the columns in header order from several batches', async () => {
    const text = await run([[{ id: 1, label: '=x', wkt: 'POINT(1 2)' }], [{ id: 2, system: 'gas_ld' }]]);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]?.split(',')).toHaveLength(CSV_HEADER.length);
    expect(lines[1]?.startsWith('1,')).toBe(true);
    expect(lines[1]).toContain(",'=x,POINT(1 2)");
    expect(lines[2]).toMatch(/^2,,gas_ld,/);
  });
});
