import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { assetReadableSql, policyParams, workReadableSql } from '../../auth/policy.ts';
import { principalOf } from '../auth.ts';
import { SYSTEMS } from '../../model/systems.ts';

interface CountRow {
  system: string;
  count: number;
  geometry_types: string[];
}

const EXTENT_SQL = `
  SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS bbox FROM (
    SELECT ST_Extent(ST_Transform(g, 4326)) AS e FROM (
      SELECT a.geom AS g FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE ${assetReadableSql(1)}
      UNION ALL SELECT w.geom FROM work w WHERE ${workReadableSql(1)}
    ) u
  ) s WHERE e IS NOT NULL`;

/** The layer catalogue: one layer per vital system of which the caller may see assets, with counts, plus works. */
export function layersRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/layers', async (_req, res) => {
    const params = policyParams(principalOf(res));
    const [counts, works, extent] = await Promise.all([
      pool.query<CountRow>(
        `SELECT a.system, count(*)::int AS count,
                array_agg(DISTINCT replace(replace(ST_GeometryType(a.geom), 'ST_', ''), 'Multi', '')) AS geometry_types
         FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE ${assetReadableSql(1)} GROUP BY a.system`,
        params,
      ),
      pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM work w WHERE ${workReadableSql(1)}`, params),
      pool.query<{ bbox: number[] }>(EXTENT_SQL, params),
    ]);
    res.set('Cache-Control', 'private, no-cache');
    const bySystem = new Map(counts.rows.map((r) => [r.system, r]));
    const layers = SYSTEMS.filter((s) => bySystem.has(s.code)).map((s) => ({
      id: s.code,
      labelNl: s.labelNl,
      labelEn: s.labelEn,
      color: s.color,
      count: bySystem.get(s.code)?.count ?? 0,
      geometryTypes: bySystem.get(s.code)?.geometry_types ?? [],
      tilejson: `/tiles/${s.code}.json`,
    }));
    res.json({ extent: extent.rows[0]?.bbox ?? null, layers, works: { count: works.rows[0]?.n ?? 0 } });
  });
  return router;
}
