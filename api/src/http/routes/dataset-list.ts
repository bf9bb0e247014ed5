import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { assetReadableSql, policyParams } from '../../auth/policy.ts';
import { principalOf } from '../auth.ts';

/**
 * The datasets (imports) the caller may see, with their owner, the number of their features the
 * caller may see and the vital systems they fill. A dataset shows when the caller's organisation
 * owns it or may see at least one of its features; `exportable` applies the no-bulk-export rule.
 */
export function datasetListRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/datasets', async (_req, res) => {
    const p = principalOf(res);
    const r = await pool.query(
      `SELECT d.id, d.name, d.source_kind AS "sourceKind", d.source_ref AS "sourceRef",
              CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name) END AS owner,
              d.confidentiality, d.imported_at AS "importedAt",
              coalesce(a.n, 0)::int AS "featureCount", coalesce(a.systems, '{}') AS systems,
              coalesce($1::int = 1 AND (d.owner_id = $2::int OR d.confidentiality IN ('C0', 'C1')
                 OR (d.confidentiality = 'C2' AND d.id = ANY($4::int[]))), false) AS exportable
       FROM dataset d
       LEFT JOIN organisation o ON o.id = d.owner_id
       LEFT JOIN LATERAL (
         SELECT count(*) AS n, array_agg(DISTINCT a.system) AS systems FROM asset a
         WHERE a.dataset_id = d.id AND a.part IN (0, d.id) AND ${assetReadableSql(1)}) a ON true
       WHERE (d.owner_id = $2::int AND $1::int = 1) OR a.n > 0
       ORDER BY d.imported_at DESC, d.id DESC`,
      policyParams(p),
    );
    res.set('Cache-Control', 'private, no-cache').json({ datasets: r.rows });
  });
  return router;
}
