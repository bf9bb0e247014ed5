/**
 * Organisations, users, API tokens, project areas, layer classification and shares: the writes
 * behind the admin CLI (`npm run admin`), the demo seed and the tests. Every function checks its
 * input and throws an AccountError that names the problem.
 */
import type { Pool } from '../db/pool.ts';
import { LEVELS, type Level } from './policy.ts';
import { ROLES, type Role } from './principal.ts';
import { MIN_PASSWORD_LENGTH, digest, hashPassword, newSecret } from './secrets.ts';

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export const ORG_KINDS = ['gemeente', 'netbeheerder', 'drinkwaterbedrijf', 'waterschap', 'telecom', 'aannemer', 'overig'] as const;

export interface OrgInput {
  slug: string;
  name: string;
  kind: string;
  /** contractors: access ends after this date (YYYY-MM-DD) */
  activeUntil?: string | undefined;
  /** an organisation already known by KLIC code or name gets the slug instead of a duplicate */
  klicCode?: string | undefined;
}

/** Create the organisation, or give an existing one (same KLIC code, or same name) its slug. */
export async function ensureOrganisation(pool: Pool, o: OrgInput): Promise<number> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(o.slug)) throw new AccountError(`slug "${o.slug}": use 2–63 lower-case letters, digits and dashes`);
  if (!(ORG_KINDS as readonly string[]).includes(o.kind)) throw new AccountError(`kind "${o.kind}": one of ${ORG_KINDS.join(', ')}`);
  const existing = await pool.query<{ id: number }>(
    `SELECT id FROM organisation WHERE slug = $1 OR ($2::text IS NOT NULL AND klic_code = $2) OR (klic_code IS NULL AND name = $3) ORDER BY (slug = $1) DESC LIMIT 1`,
    [o.slug, o.klicCode ?? null, o.name]);
  const id = existing.rows[0]?.id;
  if (id !== undefined) {
    await pool.query('UPDATE organisation SET slug = $2, kind = $3, active_until = $4 WHERE id = $1', [id, o.slug, o.kind, o.activeUntil ?? null]);
    return id;
  }
  const r = await pool.query<{ id: number }>(
    'INSERT INTO organisation (name, kind, slug, active_until, klic_code) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [o.name, o.kind, o.slug, o.activeUntil ?? null, o.klicCode ?? null]);
  return r.rows[0]?.id ?? 0;
}

async function orgIdOf(pool: Pool, slug: string): Promise<number> {
  const r = await pool.query<{ id: number }>('SELECT id FROM organisation WHERE slug = $1', [slug]);
  const id = r.rows[0]?.id;
  if (id === undefined) throw new AccountError(`no organisation with slug "${slug}" (create it with create-org)`);
  return id;
}

export interface UserInput {
  org: string;
  role: string;
  email: string;
  password: string;
  displayName?: string | undefined;
}

