import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';

/** The datasets (imports) with their owner, size and the vital systems they fill. */
export function datasetListRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/datasets', async (_req, res) => {
    const r = await pool.query(
      `SELECT d.id, d.name, d.source_kind AS "sourceKind", d.source_ref AS "sourceRef",
              CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name) END AS owner,
              d.confidentiality, d.imported_at AS "importedAt",
              coalesce(a.n, 0)::int AS "featureCount", coalesce(a.systems, '{}') AS systems
       FROM dataset d
       LEFT JOIN organisation o ON o.id = d.owner_id
       LEFT JOIN LATERAL (SELECT count(*) AS n, array_agg(DISTINCT system) AS systems FROM asset WHERE dataset_id = d.id AND part IN (0, d.id)) a ON true
       ORDER BY d.imported_at DESC, d.id DESC`,
    );
    res.json({ datasets: r.rows });
  });
  return router;
}
