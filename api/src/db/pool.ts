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

/**
 * Run once on every new connection before it is handed out: PostgreSQL's backend allocates a large
 * piece (8 MB) and frees it. glibc's malloc then raises its mmap threshold to that size (and keeps
 * up to twice it of freed heap before giving memory back), so the few-hundred-KB buffers of a vector
 * tile or an items page come from the process's heap instead of a fresh, zero-filled mmap each
 * time. Measured on the tile benchmark's z14 tile (issue 9, decision 117): the bare ST_AsMVT 23.3
 * ms on a fresh connection, 20.0 ms on a connection that did this first. Each backend may keep up
 * to ~16 MB more resident; nothing else changes.
 */
export const WARM_ALLOCATOR = "SELECT length(repeat('x', 8388608))";

/** `role`: every connection acts as this role from its start (the startup option `-c role=…`). */
export function createPool(connectionString: string, max = 10, role?: string, extras: PoolExtras = {}): Pool {
  if (role !== undefined && !/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name ${role}`);
  // jit=off: the API's queries are short and index-driven, but row security makes the planner's
  // cost estimates huge, which switched JIT compilation on (0.7-1.5 s per query, measured by the
  // analysis benchmark) for queries that then ran in milliseconds.
  const onConnect = async (client: pg.ClientBase): Promise<void> => {
    await client.query(WARM_ALLOCATOR);
  };
  const pool = new pg.Pool({ connectionString, max, application_name: 'samenhang', options: `-c jit=off${role === undefined ? '' : ` -c role=${role}`}`, onConnect, ...extras });
  // A client that is checked out (withTransaction, a cursor) when its connection dies — a database
  // restart — emits 'error' while the pool listens only to idle ones: unheard, that kills the
  // process. The query in flight fails with the error anyway, and the dead client is dropped on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** no parallel workers, and the plan of a named statement cached per connection (decisions 100, 102) */
const GENERIC_PLAN = [['max_parallel_workers_per_gather', '0'], ['plan_cache_mode', 'force_generic_plan']] as const;

/**
 * Settings a transaction may take, by name, as (setting, value) pairs: `withTransaction` and the
 * replica issue them as SET LOCAL, a pipelined read (db/pipelined.ts) as set_config(…, true).
 */
export const SETTINGS = {
  /** vector tiles: launching parallel workers costs more than a tile's index scan (tile benchmark) */
  noParallel: [['max_parallel_workers_per_gather', '0']],
  /**
   * a single-feature tile: no workers, and its named statement runs the plan cached on the
   * connection instead of planning per tile (decision 100). Only for a transaction whose every
   * statement suits one plan for all parameters: the setting applies to the unnamed ones too.
   */
  genericTile: GENERIC_PLAN,
  /** an OGC items page of a collection with SqlSource.genericPlan: the same, for its named page statement */
  genericPage: GENERIC_PLAN,
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>;

export type Setting = keyof typeof SETTINGS;

/** The SET LOCAL statements of a setting (names and values are this module's constants). */
export function setLocal(setting: Setting): string {
  return SETTINGS[setting].map(([name, value]) => `SET LOCAL ${name} = ${value}`).join('; ');
}

/** Run fn in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (client: Client) => Promise<T>, setting?: Setting): Promise<T> {
  const client = await pool.connect();
  try {
    // the caller's row-security context for this transaction (db/tenant-context.ts), in the same round trip
    await client.query(`BEGIN; ${contextSql()}${setting ? `; ${setLocal(setting)}` : ''}`);
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
