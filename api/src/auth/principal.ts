/**
 * Who is asking: anonymous (the public), or a user of an organisation with a role, signed in by a
 * session cookie or an API token. The facts the policy needs are loaded once per request.
 */
import type { Pool } from '../db/pool.ts';

export const ROLES = ['admin', 'analyst', 'area_manager', 'participant'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  via: 'anonymous' | 'session' | 'token';
  userId: number | null;
  orgId: number | null;
  role: Role | null;
  email: string | null;
  /** may act for a partner organisation: a non-participant user of an organisation that is still active */
  partner: boolean;
  /** token scope; sessions write */
  scope: 'read' | 'write';
  /** hex EWKB (working CRS) of the user's project areas valid today, or null */
  areas: string | null;
  /** C2 layers shared with the user's organisation today: dataset id and optional area (hex EWKB) */
  shares: { datasetId: number; area: string | null }[];
}

export const ANONYMOUS: Principal = {
  via: 'anonymous', userId: null, orgId: null, role: null, email: null, partner: false, scope: 'read', areas: null, shares: [],
};

interface UserRow {
  id: number;
  org_id: number;
  role: Role;
  email: string;
  org_active: boolean;
  areas: string | null;
  share_ids: number[] | null;
  share_areas: (string | null)[] | null;
}

const PRINCIPAL_SQL = `
  SELECT u.id, u.org_id, u.role, u.email,
         (o.active_until IS NULL OR o.active_until >= current_date) AS org_active,
         (SELECT encode(ST_AsEWKB(ST_Multi(ST_Union(g.geom))), 'hex') FROM area_assignment g
           WHERE g.user_id = u.id AND current_date BETWEEN g.valid_from AND g.valid_until) AS areas,
         (SELECT array_agg(s.dataset_id ORDER BY s.id) FROM dataset_share s WHERE s.org_id = u.org_id AND s.valid_until >= current_date) AS share_ids,
         (SELECT array_agg(encode(ST_AsEWKB(s.geom), 'hex') ORDER BY s.id) FROM dataset_share s WHERE s.org_id = u.org_id AND s.valid_until >= current_date) AS share_areas
  FROM app_user u JOIN organisation o ON o.id = u.org_id
  WHERE u.id = $1 AND NOT u.disabled`;

/** The principal of an enabled user, or null when the user is gone or disabled. */
export async function loadPrincipal(pool: Pool, userId: number, via: 'session' | 'token', scope: 'read' | 'write'): Promise<Principal | null> {
  const r = await pool.query<UserRow>(PRINCIPAL_SQL, [userId]);
  const u = r.rows[0];
  if (!u) return null;
  const ids = u.share_ids ?? [];
  return {
    via, userId: u.id, orgId: u.org_id, role: u.role, email: u.email,
    partner: u.role !== 'participant' && u.org_active,
    scope, areas: u.areas,
    shares: ids.map((datasetId, i) => ({ datasetId, area: u.share_areas?.[i] ?? null })),
  };
}
