/**
 * CSV export with the geometry as WKT, streamed by PostgreSQL's own CSV writer (COPY ... TO
 * STDOUT), so quoting follows RFC 4180 and memory stays flat. Text cells that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) get a leading apostrophe. UTF-8 with a BOM,
 * so Excel reads the accents right.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { Pool } from '../db/pool.ts';
import { COLUMNS, type ExportSelection, TEXT_COLUMNS, geomIn, whereClause } from './export-query.ts';

/** The same rule as the SQL below, for tests and other writers. */
export function escapeFormulaCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const selectList = COLUMNS.map((c) => {
  const src = c === 'owner' ? 'o.name' : c === 'in_service_date' ? "to_char(a.in_service_date, 'YYYY-MM-DD')" : `a.${c}`;
  return (TEXT_COLUMNS as readonly string[]).includes(c)
    ? `CASE WHEN ${src} ~ '^[=+\\-@\\t\\r]' THEN '''' || ${src} ELSE ${src} END AS ${c}`
    : `${src} AS ${c}`;
}).join(', ');

/** COPY cannot take bind parameters: the (validated) values are inlined as literals. */
function literal(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  throw new Error('unsupported literal');
}

export async function writeCsv(pool: Pool, sel: ExportSelection, out: Writable): Promise<void> {
  const { sql, params } = whereClause(sel);
  const inlined = sql.replace(/\$(\d+)/g, (_m, i: string) => literal(params[Number(i) - 1]));
  const query = `COPY (SELECT ${selectList}, ST_AsText(${geomIn(sel.epsg)}) AS wkt ${inlined}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  const client = await pool.connect();
  try {
    out.write('\uFEFF');
    await pipeline(client.query(copyTo(query)), out, { end: true });
  } finally {
    client.release();
  }
}
