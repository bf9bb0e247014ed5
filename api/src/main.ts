import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { APP_ROLE, createAppPool, tenantPool } from './db/tenant-context.ts';
import { workingSrid } from './db/migrate.ts';
import { DEMO_ACCOUNTS } from './auth/demo.ts';
import { createApp, defaultUploadDir, newInstanceId } from './http/app.ts';
import { applyRetention } from './walks/store.ts';
import { TileCache } from './http/tile-cache.ts';
import { listenForChanges } from './db/change-listener.ts';
import { PrincipalCache } from './auth/principal-cache.ts';
import { ImportJobs } from './jobs/import-jobs.ts';
import { walkEvents } from './walks/live.ts';
import { buildMissingOverviews } from './db/overview.ts';
import { ReplicaReads } from './db/replica.ts';
import { ListenerStatus, createLogger, logFunctions, metricsTokenFrom } from './http/observability/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// this process's id among several (the X-Samenhang-Process header), on every line of its JSON log
const instance = newInstanceId();
const logger = createLogger({ instance });
const log = logFunctions(logger);

const IDLE_MS = 5 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  // the API acts as samenhang_app: row-level security applies to everything it reads (migration 006)
  // a request waits at most 10 s for a connection: while the database is away it answers 503 at once
  // (connection refused) or after this, never hangs (http/errors.ts, db/unavailable.ts). Idle
  // connections are kept 5 minutes (pg's default: 10 s): a new backend pays ~100 ms of warm-up on
  // its first page or tile (PROJ set-up, catalog and policy caches), which pauses of a few seconds
  // in the traffic made the pool pay again and again (features benchmark, issue 9)
  const pool = createAppPool(config.databaseUrl, 10, { connectionTimeoutMillis: 10_000, idleTimeoutMillis: IDLE_MS });
  // An idle client losing its connection (database restart) must not kill the process.
  pool.on('error', (err) => log.warn(`database connection error: ${err.message}`));
  const srid = await workingSrid(pool);
  const role = await pool.query<{ r: string }>('SELECT current_user AS r');
  if (role.rows[0]?.r !== APP_ROLE) throw new Error(`the API must act as ${APP_ROLE}, but acts as ${role.rows[0]?.r ?? '?'} (was the database migrated?)`);
  const tileCache = new TileCache(config.tileCacheBytes);
  const principalCache = new PrincipalCache();
  // several processes may serve one database behind a balancer (docs/scaling.md): jobs and live
  // feeds go through PostgreSQL, and this process hears the others through its one LISTEN connection
  const jobs = new ImportJobs({
    pool: tenantPool(pool), srid, instance, uploadDir: config.uploadDir ?? defaultUploadDir(), leaseMs: config.jobLeaseMs,
    log: log.warn,
  });
  const walks = walkEvents();
  // tiles and OGC items pages may be read from a streaming replica once it has replayed what the
  // listener heard changed (db/replica.ts); same role and row security as the primary pool. A
  // replica that does not answer within 5 s counts as down for that request.
  const replica = config.databaseReplicaUrl === null
    ? null
    : new ReplicaReads(createAppPool(config.databaseReplicaUrl, 10, { connectionTimeoutMillis: 5000, idleTimeoutMillis: IDLE_MS }), log.warn);
  const listener = new ListenerStatus(); // health: degraded while the listener reconnects
  const targets = [tileCache, principalCache, jobs.events, walks.notices, listener, ...(replica ? [replica] : [])];
  const changes = listenForChanges(config.databaseUrl, targets, log.warn);
  jobs.startWorker();
  const app = createApp({
    pool,
    instance,
    jobs,
    walkEvents: walks,
    tileCache,
    principalCache,
    workingSrid: srid,
    basemap: config.basemap,
    webDist: config.webDist ?? path.join(ROOT, 'web', 'dist'),
    demoAccounts: config.demo ? DEMO_ACCOUNTS : null,
    replica,
    log: log.info,
    logError: log.error,
    observability: { logger, listener, metricsToken: metricsTokenFrom(process.env), jobLeaseMs: config.jobLeaseMs },
  });
  const server = app.listen(config.port, config.host, () => {
    const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
    logger.info({ host: config.host, port: config.port }, `Samenhang draait op http://${shownHost}:${config.port}/`);
  });
  // retention of walks (issue 7): personal fields go once a closed walk's term has passed; checked at start and daily
  const retention = () => void applyRetention(tenantPool(pool)).then(
    (r) => (r.hotspots || r.devices ? log.info(`bewaartermijn wijkschouw: ${r.hotspots} namen bij meldingen en ${r.devices} apparaatnamen verwijderd`) : undefined),
    (err: unknown) => log.error(`retention failed: ${err instanceof Error ? err.message : String(err)}`));
  retention();
  // a layer whose low-zoom overview was never built (a build that failed or was cut off) gets it now
  void buildMissingOverviews(pool, log.warn).then((built) => {
    if (built.length > 0) log.info(`overzicht voor lage zoomniveaus gebouwd voor ${built.length} laag/lagen`);
  }, (err: unknown) => log.warn(`overviews not checked: ${err instanceof Error ? err.message : String(err)}`));
  const daily = setInterval(retention, 24 * 3600 * 1000);
  daily.unref();
  const shutdown = () => {
    clearInterval(daily);
    // import steps running here go back to the queue at once, for another process to take up
    const stopped = jobs.close();
    server.close(() => void stopped.then(() => changes.close()).then(() => Promise.all([pool.end(), replica?.pool.end()])).then(() => process.exit(0)));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

// the last safety net: a promise nobody awaited that fails (say, while the database restarts) is
// logged in one line instead of ending the process and every request it serves
process.on('unhandledRejection', (err: unknown) => log.error(`unhandled rejection: ${err instanceof Error ? err.message : String(err)}`));

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
