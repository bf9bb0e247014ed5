import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { policyParams, workReadableSql } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { principalOf } from '../auth.ts';
import { notFound } from '../errors.ts';
import { parseId } from './assets.ts';

export const WORK_COLUMNS = `
  w.id, w.title, w.kind, w.work_kinds AS "workKinds", w.request_type AS "requestType",
  w.start_date AS "startDate", w.end_date AS "endDate", w.request_date AS "requestDate",
  w.street, w.place, w.description, o.name AS requester, w.source_id AS "sourceId",
  o.slug AS owner, o.name AS "ownerName", w.systems, w.status, w.opens_ground AS "opensGround",
  w.trench_width AS "trenchWidth", w.earliest_start AS "earliestStart", w.preferred_start AS "preferredStart",
  w.preferred_end AS "preferredEnd", w.latest_end AS "latestEnd", w.cost_estimate::float8 AS "costEstimate",
  w.contact, w.confidentiality, w.version`;

/** A strong ETag of a work's version (If-Match on PATCH/DELETE compares it). */
export const workEtag = (id: number, version: number): string => `"work-${id}-v${version}"`;

/** One work as the caller may see it (null when not there or not visible), with its geometry in WGS84. */
export async function readWork(pool: Pool, id: number, p: Principal): Promise<(Record<string, unknown> & { version: number }) | null> {
  const r = await pool.query<Record<string, unknown> & { version: number }>(
    `SELECT ${WORK_COLUMNS}, ST_AsGeoJSON(ST_Transform(w.geom, 4326), 7)::json AS geometry
     FROM work w LEFT JOIN organisation o ON o.id = w.owner_id WHERE w.id = $1 AND ${workReadableSql(2)}`,
    [id, ...policyParams(p)]);
  return r.rows[0] ?? null;
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
