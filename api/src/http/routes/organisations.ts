import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { forbidden, principalOf } from '../auth.ts';

export function organisationsRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/organisations', async (_req, res) => {
    const p = principalOf(res);
    if (!p.partner) throw forbidden(p, 'the list of organisations is for partners');
    const r = await pool.query('SELECT id, name, kind, klic_code AS "klicCode", slug FROM organisation ORDER BY name');
    res.json({ organisations: r.rows });
  });
  return router;
}
