/**
 * The metrics of one app (prom-client, Prometheus text format), in a registry of its own so that
 * several apps in one process (the in-process tests) never share or collide. Requests are counted
 * as they finish (request-log.ts); everything else is read when scraped: pool, caches, replica,
 * listener, and the import queue from PostgreSQL (all processes' jobs: the queue is shared).
 *
 * Labels are bounded: `route` is the Express route pattern (`/api/works/:id`), `(static)` or
 * `(none)`, never a raw path; `method` is one of the HTTP methods or `other`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from '../../db/pool.ts';
import type { ReplicaReads } from '../../db/replica.ts';
import type { TileCache } from '../tile-cache.ts';
import { JOB_STATES, type ListenerState, readImportQueue, withTimeout } from './probes.ts';

export interface MetricsSources {
  /** the app's pool as created (connection counts) */
  pool: Pool;
  /** the tenant-aware pool (queries as the system) */
  query: Pool;
  replica: ReplicaReads | null;
  tileCache: TileCache | null;
  listener: ListenerState | null;
  jobLeaseMs: number;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** seconds; tiles from memory take a millisecond, an export or a report many seconds */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SCRAPE_QUERY_MS = 2000;

let processRegistry: Registry | null = null;

/** Process metrics (CPU, memory, event loop lag, GC): one set per process, however many apps it serves. */
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A counter set to a running total kept elsewhere (the tile cache's and the replica's own counts). */
function setTotal(c: Counter<string>, labels: Record<string, string> | null, total: number): void {
  if (labels === null) {
    c.reset();
    c.inc(total);
  } else {
    c.remove(labels);
    c.inc(labels, total);
  }
}

export class AppMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;
  private readonly refreshers: (() => Promise<void> | void)[] = [];

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests finished, by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers });
    this.duration = new Histogram({ name: 'http_request_duration_seconds', help: 'time from request to the last byte of the answer', labelNames: ['method', 'route'], buckets: BUCKETS, registers });
    this.poolMetrics();
    this.jobMetrics();
    this.cacheMetrics();
    this.replicaMetrics();
    const listener = new Gauge({ name: 'samenhang_change_listener_connected', help: '1 while the LISTEN connection holds (caches on), 0 while it reconnects, absent without a listener', registers });
    this.refreshers.push(() => {
      if (sources.listener) listener.set(sources.listener.live ? 1 : 0);
    });
  }

  /** One finished request. */
  observe(method: string, route: string, status: string, seconds: number): void {
    const m = METHODS.has(method) ? method : 'other';
    this.requests.inc({ method: m, route, status });
    this.duration.observe({ method: m, route }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The scrape: process metrics, then this app's. */
  async text(): Promise<string> {
    for (const r of this.refreshers) await r();
    const [proc, app] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${proc.trimEnd()}\n\n${app}`;
  }

  private poolMetrics(): void {
    const registers = [this.registry];
    const total = new Gauge({ name: 'samenhang_db_pool_connections', help: 'open connections of the pool', labelNames: ['pool'], registers });
    const idle = new Gauge({ name: 'samenhang_db_pool_idle_connections', help: 'open connections nobody uses now', labelNames: ['pool'], registers });
    const waiting = new Gauge({ name: 'samenhang_db_pool_waiting_clients', help: 'queries waiting for a connection', labelNames: ['pool'], registers });
    const max = new Gauge({ name: 'samenhang_db_pool_max_connections', help: 'the most connections the pool opens', labelNames: ['pool'], registers });
    this.refreshers.push(() => {
      const pools: [string, Pool][] = [['primary', this.sources.pool], ...(this.sources.replica ? [['replica', this.sources.replica.pool] as [string, Pool]] : [])];
      for (const [name, p] of pools) {
        total.set({ pool: name }, p.totalCount);
        idle.set({ pool: name }, p.idleCount);
        waiting.set({ pool: name }, p.waitingCount);
        max.set({ pool: name }, (p as unknown as { options: { max?: number } }).options.max ?? 10);
      }
    });
  }

  private jobMetrics(): void {
    const registers = [this.registry];
    const up = new Gauge({ name: 'samenhang_database_up', help: '1 when the scrape could read the import queue from the database', registers });
    const byState = new Gauge({ name: 'samenhang_import_jobs', help: 'import jobs in PostgreSQL (every process), by state', labelNames: ['state'], registers });
    const queued = new Gauge({ name: 'samenhang_import_jobs_queued', help: 'import steps waiting for a worker', registers });
    const orphaned = new Gauge({ name: 'samenhang_import_jobs_orphaned', help: 'claimed import jobs without a heartbeat for two leases (nobody took over)', registers });
    this.refreshers.push(async () => {
      try {
        const q = await withTimeout(readImportQueue(this.sources.query, this.sources.jobLeaseMs), SCRAPE_QUERY_MS, 'import queue');
        for (const s of JOB_STATES) byState.set({ state: s }, q.byState[s]);
        queued.set(q.queued);
        orphaned.set(q.orphaned);
        up.set(1);
      } catch {
        // the database is away or the pool full: the other metrics still go out
        byState.reset();
        queued.reset();
        orphaned.reset();
        up.set(0);
      }
    });
  }

  private cacheMetrics(): void {
    const cache = this.sources.tileCache;
    if (!cache) return;
    const registers = [this.registry];
    const hits = new Counter({ name: 'samenhang_tile_cache_hits_total', help: 'tiles answered from memory', registers });
    const misses = new Counter({ name: 'samenhang_tile_cache_misses_total', help: 'tiles looked up in memory and made by SQL', registers });
    const invalidations = new Counter({ name: 'samenhang_tile_cache_invalidations_total', help: 'change notices that moved tile families on', registers });
    const bytes = new Gauge({ name: 'samenhang_tile_cache_bytes', help: 'memory held by cached tiles (bytes and bookkeeping)', registers });
    const entries = new Gauge({ name: 'samenhang_tile_cache_entries', help: 'tiles held', registers });
    const max = new Gauge({ name: 'samenhang_tile_cache_max_bytes', help: 'the budget of the tile cache', registers });
    const enabled = new Gauge({ name: 'samenhang_tile_cache_enabled', help: '1 while tiles are served from memory (listener connected, budget above 0)', registers });
    this.refreshers.push(() => {
      const s = cache.stats();
      setTotal(hits, null, s.hits);
      setTotal(misses, null, s.misses);
      setTotal(invalidations, null, s.invalidations);
      bytes.set(s.bytes);
      entries.set(s.entries);
      max.set(s.maxBytes);
      enabled.set(s.enabled ? 1 : 0);
    });
  }

  private replicaMetrics(): void {
    const replica = this.sources.replica;
    if (!replica) return;
    const reads = new Counter({ name: 'samenhang_replica_reads_total', help: 'reads that could go to the replica, by where they went and why not the replica', labelNames: ['from', 'reason'], registers: [this.registry] });
    this.refreshers.push(() => {
      const s = replica.stats();
      setTotal(reads, { from: 'replica', reason: 'none' }, s.replica);
      for (const [reason, n] of Object.entries(s.primary)) setTotal(reads, { from: 'primary', reason }, n);
    });
  }
}
