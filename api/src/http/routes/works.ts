import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { policyParams, workReadableSql } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { type Db, type Row, WORK_COLUMNS, readWorkRow } from '../../db/repositories/works.ts';
import { principalOf } from '../auth.ts';
import { etagOf } from '../concurrency.ts';
import { notFound } from '../errors.ts';
import { parseId } from './assets.ts';

export { WORK_COLUMNS } from '../../db/repositories/works.ts';

/** A strong ETag of a work's version (If-Match on PATCH/DELETE compares it). */
export const workEtag = (id: number, version: number): string => etagOf('work', id, version);

/** One work as the caller may see it (null when not there or not visible), with its geometry in WGS84. */
export function readWork(db: Db, id: number, p: Principal): Promise<Row | null> {
  return readWorkRow(db, id, workReadableSql(2), policyParams(p));
}

export function worksRouter(pool: Pool): Router {
  const router = Router();

  router.get('/api/works', async (_req, res) => {
    res.set('Cache-Control', 'private, no-cache');
    const r = await pool.query<{ fc: unknown }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
         'type', 'Feature', 'id', t.id,
         'geometry', ST_AsGeoJSON(ST_Transform(t.geom, 4326), 7)::json,
         'properties', to_jsonb(t) - 'geom') ORDER BY t.id), '[]'::json)) AS fc
       FROM (SELECT ${WORK_COLUMNS}, w.geom FROM work w LEFT JOIN organisation o ON o.id = w.owner_id WHERE ${workReadableSql(1)}) t`,
      policyParams(principalOf(res)),
    );
    res.type('application/geo+json').send(JSON.stringify(r.rows[0]?.fc));
  });

  router.get('/api/works/:id', async (req, res) => {
    const id = parseId(req.params);
    const work = await readWork(pool, id, principalOf(res));
    if (!work) throw notFound(`work ${id}`);
    res.set('ETag', workEtag(id, work.version)).set('Cache-Control', 'private, no-cache').json(work);
  });

  return router;
}
