/**
 * What creating and changing works and moratoria share: who may edit, the geometry checks, and
 * the owner organisation (one's own only).
 */
import type { Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/repositories/works.ts';
import { forbidden } from '../auth.ts';
import { HttpError, badRequest } from '../errors.ts';

export type Editor = Principal & { userId: number; orgId: number };

/** Analysts, administrators and area managers with a write token or a session. */
export function editor(p: Principal, what = 'planning works'): Editor {
  const roles = ['admin', 'analyst', 'area_manager'];
  if (!p.partner || p.scope !== 'write' || p.userId === null || p.orgId === null || !roles.includes(p.role ?? '')) {
    throw forbidden(p, `${what} is for analysts, area managers and administrators (with a write token)`);
  }
  return p as Editor;
}

/** RD New bounds with a margin: a geometry far outside the Netherlands is a mistake (coordinates swapped, wrong CRS). */
const GEOMETRY_CHECK = `
  SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_IsEmpty(g) AS empty,
         ST_Within(g, ST_MakeEnvelope(-8000, 280000, 300000, 630000, 28992)) AS in_nl,
         ($2::geometry IS NULL OR ST_Intersects(g, $2::geometry)) AS in_area
  FROM (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 28992) AS g) s`;

export async function checkGeometry(db: Db, geometry: unknown, p: Editor, what = 'works'): Promise<void> {
  if (p.role === 'area_manager' && p.areas === null) throw new HttpError(403, 'outside_project_area', `an area manager without a project area plans no ${what}`);
  const areas = p.role === 'area_manager' ? p.areas : null;
  const r = await db.query<{ valid: boolean; reason: string; empty: boolean; in_nl: boolean; in_area: boolean }>(GEOMETRY_CHECK, [JSON.stringify(geometry), areas]);
  const c = r.rows[0];
  if (!c || c.empty) throw badRequest('invalid_geometry', 'geometry: empty');
  if (!c.valid) throw badRequest('invalid_geometry', `geometry: ${c.reason}`);
  if (!c.in_nl) throw badRequest('outside_area', 'geometry: far outside the Netherlands (are the coordinates lon/lat in WGS84?)');
  if (!c.in_area) throw new HttpError(403, 'outside_project_area', `an area manager plans ${what} inside the assigned project areas`);
}

/** The owner's organisation id: the editor's own (another organisation's slug is 403, an unknown one 400). */
export async function ownOrganisation(db: Db, slug: string | null | undefined, p: Editor, what = 'works'): Promise<number> {
  if (slug === undefined || slug === null) return p.orgId;
  const r = await db.query<{ id: number }>('SELECT id FROM organisation WHERE slug = $1', [slug]);
  const id = r.rows[0]?.id;
  if (id === undefined) throw badRequest('unknown_owner', `owner: no organisation with slug "${slug}"`);
  if (id !== p.orgId) throw new HttpError(403, 'forbidden', `you plan ${what} for your own organisation only`);
  return id;
}

/** Column per API field of a change, and the SET list + diff of a change against the current row. */
export function changeSet(
  columns: Record<string, string>, change: Record<string, unknown>, current: Record<string, unknown>, values: unknown[],
): { sets: string[]; diff: Record<string, [unknown, unknown]> } {
  const sets: string[] = [];
  const diff: Record<string, [unknown, unknown]> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = change[key];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
    diff[key] = [current[key] ?? null, value];
  }
  if (change.geometry !== undefined) {
    values.push(JSON.stringify(change.geometry));
    sets.push(`geom = ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($${values.length}), 4326), ST_SRID(geom))`);
    diff.geometry = [current.geometry, change.geometry];
  }
  return { sets, diff };
}
