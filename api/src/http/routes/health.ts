import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { HttpError } from '../errors.ts';

export function healthRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/health', async (_req, res) => {
    try {
      const r = await pool.query<{ db: string; postgis: string }>(
        'SELECT current_setting(\'server_version\') AS db, PostGIS_Lib_Version() AS postgis',
      );
      const row = r.rows[0];
      res.json({ status: 'ok', database: { version: row?.db ?? null }, postgis: { version: row?.postgis ?? null } });
    } catch {
      res.set('Retry-After', '5');
      throw new HttpError(503, 'database_unavailable', 'the database is not reachable');
    }
  });
  return router;
}
