import type { Writable } from 'node:stream';
import { CSV_COLUMNS, type CellValue } from './columns.ts';
import { endStream, writeChunk } from './write-chunk.ts';

/**
 * UTF-8 with a byte-order mark: Excel (the spreadsheet most of our users open a CSV in) otherwise
 * reads the file as Windows-1252 and garbles ë/ï in Dutch street and owner names. GDAL, pandas and
 * QGIS skip the BOM.
 */
export const UTF8_BOM = '\uFEFF';
export const CSV_HEADER: readonly string[] = [...CSV_COLUMNS.map((c) => c.name), 'wkt'];

/** A text cell a spreadsheet would evaluate as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 cell. Text that starts like a formula gets a leading single quote, so `=HYPERLINK(…)`
 * is shown, not run; the quote is visible in other readers, which is the accepted price.
 * Numbers are written as numbers (a negative number is data, not a formula).
 */
export function csvCell(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with CRLF, the RFC 4180 line break. */
export function csvRecord(cells: readonly CellValue[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** Stream the CSV batch by batch (see writeGeoJson for the contract). */
export async function writeCsv(batches: AsyncIterable<Record<string, CellValue>[]>, out: Writable): Promise<boolean> {
  let prefix = UTF8_BOM + csvRecord(CSV_HEADER);
  for await (const rows of batches) {
    const body = rows.map((row) => csvRecord(CSV_HEADER.map((name) => row[name] ?? null))).join('');
    if (!(await writeChunk(out, prefix + body))) return false;
    prefix = '';
  }
  if (prefix && !(await writeChunk(out, prefix))) return false;
  await endStream(out);
  return true;
}
