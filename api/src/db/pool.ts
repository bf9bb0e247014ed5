import pg from 'pg';
import { contextSql } from './tenant-context.ts';

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

// Postgres `date` as plain 'YYYY-MM-DD' strings, not JS Dates shifted by the local time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
// bigint ids fit comfortably in a JS number for this product's sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** Pool options beyond the connection (the replica's pool gives up connecting after a while). */
export interface PoolExtras {
  connectionTimeoutMillis?: number;
  /** how long an idle connection is kept (pg's default: 10 s) */
  idleTimeoutMillis?: number;
}

/** `role`: every connection acts as this role from its start (the startup option `-c role=…`). */
export function createPool(connectionString: string, max = 10, role?: string, extras: PoolExtras = {}): Pool {
  if (role !== undefined && !/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name ${role}`);
  // jit=off: the API's queries are short and index-driven, but row security makes the planner's
  // cost estimates huge, which switched JIT compilation on (0.7-1.5 s per query, measured by the
  // analysis benchmark) for queries that then ran in milliseconds.
  const pool = new pg.Pool({ connectionString, max, application_name: 'samenhang', options: `-c jit=off${role === undefined ? '' : ` -c role=${role}`}`, ...extras });
  // A client that is checked out (withTransaction, a cursor) when its connection dies — a database
  // restart — emits 'error' while the pool listens only to idle ones: unheard, that kills the
  // process. The query in flight fails with the error anyway, and the dead client is dropped on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** no parallel workers, and the plan of a named statement cached per connection (decisions 100, 102) */
const GENERIC_PLAN = 'SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL plan_cache_mode = force_generic_plan';

/** Settings a transaction may take (SET LOCAL), by name. */
export const LOCAL_SETTINGS = {
  /** vector tiles: launching parallel workers costs more than a tile's index scan (tile benchmark) */
  noParallel: 'SET LOCAL max_parallel_workers_per_gather = 0',
  /**
   * a single-feature tile: no workers, and its named statement runs the plan cached on the
   * connection instead of planning per tile (decision 100). Only for a transaction whose every
   * statement suits one plan for all parameters: the setting applies to the unnamed ones too.
   */
  genericTile: GENERIC_PLAN,
  /** an OGC items page of a collection with SqlSource.genericPlan: the same, for its named page statement */
  genericPage: GENERIC_PLAN,
} as const;

/** Run fn in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (client: Client) => Promise<T>, setting?: keyof typeof LOCAL_SETTINGS): Promise<T> {
  const client = await pool.connect();
  try {
    // the caller's row-security context for this transaction (db/tenant-context.ts), in the same round trip
    await client.query(`BEGIN; ${contextSql()}${setting ? `; ${LOCAL_SETTINGS[setting]}` : ''}`);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
