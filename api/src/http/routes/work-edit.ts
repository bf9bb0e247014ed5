/**
 * Creating, changing and deleting planned works (issue 5), with optimistic concurrency: every work
 * has a version, shown as a strong ETag; PATCH and DELETE need `If-Match` and a stale version gets
 * 412 with the current state, so no update is lost when two organisations edit the same work.
 * Every change is kept in work_history (who, when, what; a deleted work's last state).
 * Writers: analysts, administrators and area managers (inside their project areas) of the owner.
 */
import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import type { Principal } from '../../auth/principal.ts';
import { type NewWork, NewWork as NewWorkSchema, WorkChange, checkWindows } from '../../model/work.ts';
import { forbidden, principalOf } from '../auth.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseId } from './assets.ts';
import { readWork, workEtag } from './works.ts';

type Editor = Principal & { userId: number; orgId: number };

function editor(p: Principal): Editor {
  const roles = ['admin', 'analyst', 'area_manager'];
  if (!p.partner || p.scope !== 'write' || p.userId === null || p.orgId === null || !roles.includes(p.role ?? '')) {
    throw forbidden(p, 'planning works is for analysts, area managers and administrators (with a write token)');
  }
  return p as Editor;
}

/** RD New bounds with a margin: a work far outside the Netherlands is a mistake (coordinates swapped, wrong CRS). */
const GEOMETRY_CHECK = `
  SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_IsEmpty(g) AS empty,
         ST_Within(g, ST_MakeEnvelope(-8000, 280000, 300000, 630000, 28992)) AS in_nl,
         ($2::geometry IS NULL OR ST_Intersects(g, $2::geometry)) AS in_area
  FROM (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 28992) AS g) s`;

async function checkGeometry(pool: Pool, geometry: unknown, p: Editor): Promise<void> {
  if (p.role === 'area_manager' && p.areas === null) throw new HttpError(403, 'outside_project_area', 'an area manager without a project area plans no works');
  const areas = p.role === 'area_manager' ? p.areas : null;
  const r = await pool.query<{ valid: boolean; reason: string; empty: boolean; in_nl: boolean; in_area: boolean }>(GEOMETRY_CHECK, [JSON.stringify(geometry), areas]);
  const c = r.rows[0];
  if (!c || c.empty) throw badRequest('invalid_geometry', 'geometry: empty');
  if (!c.valid) throw badRequest('invalid_geometry', `geometry: ${c.reason}`);
  if (!c.in_nl) throw badRequest('outside_area', 'geometry: far outside the Netherlands (are the coordinates lon/lat in WGS84?)');
  if (!c.in_area) throw new HttpError(403, 'outside_project_area', 'an area manager plans works inside the assigned project areas');
}

async function ownerId(pool: Pool, slug: string | undefined, p: Editor): Promise<number> {
  if (slug === undefined) return p.orgId;
  const r = await pool.query<{ id: number }>('SELECT id FROM organisation WHERE slug = $1', [slug]);
  const id = r.rows[0]?.id;
  if (id === undefined) throw badRequest('unknown_owner', `owner: no organisation with slug "${slug}"`);
  if (id !== p.orgId) throw new HttpError(403, 'forbidden', 'you plan works for your own organisation only');
  return id;
}

const COLUMNS: Record<string, string> = {
  title: 'title', kind: 'kind', systems: 'systems', status: 'status', opensGround: 'opens_ground', trenchWidth: 'trench_width',
  earliestStart: 'earliest_start', preferredStart: 'preferred_start', preferredEnd: 'preferred_end', latestEnd: 'latest_end',
  costEstimate: 'cost_estimate', contact: 'contact', confidentiality: 'confidentiality',
};

/** The version an If-Match names, or 428 when it is missing. */
function expectedVersion(req: Request, id: number): number {
  const tag = req.get('if-match');
  if (!tag) throw new HttpError(428, 'if_match_required', `send If-Match with the ETag of work ${id} (GET /api/works/${id})`);
  const m = /^"work-(\d+)-v(\d+)"$/.exec(tag.trim());
  if (!m || Number(m[1]) !== id) throw new HttpError(412, 'stale', `If-Match ${tag} is not an ETag of work ${id}`);
  return Number(m[2]);
}

async function stale(pool: Pool, res: Response, id: number, p: Principal): Promise<never> {
  const current = await readWork(pool, id, p);
  if (!current) throw notFound(`work ${id}`);
  res.set('ETag', workEtag(id, current.version));
  res.status(412).json({ error: { status: 412, code: 'stale', message: `work ${id} changed since you read it (now version ${current.version})` }, current });
  throw new StaleSent();
}

class StaleSent extends Error {}

