/**
 * One read-only named statement with the caller's row-security context in ONE round trip
 * (decision 116). `withTransaction` costs three: BEGIN + context, the statement, COMMIT. Here the
 * context (a SELECT of set_config(…, true) calls) and the statement go out together in the
 * extended protocol before a single Sync; PostgreSQL runs every Execute up to a Sync in one
 * implicit transaction, so the transaction-local settings hold for the statement and end with it,
 * and an error anywhere rolls all of it back. Only for reads: nothing is committed that matters.
 *
 * Built on node-postgres's own Query: its `prepare` (Parse of the named statement once per
 * connection, Bind, Describe, Execute, Sync) is preceded by Parse/Bind/Describe/Execute of the
 * unnamed context statement. node-postgres then hands back two results, as for a multi-statement
 * query; the statement's is the second.
 */
import pg from 'pg';
import { type Pool, type Setting, SETTINGS } from './pool.ts';
import { contextSql } from './tenant-context.ts';

interface WireConnection {
  parse(q: { text: string; name: string; types: unknown[] }): void;
  bind(b: { portal: string; statement: string; values: unknown[] }): void;
  describe(m: { type: 'P'; name: string }): void;
  execute(e: { portal: string; rows: number }): void;
}

/** The Query whose wire messages start with the context statement. */
class ContextQuery extends pg.Query {
  constructor(private readonly first: string, config: pg.QueryConfig, callback: (err: Error | undefined, result: unknown) => void) {
    super(config, callback as never);
  }

  prepare(connection: WireConnection): void {
    connection.parse({ text: this.first, name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [] });
    connection.describe({ type: 'P', name: '' });
    connection.execute({ portal: '', rows: 0 });
    (pg.Query.prototype as unknown as { prepare(c: WireConnection): void }).prepare.call(this, connection);
  }
}

/** The context statement of the caller of the moment, with the settings. */
export function contextWith(setting: Setting): string {
  const extra = SETTINGS[setting].map(([name, value]) => `, set_config('${name}', '${value}', true)`).join('');
  return contextSql() + extra;
}

/**
 * Run the named statement `query` in the caller's context and `setting`, in one round trip on a
 * connection of `pool`. The statement must be a read and must not itself end the transaction.
 */
export async function pipelinedRead<R extends pg.QueryResultRow>(pool: Pool, setting: Setting, query: { name: string; text: string; values: unknown[] }): Promise<pg.QueryResult<R>> {
  const first = contextWith(setting);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = await new Promise<unknown>((resolve, reject) => {
      const q = new ContextQuery(first, query, (err, result) => (err ? reject(err) : resolve(result)));
      void client.query(q as unknown as pg.QueryConfig);
    });
    const read = Array.isArray(results) ? (results[1] as pg.QueryResult<R> | undefined) : undefined;
    if (read === undefined) throw new Error('pipelined read: no result of the statement');
    return read;
  } catch (err) {
    // a connection that lost its place in the protocol must not go back to the pool
    if (!(err instanceof pg.DatabaseError)) broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}
