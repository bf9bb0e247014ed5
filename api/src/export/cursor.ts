import type { Pool } from '../db/pool.ts';
import { contextSql } from '../db/tenant-context.ts';

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/**
 * Rows of a query in batches through a server-side cursor, so memory is bounded by `batchSize`
 * whatever the result size. The cursor lives in a read-only transaction on one pooled client
 * (one consistent snapshot for the whole download). When the consumer stops early (the client
 * went away) or anything fails, the transaction is rolled back, which also closes the cursor;
 * a connection that cannot even roll back is discarded instead of returned to the pool.
 */
export async function* fetchInBatches<Row>(pool: Pool, query: SqlQuery, batchSize = 2000): AsyncGenerator<Row[], void, undefined> {
  const client = await pool.connect();
  let done = false;
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN READ ONLY; ${contextSql()}`);
    await client.query({ text: `DECLARE export_cursor NO SCROLL CURSOR FOR ${query.text}`, values: query.values });
    for (;;) {
      const r = await client.query<Row & object>(`FETCH ${batchSize} FROM export_cursor`);
      if (r.rows.length > 0) yield r.rows;
      if (r.rows.length < batchSize) break;
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    if (!done) {
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      );
    }
    client.release(broken);
  }
}
