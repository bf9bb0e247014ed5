import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from '../db/pool.ts';
import { ImportJobs } from '../jobs/import-jobs.ts';
import { errorMiddleware, unknownRoute } from './errors.ts';
import { importsRouter } from './routes/imports.ts';
import { organisationsRouter } from './routes/organisations.ts';
import { datasetListRouter } from './routes/dataset-list.ts';
import { datasetsRouter } from './routes/datasets.ts';
import { assetsRouter } from './routes/assets.ts';
import { healthRouter } from './routes/health.ts';
import { layersRouter } from './routes/layers.ts';
import { searchRouter } from './routes/search.ts';
import { tilesRouter } from './routes/tiles.ts';
import { worksRouter } from './routes/works.ts';

export interface AppDeps {
  pool: Pool;
  workingSrid: number;
  basemap: { tiles: string[]; attribution: string } | null;
  /** Built web client (web/dist); null serves the API only. */
  webDist: string | null;
  logError?: (msg: string) => void;
  /** Import jobs; created here when not given (tests may pass their own). */
  jobs?: ImportJobs;
  maxUploadBytes?: number;
}

/** Composition root: every route gets its dependencies here; nothing is global. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '1mb' }));

  app.use(healthRouter(deps.pool));
  app.use(layersRouter(deps.pool));
  app.use(assetsRouter(deps.pool));
  app.use(worksRouter(deps.pool));
  app.use(searchRouter(deps.pool));
  app.use(tilesRouter(deps.pool, deps.workingSrid));
  app.use(organisationsRouter(deps.pool));
  app.use(datasetListRouter(deps.pool));
  app.use(datasetsRouter(deps.pool, deps.workingSrid));
  const jobs = deps.jobs ?? new ImportJobs({ pool: deps.pool, srid: deps.workingSrid, log: deps.logError ?? console.error });
  app.use(importsRouter(jobs, { maxUploadBytes: deps.maxUploadBytes ?? 2 * 1024 ** 3 }));
  app.get('/api/config', (_req, res) => {
    res.json({ basemap: deps.basemap });
  });
  app.use(['/api', '/tiles'], unknownRoute);

  if (deps.webDist && existsSync(deps.webDist)) {
    const dist = deps.webDist;
    app.use(express.static(dist, { index: 'index.html', maxAge: '1h' }));
    app.get('/{*spa}', (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }
  app.use(unknownRoute);
  app.use(errorMiddleware(deps.logError));
  return app;
}
