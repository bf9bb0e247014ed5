/**
 * The health of one API process, as GET /api/health reports it (routes/health.ts):
 *   down      the database does not answer: nothing works (503 + Retry-After)
 *   degraded  it answers, but something a user may notice is off; each reason is listed:
 *               pool       queries have waited for a connection for 5 s without a break
 *               listener   the LISTEN connection is lost: caches off, notices may be missed
 *               replica    unreachable, not a standby, or more than 16 MB behind (reads go to
 *                          the primary meanwhile)
 *               imports    jobs whose process died and that no process's sweep failed
 *               disk       the upload directory's volume has less free space than configured
 *   ok        none of that.
 * Every check has its own time limit, so the report comes within `timeoutMs` plus a little even
 * when a check hangs. Check results say what failed in words of their own: no error message of a
 * driver (host names, ports), no stack.
 */
import type { Pool } from '../../db/pool.ts';
import type { ReplicaReads } from '../../db/replica.ts';
import {
  type ListenerState, type PoolWatch, ProbeTimeout, readDiskSpace, readImportQueue, readReplicaLag, withTimeout,
} from './probes.ts';

export type HealthStatus = 'ok' | 'degraded' | 'down';
export type CheckStatus = HealthStatus | 'unknown';

export interface Check {
  status: CheckStatus;
  /** why it is not ok, in a sentence */
  reason?: string;
  [detail: string]: unknown;
}

export interface HealthReport {
  status: HealthStatus;
  reasons: string[];
  database: { version: string | null; latencyMs: number | null };
  postgis: { version: string | null };
  checks: Record<string, Check>;
}

export interface HealthSources {
  /** the tenant-aware pool of the routes */
  query: Pool;
  poolWatch: PoolWatch;
  listener: ListenerState | null;
  replica: ReplicaReads | null;
  /** null: no upload directory to watch */
  uploadDir: string | null;
  jobLeaseMs: number;
  /** less free space than this on the upload volume is degraded */
  diskLowBytes: number;
  /** the time limit of each check */
  timeoutMs: number;
}

export const POOL_WAIT_DEGRADED_MS = 5000;
export const REPLICA_BEHIND_DEGRADED_BYTES = 16 * 1024 * 1024;

const round = (ms: number) => Math.round(ms * 10) / 10;

async function checkDatabase(s: HealthSources): Promise<{ check: Check; db: string | null; postgis: string | null }> {
  const t0 = performance.now();
  try {
    const r = await withTimeout(s.query.query<{ db: string; postgis: string }>(
      "SELECT current_setting('server_version') AS db, PostGIS_Lib_Version() AS postgis"), s.timeoutMs, 'database');
    return { check: { status: 'ok', latencyMs: round(performance.now() - t0) }, db: r.rows[0]?.db ?? null, postgis: r.rows[0]?.postgis ?? null };
  } catch (err) {
    // a full pool is not a database that is away: queries wait, and the pool check names it
    const waiting = err instanceof ProbeTimeout && s.poolWatch.pool.waitingCount > 0;
    const check: Check = waiting
      ? { status: 'degraded', reason: `no free connection of the pool within ${s.timeoutMs} ms`, latencyMs: null }
      : { status: 'down', reason: err instanceof ProbeTimeout ? `the database did not answer within ${s.timeoutMs} ms` : 'the database is not reachable', latencyMs: null };
    return { check, db: null, postgis: null };
  }
}

function checkPool(s: HealthSources): Check {
  const p = s.poolWatch.pool;
  const waitingForMs = s.poolWatch.waitingForMs();
  const detail = { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, waitingForMs };
  return waitingForMs >= POOL_WAIT_DEGRADED_MS
    ? { status: 'degraded', reason: `queries have waited for a database connection for ${Math.round(waitingForMs / 1000)} s`, ...detail }
    : { status: 'ok', ...detail };
}

function checkListener(s: HealthSources): Check | null {
  const l = s.listener;
  if (l === null) return null;
  const sinceS = Math.round((Date.now() - l.since) / 1000);
  return l.live
    ? { status: 'ok', connected: true, sinceS }
    : { status: 'degraded', reason: 'the change listener is reconnecting: caches are off and changes by other processes may be seen late', connected: false, sinceS };
}

async function checkReplica(s: HealthSources): Promise<Check | null> {
  const replica = s.replica;
  if (replica === null) return null;
  try {
    const lag = await withTimeout(readReplicaLag(s.query, replica.pool), s.timeoutMs, 'replica');
    if (!lag.standby) return { status: 'degraded', reason: 'the replica is not a standby: reads go to the primary', ...lag };
    if (lag.behindBytes !== null && lag.behindBytes > REPLICA_BEHIND_DEGRADED_BYTES) {
      return { status: 'degraded', reason: `the replica is ${Math.round(lag.behindBytes / 1024 / 1024)} MB behind: reads go to the primary until it catches up`, ...lag };
    }
    return { status: 'ok', ...lag };
  } catch {
    return { status: 'degraded', reason: 'the replica is not reachable: reads go to the primary' };
  }
}

async function checkImports(s: HealthSources): Promise<Check> {
  try {
    const q = await withTimeout(readImportQueue(s.query, s.jobLeaseMs), s.timeoutMs, 'import queue');
    const detail = { queued: q.queued, running: q.byState.analysing + q.byState.loading, orphaned: q.orphaned };
    return q.orphaned > 0
      ? { status: 'degraded', reason: `${q.orphaned} import job(s) lost their process and no process took over`, ...detail }
      : { status: 'ok', ...detail };
  } catch {
    return { status: 'unknown', reason: 'the import queue could not be read' };
  }
}

async function checkDisk(s: HealthSources): Promise<Check | null> {
  if (s.uploadDir === null) return null;
  try {
    const d = await withTimeout(readDiskSpace(s.uploadDir), s.timeoutMs, 'disk');
    const detail = { freeBytes: d.freeBytes, totalBytes: d.totalBytes, lowBytes: s.diskLowBytes };
    return d.freeBytes < s.diskLowBytes
      ? { status: 'degraded', reason: `the upload directory's volume has ${Math.round(d.freeBytes / 1024 / 1024)} MB free: large imports may fail`, ...detail }
      : { status: 'ok', ...detail };
  } catch {
    return { status: 'unknown', reason: 'the upload directory\'s volume could not be read' };
  }
}

/** Run every check at once and sum them up. */
export async function checkHealth(s: HealthSources): Promise<HealthReport> {
  const [database, replica, imports, disk] = await Promise.all([checkDatabase(s), checkReplica(s), checkImports(s), checkDisk(s)]);
  const all: Record<string, Check | null> = {
    database: database.check, pool: checkPool(s), listener: checkListener(s), replica, imports, disk,
  };
  const checks = Object.fromEntries(Object.entries(all).filter((e): e is [string, Check] => e[1] !== null));
  const reasons = Object.values(checks).filter((c) => c.status === 'down' || c.status === 'degraded').map((c) => c.reason ?? '');
  const status: HealthStatus = database.check.status === 'down' ? 'down' : reasons.length > 0 ? 'degraded' : 'ok';
  return {
    status, reasons, checks,
    database: { version: database.db, latencyMs: (database.check.latencyMs as number | null | undefined) ?? null },
    postgis: { version: database.postgis },
  };
}
