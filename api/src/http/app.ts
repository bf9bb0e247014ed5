import express, { type Express } from 'express';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from '../db/pool.ts';
import { ImportJobs } from '../jobs/import-jobs.ts';
import { type Audit, auditLog } from '../auth/audit.ts';
import { tenantPool } from '../db/tenant-context.ts';
import { authenticate, principalOf } from './auth.ts';
import { errorMiddleware, unknownRoute } from './errors.ts';
import { adminRouter } from './routes/admin.ts';
import { analysisInputRouter, analysisRouter } from './routes/analysis.ts';
import { analysisDecisionsRouter } from './routes/analysis-decisions.ts';
import { analysisOpeningsRouter } from './routes/analysis-openings.ts';
import { reportRouter } from './routes/report.ts';
import { workEditRouter } from './routes/work-edit.ts';
import { moratoriaRouter } from './routes/moratoria.ts';
import { planExportRouter } from './routes/plan-export.ts';
import { selectionExportRouter } from './routes/selection-export.ts';
import { workImportRouter } from './routes/work-import.ts';
import { type DemoAccount, authRouter } from './routes/auth.ts';
import { importsRouter } from './routes/imports.ts';
import { organisationsRouter } from './routes/organisations.ts';
import { datasetListRouter } from './routes/dataset-list.ts';
import { datasetsRouter } from './routes/datasets.ts';
import { assetsRouter } from './routes/assets.ts';
import { healthRouter } from './routes/health.ts';
import { loadShed, maxInflightOf } from './load-shed.ts';
import { type ObservabilityOptions, observe } from './observability/index.ts';
import { layersRouter } from './routes/layers.ts';
import { searchRouter } from './routes/search.ts';
import { tilesRouter } from './routes/tiles.ts';
import { ogcTilesRouter } from './routes/ogc-tiles.ts';
import { ogcRouter } from './routes/ogc.ts';
import { worksRouter } from './routes/works.ts';
import { walksRouter } from './routes/walks.ts';
import { walkStudioRouter } from './routes/walk-studio.ts';
import { type ParticipantLimits, walkParticipantRouter } from './routes/walk-participant.ts';
import { type WalkEvents, walkEvents } from '../walks/live.ts';
import { errorPage } from '../ogc/html.ts';
import type { TileCache } from './tile-cache.ts';
import type { PrincipalCache } from '../auth/principal-cache.ts';
import type { ReplicaReads } from '../db/replica.ts';
import { apiRoot, formatOf } from '../ogc/links.ts';

