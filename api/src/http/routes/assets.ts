import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import type { Audit } from '../../auth/audit.ts';
import { assetReadableSql, policyParams } from '../../auth/policy.ts';
import { principalOf } from '../auth.ts';
import { badRequest, notFound } from '../errors.ts';
import { deliveredSourceIdSql } from '../../db/sql/source-id.ts';

export const IdParam = z.object({ id: z.coerce.number().int().positive() });

export function parseId(params: unknown): number {
  const parsed = IdParam.safeParse(params);
  if (!parsed.success) throw badRequest('invalid_id', 'id must be a positive integer');
  return parsed.data.id;
}

const ASSET_SQL = `
  SELECT a.id, a.system,
         ${deliveredSourceIdSql('a')} AS "sourceId",
         CASE WHEN a.source_kind = 'file' THEN a.feature_no END AS "featureNo", a.asset_class AS "featureType", a.theme,
         CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('code', o.klic_code, 'name', o.name, 'kind', o.kind) END AS owner,
         a.material, a.diameter_mm AS "diameterMm", a.voltage_v AS "voltageV", a.pressure_bar AS "pressureBar",
         a.status, a.in_service_date AS "inServiceDate", a.in_service_year AS "inServiceYear", a.condition,
         a.replacement_year AS "replacementYear", a.label, a.attributes, d.name AS "datasetName", dorg.name AS "datasetOwnerName",
         d.confidentiality, (a.owner_id = $3::int OR d.owner_id = $3::int) AS "ownedByCaller",
         ST_AsGeoJSON(ST_Transform(a.geom, 4326), 7)::json AS geometry
  FROM asset a
  JOIN dataset d ON d.id = a.dataset_id
  LEFT JOIN organisation o ON o.id = a.owner_id
  LEFT JOIN organisation dorg ON dorg.id = d.owner_id
  WHERE a.id = $1 AND ${assetReadableSql(2)}`;

export function assetsRouter(pool: Pool, audit: Audit): Router {
  const router = Router();
  router.get('/api/assets/:id', async (req, res) => {
    const id = parseId(req.params);
    const p = principalOf(res);
    const r = await pool.query<{ confidentiality: string; ownedByCaller: boolean | null }>(ASSET_SQL, [id, ...policyParams(p)]);
    const row = r.rows[0];
    // not there and not allowed look the same: 404
    if (!row) throw notFound(`asset ${id}`);
    if (row.confidentiality === 'C3' && row.ownedByCaller !== true) {
      await audit(p, { action: 'read_c3', result: 'ok', objectType: 'asset', objectId: id, ip: req.ip });
    }
    res.set('Cache-Control', 'private, no-cache').json(row);
  });
  return router;
}
