/**
 * Walks and hotspots in PostGIS (issue 7). Facilitators reach their organisation's walks through
 * row security; participants (no account) through their device token, resolved in the system
 * context, with every query limited to the one walk the device joined.
 */
import type { Pool } from '../db/pool.ts';
import { asSystem } from '../db/tenant-context.ts';

type Db = Pick<Pool, 'query'>;

export interface Device { id: number; walkId: number; name: string | null }

export const WALK_FIELDS = `w.id, w.title, w.walk_date::text AS date, w.themes, w.status, w.rounding_m AS "roundingM",
  w.retention_months AS "retentionMonths", w.code, w.version, w.org_id AS "orgId", w.closed_at AS "closedAt",
  ST_AsGeoJSON(ST_Transform(w.route, 4326), 7)::json AS route, ST_AsGeoJSON(ST_Transform(w.area, 4326), 7)::json AS area`;

/** What a participant sees of a walk (no code, no retention settings). */
export const PUBLIC_WALK_FIELDS = `w.id, w.title, w.walk_date::text AS date, w.themes, w.status,
  ST_AsGeoJSON(ST_Transform(w.route, 4326), 7)::json AS route, ST_AsGeoJSON(ST_Transform(w.area, 4326), 7)::json AS area`;

/** The device a token belongs to, or null. */
export function deviceOf(pool: Pool, tokenHash: string): Promise<Device | null> {
  return asSystem(async () => {
    const r = await pool.query<Device>('SELECT id, walk_id AS "walkId", name FROM walk_device WHERE token_hash = $1', [tokenHash]);
    return r.rows[0] ?? null;
  });
}

/** A published hotspot's place as others see it: snapped to its walk's (`w`) rounding grid. */
export const ROUNDED_HOTSPOT_GEOM = 'CASE WHEN w.rounding_m = 0 THEN h.geom ELSE ST_SnapToGrid(h.geom, w.rounding_m) END';

/**
 * A hotspot as GeoJSON. `viewerDevice`: a participant's device — its own hotspots exactly, the
 * published ones of others with the location snapped to the walk's rounding grid and without the
 * author's name; null for the facilitator (everything, exact).
 */
export function hotspotFeatureSql(viewerDevice: string | null): string {
  const own = viewerDevice === null ? 'true' : `h.device_id = ${viewerDevice}`;
  const geom = viewerDevice === null
    ? 'h.geom'
    : `CASE WHEN ${own} THEN h.geom ELSE ${ROUNDED_HOTSPOT_GEOM} END`;
  return `json_build_object('type', 'Feature', 'id', h.id,
    'geometry', ST_AsGeoJSON(ST_Transform(${geom}, 4326), 7)::json,
    'properties', json_build_object('id', h.id, 'kind', h.kind, 'theme', h.theme, 'note', h.note, 'status', h.status,
      'own', ${own}, 'hasPhoto', h.photo IS NOT NULL, 'receivedAt', h.received_at, 'observedAt', h.observed_at,
      'cluster', h.cluster, 'version', h.version, 'seq', h.seq,
      'authorName', ${viewerDevice === null ? 'h.author_name' : `CASE WHEN ${own} THEN h.author_name END`},
      'accuracy', ${viewerDevice === null ? 'h.accuracy_m' : `CASE WHEN ${own} THEN h.accuracy_m END`}))`;
}

/** One hotspot of a walk as the facilitator sees it. */
export async function readHotspot(db: Db, id: string): Promise<Record<string, unknown> | null> {
  const r = await db.query<{ f: Record<string, unknown> }>(
    `SELECT ${hotspotFeatureSql(null)} AS f FROM hotspot h JOIN walk w ON w.id = h.walk_id WHERE h.id = $1`, [id]);
  return r.rows[0]?.f ?? null;
}

/**
 * Retention (issue 7 §3): personal fields (the author's and the device's name) are removed once a
 * walk has been closed for its retention term. Returns how many hotspots and devices were cleared.
 */
export async function applyRetention(pool: Pool, now = new Date()): Promise<{ hotspots: number; devices: number }> {
  return asSystem(async () => {
    const expired = `SELECT id FROM walk WHERE status = 'closed' AND closed_at IS NOT NULL
      AND closed_at + make_interval(months => retention_months) <= $1::timestamptz`;
    const h = await pool.query(`UPDATE hotspot SET author_name = NULL WHERE author_name IS NOT NULL AND walk_id IN (${expired})`, [now.toISOString()]);
    const d = await pool.query(`UPDATE walk_device SET name = NULL WHERE name IS NOT NULL AND walk_id IN (${expired})`, [now.toISOString()]);
    return { hotspots: h.rowCount ?? 0, devices: d.rowCount ?? 0 };
  });
}