export interface AppDeps {
  pool: Pool;
  workingSrid: number;
  basemap: { tiles: string[]; attribution: string } | null;
  /** Built web client (web/dist); null serves the API only. */
  webDist: string | null;
  logError?: (msg: string) => void;
  /**
   * Import jobs (in PostgreSQL, worked on by every process's worker); created and started here
   * when not given. Whoever creates them also hands `jobs.events` to the change listener.
   */
  jobs?: ImportJobs;
  /** where uploads are kept when the jobs are created here: a directory every API process shares */
  uploadDir?: string;
  /** this process's id among several behind a balancer: the X-Samenhang-Process header, claimed_by of its jobs */
  instance?: string;
  maxUploadBytes?: number;
  /** demo mode: accounts listed on the sign-in page (never in production) */
  demoAccounts?: DemoAccount[] | null;
  audit?: Audit;
  log?: (msg: string) => void;
  /** the live feed of walks; its `notices` belong to the change listener (tests may pass their own) */
  walkEvents?: WalkEvents;
  /** the most bytes of a networks tile before its largest layers are merged (routes/tiles.ts; tests may lower it) */
  networkTileBudget?: number;
  /** vector tiles kept in memory, invalidated by NOTIFY (tile-cache.ts); null or absent: none */
  tileCache?: TileCache | null;
  /** signed-in callers kept in memory, invalidated by NOTIFY (auth/principal-cache.ts); null or absent: none */
  principalCache?: PrincipalCache | null;
  /** rate limits of walk participants (tests may lower them) */
  participantLimits?: ParticipantLimits;
  /**
   * Reads of tiles and OGC items pages from a streaming replica (DATABASE_REPLICA_URL, db/replica.ts);
   * whoever creates it also hands it to the change listener. null or absent: everything on `pool`.
   */
  replica?: ReplicaReads | null;
  /** request log, metrics and health (observability/index.ts); every part has a default */
  observability?: ObservabilityOptions;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Security headers on every answer. The CSP allows our own scripts only (no inline script),
 * MapLibre's worker (a bundled file) and blob: images/workers it creates, and an online basemap
 * origin when one is configured.
 */
function securityHeaders(basemapTiles: readonly string[]): express.RequestHandler {
  const basemap = [...new Set(basemapTiles.map((t) => { try { return new URL(t.replace(/[{}]/g, '')).origin; } catch { return ''; } }).filter(Boolean))].join(' ');
  const csp = [
    "default-src 'self'", "script-src 'self'", "worker-src 'self' blob:", "child-src 'self' blob:",
    `img-src 'self' data: blob: ${basemap}`.trim(), `connect-src 'self' ${basemap}`.trim(), "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
  ].join('; ');
  return (_req, res, next) => {
    res.set({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' });
    next();
  };
}

/** Uploads in the system's temp directory: shared by every process of one machine. */
export function defaultUploadDir(): string {
  return path.join(os.tmpdir(), 'samenhang-uploads');
}

function startedJobs(pool: AppDeps['pool'], srid: number, uploadDir: string, instance: string, log: (m: string) => void): ImportJobs {
  const jobs = new ImportJobs({ pool, srid, uploadDir, instance, log });
  jobs.startWorker();
  return jobs;
}

/** Errors under /ogc are pages when HTML was asked for (f=html or a browser's Accept), as the OGC html class wants. */
function ogcErrorPage(req: express.Request, error: Parameters<typeof errorPage>[1]): string | null {
  if (req.path !== '/ogc' && !req.path.startsWith('/ogc/')) return null;
  let html = false;
  try {
    html = formatOf(req) === 'html';
  } catch {
    // an invalid f: its 400 goes out as JSON
  }
  return html ? errorPage(apiRoot(req), error) : null;
}

/** An API process's id: random, so the header tells an operator (and the tests) which process answered without naming host or pid. */
export function newInstanceId(): string {
  return randomBytes(6).toString('hex');
}

/** Composition root: every route gets its dependencies here; nothing is global. */
export function createApp(appDeps: AppDeps): Express {
  // every query of a request runs in that caller's row-security context (db/tenant-context.ts)
  const deps = { ...appDeps, pool: tenantPool(appDeps.pool) };
  const instance = deps.instance ?? deps.jobs?.instance ?? newInstanceId();
  const app = express();
  app.disable('x-powered-by');
  // first: every answer (errors too) carries its request id, and every request is logged and counted
  const obs = observe({
    pool: appDeps.pool, query: deps.pool, replica: deps.replica ?? null, tileCache: deps.tileCache ?? null,
    uploadDir: deps.jobs?.uploadDir ?? deps.uploadDir ?? defaultUploadDir(), instance,
  }, deps.observability);
  app.use(obs.requestLog);
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders(deps.basemap?.tiles ?? []));
  // which of several processes behind a balancer answered (the scale-out test proves alternation with it)
  app.use((_req, res, next) => {
    res.set('X-Samenhang-Process', instance);
    next();
  });
  app.use(loadShed(maxInflightOf())); // over SAMENHANG_MAX_INFLIGHT requests at once: 503 + Retry-After (load-shed.ts)
  const replica = deps.replica ?? null;
  if (replica) {
    // a write through this process is read back from the primary even before its NOTIFY arrives
    app.use((req, res, next) => {
      if (!SAFE_METHODS.has(req.method)) res.on('finish', () => replica.wrote());
      next();
    });
  }
  app.use(express.json({ limit: '1mb' }));
  const audit = deps.audit ?? auditLog(deps.pool, deps.logError);

  // who is asking, for every route below: deny by default is decided per route by auth/policy.ts
  const auth = authenticate(deps.pool, deps.principalCache ?? null);
  app.get('/api/metrics', obs.metricsRoute(auth)); // local, metrics token or administrator (metrics-route.ts)
  // health before authentication: a probe with a session cookie still learns the database is down
  app.use(healthRouter(obs.health, obs.logger));
  app.use(auth);
  app.use(authRouter({ pool: deps.pool, audit, demoAccounts: deps.demoAccounts ?? null, log: deps.log ?? console.log }));
  app.use(adminRouter(deps.pool, audit));
  app.use(layersRouter(deps.pool));
  app.use(assetsRouter(deps.pool, audit));
  app.use(planExportRouter(deps.pool, audit)); // before the /:id routes
  app.use(selectionExportRouter(deps.pool, deps.workingSrid, audit)); // GET /api/export: several layers, one area and time window
  app.use(workImportRouter(deps.pool, deps.workingSrid, audit));
  app.use(worksRouter(deps.pool));
  app.use(workEditRouter(deps.pool));
  app.use(moratoriaRouter(deps.pool));
  app.use(analysisRouter(deps.pool));
  app.use(analysisInputRouter(deps.pool));
  app.use(analysisDecisionsRouter(deps.pool));
  app.use(analysisOpeningsRouter(deps.pool));
  app.use(reportRouter(deps.pool, audit)); // the area report (issue 8): jobs in memory
  const events = deps.walkEvents ?? walkEvents();
  app.use(walkParticipantRouter(deps.pool, events, deps.participantLimits));
  app.use(walkStudioRouter(deps.pool)); // before walksRouter: /api/walks/:id/hotspots.csv
  app.use(walksRouter(deps.pool, events));
  app.use(searchRouter(deps.pool, audit));
  app.use(tilesRouter(deps.pool, deps.workingSrid, audit, deps.tileCache ?? null, replica, deps.networkTileBudget));
  app.use(ogcTilesRouter(deps.pool, deps.workingSrid, audit, deps.tileCache ?? null, replica)); // OGC API – Tiles under /ogc
  app.use(organisationsRouter(deps.pool));
  app.use(datasetListRouter(deps.pool));
  app.use(datasetsRouter(deps.pool, deps.workingSrid, audit));
  const jobs = deps.jobs ?? startedJobs(deps.pool, deps.workingSrid, deps.uploadDir ?? defaultUploadDir(), instance, deps.logError ?? console.error);
  app.use(importsRouter(jobs, { maxUploadBytes: deps.maxUploadBytes ?? 2 * 1024 ** 3 }, audit));
  app.get('/api/config', (_req, res) => {
    res.json({ basemap: deps.basemap });
  });
  app.use(ogcRouter(deps.pool, deps.workingSrid, audit, replica)); // OGC API – Features under /ogc
  app.use(['/api', '/tiles', '/ogc'], unknownRoute);

  if (deps.webDist && existsSync(deps.webDist)) {
    const dist = deps.webDist;
    app.use(express.static(dist, { index: 'index.html', maxAge: '1h' }));
    // the participant's page of a walk (issue 7): /schouw and /schouw/<CODE>
    if (existsSync(path.join(dist, 'schouw.html'))) app.get(['/schouw', '/schouw/{*code}'], (_req, res) => res.sendFile(path.join(dist, 'schouw.html')));
    app.get('/{*spa}', (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }
  app.use(unknownRoute);
  app.use(errorMiddleware(deps.logError, (req, res, code) => {
    // failed sign-ins are logged by the login route itself, with the account named
    // (and routes that logged the refusal themselves mark it)
    if (code === 'invalid_credentials' || code === 'totp_required' || code === 'too_many_attempts' || res.locals.audited === true) return;
    void audit(principalOf(res), { action: 'denied', result: 'denied', objectType: 'route', objectId: `${req.method} ${req.path}`, ip: req.ip, detail: { code } });
  }, ogcErrorPage));
  return app;
}
