import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import { assetReadableSql, policyParams, workReadableSql } from '../../auth/policy.ts';
import type { Audit } from '../../auth/audit.ts';
import { principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { deliveredSourceIdSql } from '../../db/sql/source-id.ts';

const Query = z.object({ q: z.string().trim().min(2).max(200) });
const LIMIT = 20;

/** Escape LIKE wildcards so a user's % or _ is matched literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const BBOX = `ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)]`;

/** a file layer's feature is shown and matched by the id it was delivered with, not its namespaced one */
const DELIVERED_ID = deliveredSourceIdSql('a');

// Exact source-id hits first (a gml:id from a damage report), then partial matches. A file layer's
// feature names its layer: the same pipe imported into two layers would otherwise read the same twice.
// A work names its owner and its window (preferred, else its request's dates; ISO), so two works in one street differ.
const SEARCH_SQL = `
  (SELECT 'asset' AS kind, a.id, coalesce(a.label, a.asset_class) AS title,
          concat_ws(' · ', a.system, o.name, CASE WHEN d.source_kind = 'file' THEN d.name END, ${DELIVERED_ID}) AS subtitle, a.system,
          ${BBOX} AS bbox, (a.source_id = $2 OR ${DELIVERED_ID} = $2)::int AS exact,
          (d.confidentiality = 'C3' AND a.owner_id IS DISTINCT FROM $4::int AND d.owner_id IS DISTINCT FROM $4::int) AS c3_of_others
   FROM asset a JOIN dataset d ON d.id = a.dataset_id LEFT JOIN organisation o ON o.id = a.owner_id,
        LATERAL (SELECT ST_Transform(ST_Envelope(a.geom), 4326)::box2d AS e) x
   WHERE (a.source_id ILIKE $1 OR a.label ILIKE $1) AND ${assetReadableSql(3)}
   ORDER BY exact DESC, a.id LIMIT ${LIMIT})
  UNION ALL
  (SELECT 'work', w.id, w.title,
          concat_ws(' · ', o.name, w.street, w.place, w.request_type,
                    CASE WHEN coalesce(w.preferred_start, w.start_date) IS NOT NULL
                      THEN concat_ws(' – ', coalesce(w.preferred_start, w.start_date)::text, coalesce(w.preferred_end, w.end_date)::text) END), NULL,
          ${BBOX}, (w.source_id = $2)::int, false
   FROM work w LEFT JOIN organisation o ON o.id = w.owner_id, LATERAL (SELECT ST_Transform(ST_Envelope(w.geom), 4326)::box2d AS e) x
   WHERE (w.title ILIKE $1 OR w.street ILIKE $1 OR w.source_id ILIKE $1 OR w.place ILIKE $1) AND ${workReadableSql(3)}
   ORDER BY w.id LIMIT ${LIMIT})`;

export function searchRouter(pool: Pool, audit: Audit): Router {
  const router = Router();
  router.get('/api/search', async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) throw badRequest('invalid_query', 'q must be between 2 and 200 characters');
    const q = parsed.data.q;
    const p = principalOf(res);
    const r = await pool.query<{ kind: string; id: number; exact: number; c3_of_others: boolean }>(SEARCH_SQL, [likePattern(q), q, ...policyParams(p)]);
    res.set('Cache-Control', 'private, no-cache');
    const rows = r.rows.sort((a, b) => b.exact - a.exact).slice(0, LIMIT);
    const c3 = rows.filter((row) => row.c3_of_others).map((row) => row.id);
    // every read of someone else's critical infrastructure is logged (never the query text's secrets: there are none)
    if (c3.length > 0) await audit(p, { action: 'read_c3', result: 'ok', objectType: 'asset', objectId: c3.join(','), ip: req.ip, detail: { via: 'search', count: c3.length } });
    const results = rows.map(({ exact: _exact, c3_of_others: _c3, ...rest }) => rest);
    res.json({ results });
  });
  return router;
}
