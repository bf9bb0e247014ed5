/**
 * What the health endpoint and the metrics read about the process's surroundings: the pool's
 * queue, the change listener, the import queue, the replica's lag and the upload volume's free
 * space. Each probe is small and answers within `ms` or fails; none of them changes anything.
 */
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from '../../db/pool.ts';
import { type ChangeTarget, TILE_CHANNEL } from '../../db/change-listener.ts';
import { asSystem } from '../../db/tenant-context.ts';

export class ProbeTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'ProbeTimeout';
  }
}

/** `p`, or a ProbeTimeout after `ms` (the work itself goes on; its answer is then ignored). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(what, ms)), ms);
    timer.unref();
  });
  p.catch(() => undefined); // a failure after the timeout is not an unhandled rejection
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Whether the change listener (db/change-listener.ts) holds LISTEN now, and since when it is so. */
export interface ListenerState {
  readonly live: boolean;
  /** Date.now() of the last change of `live` */
  readonly since: number;
}

/**
 * One more target of the change listener that only remembers whether it is connected: while it
 * is not, the caches are off and notices may be missed (health says degraded).
 */
export class ListenerStatus implements ChangeTarget, ListenerState {
  readonly channel = TILE_CHANNEL; // every process listens there already: no extra LISTEN
  live = false;
  since = Date.now();

  connected(): void {
    this.set(true);
  }

  disconnected(): void {
    this.set(false);
  }

  changed(): void {
    // only the connection matters here
  }

  private set(live: boolean): void {
    if (this.live !== live) this.since = Date.now();
    this.live = live;
  }
}

/**
 * How long clients have been waiting for a connection of the pool without a break. Sampled at
 * every checkout and return of the pool, every request start and end, and every health check:
 * any sample that sees nobody waiting starts the count again.
 */
export class PoolWatch {
  private waitingSince: number | null = null;

  constructor(readonly pool: Pool) {
    const sample = () => this.sample();
    pool.on('acquire', sample);
    pool.on('release', sample);
  }

  sample(): void {
    if (this.pool.waitingCount > 0) this.waitingSince ??= Date.now();
    else this.waitingSince = null;
  }

  /** 0 when nobody waits now */
  waitingForMs(): number {
    this.sample();
    return this.waitingSince === null ? 0 : Date.now() - this.waitingSince;
  }
}

export const JOB_STATES = ['analysing', 'awaiting-mapping', 'loading', 'done', 'failed', 'cancelled'] as const;

export interface ImportQueue {
  byState: Record<(typeof JOB_STATES)[number], number>;
  /** steps waiting for a worker */
  queued: number;
  /** claimed jobs without a heartbeat for two leases: their process died and no process's sweep failed them */
  orphaned: number;
}

/** The import queue as PostgreSQL has it (every process's jobs), read as the system (row security). */
export async function readImportQueue(pool: Pool, leaseMs: number): Promise<ImportQueue> {
  const r = await asSystem(() => pool.query<{ state: string; n: number; queued: number; orphaned: number }>(
    `SELECT state, count(*)::int AS n,
            count(*) FILTER (WHERE work IS NOT NULL AND claimed_by IS NULL)::int AS queued,
            count(*) FILTER (WHERE claimed_by IS NOT NULL AND heartbeat < now() - make_interval(secs => $1))::int AS orphaned
       FROM import_job GROUP BY state`, [(2 * leaseMs) / 1000]));
  const q: ImportQueue = { byState: Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as ImportQueue['byState'], queued: 0, orphaned: 0 };
  for (const row of r.rows) {
    if ((JOB_STATES as readonly string[]).includes(row.state)) q.byState[row.state as (typeof JOB_STATES)[number]] = row.n;
    q.queued += row.queued;
    q.orphaned += row.orphaned;
  }
  return q;
}

export interface ReplicaLag {
  /** the server answers as a standby (pg_is_in_recovery) */
  standby: boolean;
  /** WAL bytes the replica has still to replay up to the primary's position of a moment ago; null when not known */
  behindBytes: number | null;
  /** seconds since the last transaction it replayed (large on an idle primary too) */
  replayAgeS: number | null;
}

/** How far the replica is behind the primary (`primary`: the app's pool, `replica`: the replica's). */
export async function readReplicaLag(primary: Pool, replica: Pool): Promise<ReplicaLag> {
  const p = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const r = await replica.query<{ standby: boolean; behind: number | null; age: number | null }>(
    `SELECT pg_is_in_recovery() AS standby, pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::float8 AS behind,
            extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`, [p.rows[0]?.lsn ?? '0/0']);
  const row = r.rows[0];
  return { standby: row?.standby === true, behindBytes: row?.behind == null ? null : Math.max(0, row.behind), replayAgeS: row?.age ?? null };
}

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
}

/** Free space (for an unprivileged process) on the volume of `dir`, or of its nearest existing parent. */
export async function readDiskSpace(dir: string): Promise<DiskSpace> {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const s = await statfs(at);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (err) {
      const parent = path.dirname(at);
      if ((err as { code?: unknown }).code !== 'ENOENT' || parent === at) throw err;
      at = parent;
    }
  }
}