export function workEditRouter(pool: Pool): Router {
  const router = Router();

  router.post('/api/works', async (req, res) => {
    const p = editor(principalOf(res));
    const w: NewWork = parseBody(NewWorkSchema, req.body);
    const owner = await ownerId(pool, w.owner, p);
    await checkGeometry(pool, w.geometry, p);
    const r = await pool.query<{ id: number }>(
      `INSERT INTO work (source_kind, source_id, owner_id, title, kind, work_kinds, systems, status, opens_ground, trench_width,
         earliest_start, preferred_start, preferred_end, latest_end, cost_estimate, contact, confidentiality, content_hash, geom)
       VALUES ('manual', $1, $2, $3, $4, ARRAY[$4], $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'manual',
         ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($16), 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid')))
       RETURNING id`,
      [randomUUID(), owner, w.title, w.kind, w.systems, w.status, w.opensGround, w.trenchWidth ?? null, w.earliestStart ?? null,
        w.preferredStart, w.preferredEnd, w.latestEnd ?? null, w.costEstimate ?? null, w.contact ?? null, w.confidentiality, JSON.stringify(w.geometry)]);
    const id = r.rows[0]?.id ?? 0;
    const work = await readWork(pool, id, p);
    await pool.query("INSERT INTO work_history (work_id, version, user_id, org_id, action, changes) VALUES ($1, 1, $2, $3, 'created', $4)", [id, p.userId, p.orgId, JSON.stringify(work)]);
    res.status(201).set('ETag', workEtag(id, 1)).set('Location', `/api/works/${id}`).json(work);
  });

  router.patch('/api/works/:id', async (req, res) => {
    const p = editor(principalOf(res));
    const id = parseId(req.params);
    const change = parseBody(WorkChange, req.body);
    const current = await readWork(pool, id, p);
    if (!current) throw notFound(`work ${id}`);
    if (current.owner === null || current.owner === undefined) throw forbidden(p, 'you change works of your own organisation only');
    await ownerId(pool, String(current.owner), p);
    const expected = expectedVersion(req, id);
    try {
      if (expected !== current.version) await stale(pool, res, id, p);
      const merged = { ...current, ...change } as Record<string, unknown>;
      const window = checkWindows(merged as Parameters<typeof checkWindows>[0]);
      if (window) throw badRequest('invalid_window', window);
      if (change.owner !== undefined) await ownerId(pool, change.owner, p);
      if (change.geometry !== undefined) await checkGeometry(pool, change.geometry, p);
      const sets: string[] = [];
      const values: unknown[] = [id, expected];
      const diff: Record<string, [unknown, unknown]> = {};
      for (const [key, column] of Object.entries(COLUMNS)) {
        const value = (change as Record<string, unknown>)[key];
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
      if (sets.length === 0) throw badRequest('empty_change', 'nothing to change');
      const r = await pool.query<{ version: number }>(
        `UPDATE work SET ${sets.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version`, values);
      const version = r.rows[0]?.version;
      if (version === undefined) await stale(pool, res, id, p); // someone else committed in between
      await pool.query("INSERT INTO work_history (work_id, version, user_id, org_id, action, changes) VALUES ($1, $2, $3, $4, 'updated', $5)",
        [id, version, p.userId, p.orgId, JSON.stringify(diff)]);
      res.set('ETag', workEtag(id, version ?? 0)).json(await readWork(pool, id, p));
    } catch (err) {
      if (!(err instanceof StaleSent)) throw err;
    }
  });

  router.delete('/api/works/:id', async (req, res) => {
    const p = editor(principalOf(res));
    const id = parseId(req.params);
    const current = await readWork(pool, id, p);
    if (!current) throw notFound(`work ${id}`);
    if (current.owner === null || current.owner === undefined) throw forbidden(p, 'you delete works of your own organisation only');
    await ownerId(pool, String(current.owner), p);
    const expected = expectedVersion(req, id);
    try {
      const r = await pool.query('DELETE FROM work WHERE id = $1 AND version = $2', [id, expected]);
      if ((r.rowCount ?? 0) === 0) await stale(pool, res, id, p);
      // the last state stays in the history: a deleted work can be restored from it
      await pool.query("INSERT INTO work_history (work_id, version, user_id, org_id, action, changes) VALUES ($1, $2, $3, $4, 'deleted', $5)",
        [id, expected, p.userId, p.orgId, JSON.stringify(current)]);
      res.status(204).end();
    } catch (err) {
      if (!(err instanceof StaleSent)) throw err;
    }
  });

  router.get('/api/works/:id/history', async (req, res) => {
    const id = parseId(req.params);
    const r = await pool.query(
      `SELECT h.version, h.at, u.email AS "user", o.slug AS organisation, h.action, h.changes
       FROM work_history h LEFT JOIN app_user u ON u.id = h.user_id LEFT JOIN organisation o ON o.id = h.org_id
       WHERE h.work_id = $1 ORDER BY h.id`, [id]);
    if (r.rows.length === 0) throw notFound(`work ${id}`);
    res.set('Cache-Control', 'private, no-cache').json({ history: r.rows });
  });

  return router;
}
