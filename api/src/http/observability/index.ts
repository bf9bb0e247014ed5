/**
 * Observability of one app (issue 10): the request log and request ids (request-log.ts), the
 * metrics (metrics.ts, GET /api/metrics in metrics-route.ts) and the health report (health.ts,
 * GET /api/health in routes/health.ts), wired by createApp from what it was given.
 */
import type { RequestHandler } from 'express';
import type { Pool } from '../../db/pool.ts';
import type { ReplicaReads } from '../../db/replica.ts';
import type { TileCache } from '../tile-cache.ts';
import type { HealthSources } from './health.ts';
import { type Logger, silentLogger } from './log.ts';
import { AppMetrics } from './metrics.ts';
import { metricsRoute } from './metrics-route.ts';
import { type ListenerState, PoolWatch } from './probes.ts';
import { requestLog } from './request-log.ts';

/** What main.ts (or a test) tells the app about observability; every field has a default. */
export interface ObservabilityOptions {
  /** the process's logger (log.ts); absent: request lines are not written (the in-process tests) */
  logger?: Logger;
  /** the change listener's state (a ListenerStatus among its targets); absent: not checked */
  listener?: ListenerState | null;
  /** SAMENHANG_METRICS_TOKEN (metricsTokenFrom); null or absent: local and administrators only */
  metricsToken?: string | null;
  /** the import jobs' lease (SAMENHANG_JOB_LEASE_S); default 30 s */
  jobLeaseMs?: number;
  /** free space of the upload volume below which health says degraded; default 1 GiB */
  diskLowBytes?: number;
  /** time limit of each health check; default 3 s */
  healthTimeoutMs?: number;
}

export interface ObservedApp {
  /** the app's pool as created */
  pool: Pool;
  /** the tenant-aware pool of the routes */
  query: Pool;
  replica: ReplicaReads | null;
  tileCache: TileCache | null;
  uploadDir: string | null;
  /** the process's id, on every line of the request log */
  instance: string;
}

export interface Observability {
  logger: Logger;
  metrics: AppMetrics;
  /** first middleware of the app */
  requestLog: RequestHandler;
  /** GET /api/metrics, before `authenticate` (it runs that itself for administrators) */
  metricsRoute(authenticate: RequestHandler): RequestHandler;
  health: HealthSources;
}

export function observe(app: ObservedApp, o: ObservabilityOptions = {}): Observability {
  const given = o.logger ?? silentLogger();
  const logger = given.bindings().instance === undefined ? given.child({ instance: app.instance }) : given;
  const listener = o.listener ?? null;
  const jobLeaseMs = o.jobLeaseMs ?? 30_000;
  const poolWatch = new PoolWatch(app.pool);
  const metrics = new AppMetrics({ pool: app.pool, query: app.query, replica: app.replica, tileCache: app.tileCache, listener, jobLeaseMs });
  return {
    logger,
    metrics,
    requestLog: requestLog({ logger, metrics, poolWatch }),
    metricsRoute: (authenticate) => metricsRoute(metrics, o.metricsToken ?? null, authenticate),
    health: {
      query: app.query, poolWatch, listener, replica: app.replica, uploadDir: app.uploadDir, jobLeaseMs,
      diskLowBytes: o.diskLowBytes ?? 1024 ** 3, timeoutMs: o.healthTimeoutMs ?? 3000,
    },
  };
}

export { createLogger, logFunctions, type Logger } from './log.ts';
export { ListenerStatus } from './probes.ts';
export { metricsTokenFrom } from './metrics-route.ts';
