/**
 * GET /api/health: `ok`, `degraded` (200, with the reasons) or `down` (503 + Retry-After), with a
 * result per check (observability/health.ts). Open to everyone, as balancers and uptime monitors
 * ask without credentials: it names states and counts, never hosts, errors or data. The database
 * and PostGIS versions stay where clients read them (`database.version`, `postgis.version`).
 * A change of the status is logged once (not every probe of a balancer).
 */
import { Router } from 'express';
import { type HealthSources, type HealthStatus, checkHealth } from '../observability/health.ts';
import type { Logger } from '../observability/log.ts';
import { requestIdOf } from '../observability/request-log.ts';
import { DATABASE_RETRY_AFTER_S } from '../../db/unavailable.ts';

export function healthRouter(sources: HealthSources, logger: Logger): Router {
  const router = Router();
  let last: HealthStatus = 'ok';
  router.get('/api/health', async (_req, res) => {
    const report = await checkHealth(sources);
    if (report.status !== last) {
      const line = { health: report.status, was: last, reasons: report.reasons };
      if (report.status === 'ok') logger.info(line, `health ${last} → ok`);
      else logger.warn(line, `health ${last} → ${report.status}: ${report.reasons.join('; ')}`);
      last = report.status;
    }
    if (report.status !== 'down') {
      res.set('Cache-Control', 'no-store').json(report);
      return;
    }
    // the error shape every other answer of the API has, beside the report
    const error = { status: 503, code: 'database_unavailable', message: 'the database cannot be reached just now; try again shortly', id: requestIdOf(res) ?? '' };
    res.status(503).set({ 'Retry-After': String(DATABASE_RETRY_AFTER_S), 'Cache-Control': 'no-store' }).json({ ...report, error });
  });
  return router;
}
