/**
 * A query's text result streamed as raw bytes with `COPY (…) TO STDOUT`, for exports whose rows
 * PostgreSQL already serialises (one GeoJSON feature per row): the bytes go from the database
 * socket to the response without ever becoming JavaScript strings. Reading the same rows through a
 * cursor made two strings per feature (the row, then the joined batch) that lived across the
 * awaits of a slow client and were promoted to the old generation: the server grew by 200–260 MB
 * during a 1,300,000-feature download (issue 9's features benchmark) although the batch was bounded.
 *
 * COPY takes no bind parameters, so the query's `$n` are written in as quoted literals (the
 * parameter's text form, as it would have been bound; casts in the query stay). The CSV format with
 * two control characters as delimiter and quote writes a one-column row as it is plus `\n`: JSON
 * from PostgreSQL holds no raw control characters (they are escaped as \u00XX), so nothing is ever
 * quoted or escaped, unlike the text format, which would double every backslash.
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Pool } from '../db/pool.ts';
import { contextSql } from '../db/tenant-context.ts';
import type { SqlQuery } from './cursor.ts';

function arrayElement(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A parameter's value as the SQL literal of its text form. */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`parameter ${v} is not a finite number`);
    return pg.escapeLiteral(String(v));
  }
  if (typeof v === 'boolean' || typeof v === 'bigint') return pg.escapeLiteral(String(v));
  if (Array.isArray(v)) return pg.escapeLiteral(`{${v.map(arrayElement).join(',')}}`);
  if (typeof v === 'string') return pg.escapeLiteral(v);
  throw new Error(`parameter of type ${typeof v} cannot be written into a COPY`);
}

/** The query with every `$n` replaced by its value's literal. */
export function inlineParams(q: SqlQuery): string {
  return q.text.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= q.values.length) throw new Error(`query refers to $${n} but has ${q.values.length} parameters`);
    return sqlLiteral(q.values[i]);
  });
}

const COPY_OPTIONS = "WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')";

/**
 * Stream a one-column query's rows (each followed by `\n`) to `onChunk`, in a read-only
 * transaction under the caller's row-security context (one snapshot). Resolves false when
 * `onChunk` answers false (the client went away): the COPY is then abandoned and its connection
 * discarded rather than returned to the pool mid-COPY.
 */
export async function copyOut(pool: Pool, query: SqlQuery, onChunk: (chunk: Buffer) => Promise<boolean>): Promise<boolean> {
  const client = await pool.connect();
  let discard: Error | undefined;
  try {
    await client.query(`BEGIN READ ONLY; ${contextSql()}`);
    const stream = client.query(copyTo(`COPY (${inlineParams(query)}) TO STDOUT ${COPY_OPTIONS}`));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!(await onChunk(chunk))) {
        discard = new Error('export stopped: the client went away');
        stream.destroy();
        return false;
      }
    }
    await client.query('COMMIT');
    return true;
  } catch (err) {
    discard = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(discard);
  }
}
