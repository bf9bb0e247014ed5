import type { Pool } from '../db/pool.ts';

/** Rows of a query in batches through a server-side cursor: bounded memory for any size. */
export async function* cursorRows<T>(pool: Pool, sql: string, params: unknown[], batch = 2000): AsyncGenerator<T[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const r = await client.query(`FETCH ${batch} FROM export_cursor`);
      if (r.rows.length === 0) break;
      yield r.rows as T[];
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
