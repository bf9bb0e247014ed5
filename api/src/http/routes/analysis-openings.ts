/**
 * `GET /api/analysis/openings?bbox=…[&from=YYYY-MM-DD&to=YYYY-MM-DD][&cell=25]` (issue 6): how
 * often the ground is opened in the horizon, per square of `cell` metres (a stand-in for street
 * stretches: the demo has no street network), as planned and as it would be with the accepted
 * combinations (the works of one joint project open the ground once). Squares without any
 * opening are left out. Only ground-opening planned works the caller may see count.
 */
import { Router } from 'express';
import { policyParams, readableSql } from '../../auth/policy.ts';
import type { Pool } from '../../db/pool.ts';
import { ANALYSED_STATUSES } from '../../model/analysis-rules.ts';
import { loadRules } from '../../analysis/store.ts';
import { principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { parseScope } from './analysis.ts';

const MAX_CELLS = 250_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function analysisOpeningsRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/analysis/openings', async (req, res) => {
    const scope = parseScope(req.query);
    if (!scope.bbox) throw badRequest('bbox_required', 'bbox is required: the openings are counted per square in view');
    const from = typeof req.query.from === 'string' ? req.query.from : '2026-01-01';
    const to = typeof req.query.to === 'string' ? req.query.to : '2032-12-31';
    if (!isoDate.test(from) || !isoDate.test(to) || to < from) throw badRequest('invalid_horizon', 'from and to must be dates YYYY-MM-DD with from ≤ to');
    const cell = req.query.cell === undefined ? 25 : Number(req.query.cell);
    if (!Number.isFinite(cell) || cell < 5 || cell > 1000) throw badRequest('invalid_cell', 'cell must be a size in metres between 5 and 1000');
    const policy = policyParams(principalOf(res));
    const rules = await loadRules(pool);
    const box = `ST_Transform(ST_MakeEnvelope($6, $7, $8, $9, 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid'))`;
    const size = await pool.query<{ cells: number }>(
      `SELECT (ST_XMax(b) - ST_XMin(b)) * (ST_YMax(b) - ST_YMin(b)) / ($5::float8 * $5) AS cells
       FROM ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid')) b`, [...scope.bbox, cell]);
    if ((size.rows[0]?.cells ?? 0) > MAX_CELLS) throw badRequest('too_large', `the view holds more than ${MAX_CELLS} squares of ${cell} m: zoom in or use larger squares`);
    const r = await pool.query<{ geometry: unknown; openings: number; combined: number }>(
      `WITH w AS MATERIALIZED (
         SELECT w.id, pw.project_id,
           CASE WHEN ST_Dimension(w.geom) = 2 THEN w.geom ELSE ST_Buffer(w.geom, coalesce(w.trench_width, $11) / 2) END AS fp
         FROM work w
         LEFT JOIN LATERAL (SELECT min(pw.project_id) AS project_id FROM joint_project_work pw WHERE pw.work_id = w.id) pw ON true
         WHERE w.geom && ${box} AND w.opens_ground AND w.status = ANY($12::text[]) AND w.source_kind <> 'klic'
           AND w.preferred_start <= $14::date AND w.preferred_end >= $13::date
           AND ${readableSql('w', 'w.confidentiality', 'w.owner_id', 'NULL::int', 1)})
       SELECT ST_AsGeoJSON(ST_Transform(c.geom, 4326), 7)::json AS geometry, count(DISTINCT w.id)::int AS openings,
         count(DISTINCT coalesce('p' || w.project_id, 'w' || w.id))::int AS combined
       FROM ST_SquareGrid($10, ${box}) c JOIN w ON ST_Intersects(c.geom, w.fp)
       GROUP BY c.geom`,
      [...policy, ...scope.bbox, cell, rules.defaultTrenchWidthM, ANALYSED_STATUSES, from, to]);
    res.set('Cache-Control', 'private, no-cache').json({
      type: 'FeatureCollection', horizon: { from, to }, cell,
      features: r.rows.map((row) => ({ type: 'Feature', geometry: row.geometry, properties: { openings: row.openings, withAcceptedCombinations: row.combined } })),
    });
  });
  return router;
}
