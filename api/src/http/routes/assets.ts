import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import { badRequest, notFound } from '../errors.ts';

export const IdParam = z.object({ id: z.coerce.number().int().positive() });

export function parseId(params: unknown): number {
  const parsed = IdParam.safeParse(params);
  if (!parsed.success) throw badRequest('invalid_id', 'id must be a positive integer');
  return parsed.data.id;
}

const ASSET_SQL = `
  SELECT a.id, a.source_id AS "sourceId", a.system, a.asset_class AS "featureType", a.theme,
         CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('code', o.klic_code, 'name', o.name, 'kind', o.kind) END AS owner,
         a.material, a.diameter_mm AS "diameterMm", a.voltage_v AS "voltageV", a.pressure_bar AS "pressureBar",
         a.status, a.in_service_date AS "inServiceDate", a.label, a.attributes, d.name AS "datasetName",
         ST_AsGeoJSON(ST_Transform(a.geom, 4326), 7)::json AS geometry
  FROM asset a
  JOIN dataset d ON d.id = a.dataset_id
  LEFT JOIN organisation o ON o.id = a.owner_id
  WHERE a.id = $1`;

export function assetsRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/assets/:id', async (req, res) => {
    const id = parseId(req.params);
    const r = await pool.query(ASSET_SQL, [id]);
    if (r.rows.length === 0) throw notFound(`asset ${id}`);
    res.json(r.rows[0]);
  });
  return router;
}
