import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { policyParams, workReadableSql } from '../../auth/policy.ts';
import { principalOf } from '../auth.ts';
import { notFound } from '../errors.ts';
import { parseId } from './assets.ts';

const WORK_COLUMNS = `
  w.id, w.title, w.kind, w.work_kinds AS "workKinds", w.request_type AS "requestType",
  w.start_date AS "startDate", w.end_date AS "endDate", w.request_date AS "requestDate",
  w.street, w.place, w.description, o.name AS requester, w.source_id AS "sourceId"`;

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
    const r = await pool.query(
      `SELECT ${WORK_COLUMNS}, ST_AsGeoJSON(ST_Transform(w.geom, 4326), 7)::json AS geometry
       FROM work w LEFT JOIN organisation o ON o.id = w.owner_id WHERE w.id = $1 AND ${workReadableSql(2)}`,
      [id, ...policyParams(principalOf(res))],
    );
    if (r.rows.length === 0) throw notFound(`work ${id}`);
    res.json(r.rows[0]);
  });

  return router;
}