/** Create a user, or update role/password/organisation of the user with that email. */
export async function upsertUser(pool: Pool, u: UserInput): Promise<number> {
  if (!(ROLES as readonly string[]).includes(u.role)) throw new AccountError(`role "${u.role}": one of ${ROLES.join(', ')}`);
  if (!/^[^@\s]+@[^@\s]+$/.test(u.email)) throw new AccountError(`email "${u.email}" is not an email address`);
  if (u.password.length < MIN_PASSWORD_LENGTH) throw new AccountError(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
  const orgId = await orgIdOf(pool, u.org);
  const hash = await hashPassword(u.password);
  const r = await pool.query<{ id: number }>(
    `INSERT INTO app_user (org_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (lower(email)) DO UPDATE SET org_id = EXCLUDED.org_id, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash,
       display_name = coalesce(EXCLUDED.display_name, app_user.display_name), disabled = false
     RETURNING id`,
    [orgId, u.email, u.displayName ?? null, u.role as Role, hash]);
  return r.rows[0]?.id ?? 0;
}

async function userIdOf(pool: Pool, email: string): Promise<number> {
  const r = await pool.query<{ id: number }>('SELECT id FROM app_user WHERE lower(email) = lower($1)', [email]);
  const id = r.rows[0]?.id;
  if (id === undefined) throw new AccountError(`no user with email "${email}"`);
  return id;
}

/** A new API token; the secret is returned once and only its digest is stored. */
export async function createToken(pool: Pool, email: string, scope: 'read' | 'write', name = 'token'): Promise<{ id: number; token: string }> {
  const userId = await userIdOf(pool, email);
  const token = newSecret('shg_');
  const r = await pool.query<{ id: number }>(
    'INSERT INTO api_token (user_id, name, prefix, token_hash, scope) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [userId, name, token.slice(0, 10), digest(token), scope]);
  return { id: r.rows[0]?.id ?? 0, token };
}

export async function revokeToken(pool: Pool, idOrPrefix: string): Promise<number> {
  const r = await pool.query(
    'UPDATE api_token SET revoked_at = now() WHERE revoked_at IS NULL AND (id::text = $1 OR prefix = $1)', [idOrPrefix]);
  if ((r.rowCount ?? 0) === 0) throw new AccountError(`no active token with id or prefix "${idOrPrefix}"`);
  return r.rowCount ?? 0;
}

export interface UserListing {
  email: string;
  role: string;
  organisation: string;
  slug: string | null;
  disabled: boolean;
  tokens: number;
}

export async function listUsers(pool: Pool, org?: string): Promise<UserListing[]> {
  const r = await pool.query<UserListing>(
    `SELECT u.email, u.role, o.name AS organisation, o.slug, u.disabled,
            (SELECT count(*)::int FROM api_token t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS tokens
     FROM app_user u JOIN organisation o ON o.id = u.org_id
     WHERE $1::text IS NULL OR o.slug = $1 ORDER BY o.name, u.email`, [org ?? null]);
  return r.rows;
}

/** Assign a project area drawn from planned works (their footprints, united). */
export async function assignAreaFromWorks(pool: Pool, email: string, name: string, workIds: readonly number[], validUntil: string): Promise<void> {
  const userId = await userIdOf(pool, email);
  const r = await pool.query(
    `INSERT INTO area_assignment (user_id, name, geom, valid_until)
     SELECT $1, $2, ST_Multi(ST_Union(ST_Buffer(geom, 0))), $4 FROM work WHERE id = ANY($3::int[]) HAVING count(*) > 0`,
    [userId, name, workIds, validUntil]);
  if ((r.rowCount ?? 0) === 0) throw new AccountError(`no works with ids ${workIds.join(', ')} to draw the area from`);
}

/**
 * Assign a project area given as a GeoJSON (Multi)Polygon geometry in WGS84 (lon/lat, as GeoJSON
 * says); it is stored in the working CRS. PostGIS refuses anything that is not a valid polygon.
 */
export async function assignAreaFromGeoJson(pool: Pool, email: string, name: string, geometry: unknown, validUntil: string, srid: number): Promise<void> {
  const type = (geometry as { type?: unknown } | null)?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') throw new AccountError(`the area must be a GeoJSON Polygon or MultiPolygon, not ${String(type)}`);
  const userId = await userIdOf(pool, email);
  const check = await pool.query<{ valid: boolean; reason: string }>(
    'SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) s', [JSON.stringify(geometry)]);
  if (!check.rows[0]?.valid) throw new AccountError(`the area is not a valid polygon: ${check.rows[0]?.reason ?? 'unknown'}`);
  await pool.query(
    `INSERT INTO area_assignment (user_id, name, geom, valid_until)
     VALUES ($1, $2, ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), $5::int)), $4)`,
    [userId, name, JSON.stringify(geometry), validUntil, srid]);
}

export async function classifyDataset(pool: Pool, datasetId: number, level: string): Promise<void> {
  if (!(LEVELS as readonly string[]).includes(level)) throw new AccountError(`level "${level}": one of ${LEVELS.join(', ')}`);
  const r = await pool.query('UPDATE dataset SET confidentiality = $2 WHERE id = $1', [datasetId, level as Level]);
  if ((r.rowCount ?? 0) === 0) throw new AccountError(`no dataset ${datasetId}`);
}

export async function shareDataset(pool: Pool, datasetId: number, orgSlug: string, validUntil: string): Promise<void> {
  const orgId = await orgIdOf(pool, orgSlug);
  await pool.query(
    'INSERT INTO dataset_share (dataset_id, org_id, valid_until, owner_org_id) SELECT $1, $2, $3, owner_id FROM dataset WHERE id = $1',
    [datasetId, orgId, validUntil]);
}
