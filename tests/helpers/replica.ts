/**
 * A real streaming replica of the test server (tests/integration/replica.test.ts): made by
 * scripts/bench/replica-cluster.ts (pg_basebackup of the whole test cluster, a hot standby on a
 * free port), and the API's replica reads pointed at one test database on it. The primary must
 * allow replication connections from 127.0.0.1 (the local trust cluster does by default).
 */
import pg from 'pg';
import { ReplicaReads } from '../../api/src/db/replica.ts';
import { createAppPool } from '../../api/src/db/tenant-context.ts';
import { type ReplicaCluster, startReplica } from '../../scripts/bench/replica-cluster.ts';
import { testServerUrl } from './db.ts';

export type { ReplicaCluster };

export function startTestReplica(): Promise<ReplicaCluster> {
  return startReplica(testServerUrl());
}

const nameOf = (databaseUrl: string): string => decodeURIComponent(new URL(databaseUrl).pathname.slice(1));

/** The API's reads of tiles and items pages, on the replica's copy of `databaseUrl`; log lines go to `logs`. */
export function replicaReadsFor(cluster: ReplicaCluster, databaseUrl: string, logs: string[]): ReplicaReads {
  const pool = createAppPool(cluster.url(nameOf(databaseUrl)), 5, { connectionTimeoutMillis: 2000 });
  return new ReplicaReads(pool, (m) => logs.push(m));
}

/** A query on the replica as the test server's (super)user, bypassing the API: what the replica holds now. */
export async function onReplica<T extends pg.QueryResultRow>(cluster: ReplicaCluster, databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: cluster.url(nameOf(databaseUrl)), application_name: 'samenhang-test-replica' });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Hold the replica's replay where it is (it keeps receiving WAL), or let it go on. */
export async function pauseReplay(cluster: ReplicaCluster, databaseUrl: string, pause: boolean): Promise<void> {
  await onReplica(cluster, databaseUrl, pause ? 'SELECT pg_wal_replay_pause()' : 'SELECT pg_wal_replay_resume()');
  if (!pause) return;
  // pausing takes effect at the next record: wait until it says so
  for (let i = 0; i < 100; i++) {
    const [r] = await onReplica<{ s: string }>(cluster, databaseUrl, 'SELECT pg_get_wal_replay_pause_state() AS s');
    if (r?.s === 'paused') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
