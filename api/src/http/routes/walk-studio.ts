/**
 * The atelier of a wijkschouw (issue 7): context, comments, pairwise sessions and exports.
 *   GET  /api/hotspots/:id/context         nearest assets (owner, age), planned works and their
 *                                          findings around a hotspot, as far as the caller may see them
 *   GET  /api/hotspots/:id/comments, POST  the studio's comments on a hotspot
 *   POST /api/walks/:id/pairwise           a session: {title, items: [{id, label}]} or {title, from: 'themes'}
 *   GET  /api/walks/:id/pairwise           the walk's sessions
 *   GET  /api/pairwise/:id                 the session, its Bradley–Terry ranking, the next pair
 *   POST /api/pairwise/:id/choices         {id (uuid), a, b, choice: a|b|tie}; idempotent by id
 *   GET  /api/walks/:id/hotspots.geojson | .csv   the walk's hotspots (no personal fields)
 * Participants choose in open sessions of their own walk: GET /api/walk/pairwise and
 * POST /api/walk/pairwise/:id/choices with their X-Walk-Device token.
 */
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { analyse } from '../../analysis/findings.ts';
import { loadRules } from '../../analysis/store.ts';
import { assetReadableSql, policyParams, workReadableSql } from '../../auth/policy.ts';
import type { Pool } from '../../db/pool.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { type Session, SESSION_FIELDS, sessionView } from '../../walks/pairwise.ts';
import { principalOf } from '../auth.ts';
import { HttpError, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseId } from './assets.ts';
import { editor } from './edit-common.ts';
import { UUID, hotspotIdOf, walkDevice } from './walk-participant.ts';


const NewSession = z.union([
  z.object({ title: z.string().trim().min(3).max(200), items: z.array(z.object({ id: z.string().min(1).max(80), label: z.string().trim().min(1).max(200) }).strict()).min(2).max(60) }).strict(),
  z.object({ title: z.string().trim().min(3).max(200), from: z.literal('themes') }).strict(),
]);
const Choice = z.object({ id: z.string().regex(UUID, 'a UUID made by the client'), a: z.string().min(1), b: z.string().min(1), choice: z.enum(['a', 'b', 'tie']) }).strict();

const CONTEXT_RADIUS_M = { assets: 25, works: 50 };

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s; // no formulas in a spreadsheet
  return /[",\n;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function walkStudioRouter(pool: Pool): Router {
  const router = Router();

  const managedHotspot = async (res: Response, id: string): Promise<{ walkId: number }> => {
    editor(principalOf(res), 'running a walk');
    const r = await pool.query<{ walk_id: number }>('SELECT walk_id FROM hotspot WHERE id = $1', [id]);
    if (!r.rows[0]) throw notFound(`hotspot ${id}`);
    return { walkId: r.rows[0].walk_id };
  };
  const managedWalk = async (res: Response, id: number): Promise<{ id: number; themes: string[] }> => {
    editor(principalOf(res), 'running a walk');
    const r = await pool.query<{ id: number; themes: string[] }>('SELECT id, themes FROM walk WHERE id = $1', [id]);
    if (!r.rows[0]) throw notFound(`walk ${id}`);
    return r.rows[0];
  };
  const sessionOf = async (db: Pick<Pool, 'query'>, id: number): Promise<Session> => {
    const r = await db.query<Session>(`SELECT ${SESSION_FIELDS} FROM pairwise_session s WHERE s.id = $1`, [id]);
    if (!r.rows[0]) throw notFound(`pairwise session ${id}`);
    return r.rows[0];
  };
  const choose = async (res: Response, db: Pick<Pool, 'query'>, session: Session, body: unknown, who: { deviceId: number | null; userId: number | null }) => {
    const c = parseBody(Choice, body);
    const ids = new Set(session.items.map((i) => i.id));
    for (const x of [c.a, c.b]) if (!ids.has(x)) throw new HttpError(400, 'invalid_body', `"${x}" is not an item of session ${session.id}`);
    if (c.a === c.b) throw new HttpError(400, 'invalid_body', 'a and b must be two different items');
    if (session.status !== 'open') throw new HttpError(409, 'session_closed', `session ${session.id} is closed`);
    const r = await db.query('INSERT INTO pairwise_choice (id, session_id, device_id, user_id, a, b, choice) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING',
      [c.id.toLowerCase(), session.id, who.deviceId, who.userId, c.a, c.b, c.choice]);
    res.status(r.rowCount ? 201 : 200).json(await sessionView(db, session));
  };

  router.get('/api/hotspots/:id/context', async (req, res) => {
    const id = hotspotIdOf(req);
    await managedHotspot(res, id);
    const p = principalOf(res);
    const assets = await pool.query(
      `SELECT a.id::int AS id, a.system, a.asset_class AS "assetClass", o.name AS owner, a.material, a.in_service_year AS "inServiceYear",
              CASE WHEN a.in_service_year IS NULL THEN NULL ELSE extract(year FROM now())::int - a.in_service_year END AS "ageYears",
              round(ST_Distance(a.geom, h.geom)::numeric, 1)::float AS "distanceM"
       FROM hotspot h JOIN asset a ON ST_DWithin(a.geom, h.geom, ${CONTEXT_RADIUS_M.assets}) JOIN dataset d ON d.id = a.dataset_id
       LEFT JOIN organisation o ON o.id = a.owner_id
       WHERE h.id = $6 AND ${assetReadableSql(1)} ORDER BY ST_Distance(a.geom, h.geom), a.id LIMIT 20`, [...policyParams(p), id]);
    const works = await pool.query<{ id: number }>(
      `SELECT w.id::int AS id, w.title, o.name AS owner, w.kind, w.status, w.preferred_start::text AS "preferredStart", w.preferred_end::text AS "preferredEnd",
              round(ST_Distance(w.geom, h.geom)::numeric, 1)::float AS "distanceM"
       FROM hotspot h JOIN work w ON ST_DWithin(w.geom, h.geom, ${CONTEXT_RADIUS_M.works}) LEFT JOIN organisation o ON o.id = w.owner_id
       WHERE h.id = $6 AND w.source_kind <> 'klic' AND ${workReadableSql(1)} ORDER BY ST_Distance(w.geom, h.geom), w.id LIMIT 20`, [...policyParams(p), id]);
    const workIds = works.rows.map((w) => w.id);
    const findings = workIds.length ? await analyse(pool, { workIds }, policyParams(p), await loadRules(pool)) : [];
    res.set('Cache-Control', 'private, no-cache').json({ radius: CONTEXT_RADIUS_M, assets: assets.rows, works: works.rows, findings });
  });

  router.get('/api/hotspots/:id/comments', async (req, res) => {
    const id = hotspotIdOf(req);
    await managedHotspot(res, id);
    const r = await pool.query(`SELECT c.id, c.body, c.created_at AS "createdAt", u.email AS author FROM hotspot_comment c LEFT JOIN app_user u ON u.id = c.user_id WHERE c.hotspot_id = $1 ORDER BY c.id`, [id]);
    res.json({ comments: r.rows });
  });

  router.post('/api/hotspots/:id/comments', async (req, res) => {
    const id = hotspotIdOf(req);
    await managedHotspot(res, id);
    const body = parseBody(z.object({ body: z.string().trim().min(1).max(2000) }).strict(), req.body);
    const r = await pool.query('INSERT INTO hotspot_comment (hotspot_id, user_id, body) VALUES ($1, $2, $3) RETURNING id, body, created_at AS "createdAt"', [id, principalOf(res).userId, body.body]);
    res.status(201).json(r.rows[0]);
  });

  router.post('/api/walks/:id/pairwise', async (req, res) => {
    const walk = await managedWalk(res, parseId(req.params));
    const body = parseBody(NewSession, req.body);
    const items = 'items' in body ? body.items : walk.themes.map((t) => ({ id: t, label: t }));
    if (new Set(items.map((i) => i.id)).size !== items.length) throw new HttpError(400, 'invalid_body', 'items: every id once');
    const r = await pool.query<{ id: number }>('INSERT INTO pairwise_session (walk_id, title, items, created_by) VALUES ($1, $2, $3, $4) RETURNING id',
      [walk.id, body.title, JSON.stringify(items), principalOf(res).userId]);
    res.status(201).json(await sessionView(pool, await sessionOf(pool, r.rows[0]?.id ?? 0)));
  });

  router.get('/api/walks/:id/pairwise', async (req, res) => {
    const walk = await managedWalk(res, parseId(req.params));
    const r = await pool.query<Session>(`SELECT ${SESSION_FIELDS} FROM pairwise_session s WHERE s.walk_id = $1 ORDER BY s.id`, [walk.id]);
    res.json({ sessions: await Promise.all(r.rows.map((s) => sessionView(pool, s))) });
  });

  router.get('/api/pairwise/:id', async (req, res) => {
    editor(principalOf(res), 'running a walk');
    res.set('Cache-Control', 'private, no-cache').json(await sessionView(pool, await sessionOf(pool, parseId(req.params))));
  });

  router.post('/api/pairwise/:id/choices', async (req, res) => {
    const p = editor(principalOf(res), 'running a walk');
    await choose(res, pool, await sessionOf(pool, parseId(req.params)), req.body, { deviceId: null, userId: p.userId });
  });

  const participant = (req: Request) => walkDevice(pool, req);

  router.get('/api/walk/pairwise', async (req, res) => {
    const d = await participant(req);
    const sessions = await asSystem(async () => {
      const r = await pool.query<Session>(`SELECT ${SESSION_FIELDS} FROM pairwise_session s WHERE s.walk_id = $1 AND s.status = 'open' ORDER BY s.id`, [d.walkId]);
      return Promise.all(r.rows.map((s) => sessionView(pool, s)));
    });
    res.set('Cache-Control', 'no-store').json({ sessions: sessions.map((v) => ({ session: v.session, next: v.next, choices: v.choices })) });
  });

  router.post('/api/walk/pairwise/:id/choices', async (req, res) => {
    const d = await participant(req);
    await asSystem(async () => {
      const session = await sessionOf(pool, parseId(req.params));
      if (session.walkId !== d.walkId) throw notFound(`pairwise session ${session.id}`);
      await choose(res, pool, session, req.body, { deviceId: d.id, userId: null });
    });
  });

  for (const format of ['geojson', 'csv'] as const) {
    router.get(`/api/walks/:id/hotspots.${format}`, async (req, res) => {
      const walk = await managedWalk(res, parseId(req.params));
      const r = await pool.query<Record<string, unknown> & { lon: number; lat: number }>(
        `SELECT h.id, h.kind, h.theme, h.note, h.status, h.cluster, h.received_at AS "receivedAt", h.photo IS NOT NULL AS "hasPhoto",
                ST_X(ST_Transform(h.geom, 4326)) AS lon, ST_Y(ST_Transform(h.geom, 4326)) AS lat
         FROM hotspot h WHERE h.walk_id = $1 ORDER BY h.seq`, [walk.id]);
      res.set('Content-Disposition', `attachment; filename="wijkschouw-${walk.id}.${format}"`);
      if (format === 'geojson') {
        res.type('application/geo+json').send(JSON.stringify({
          type: 'FeatureCollection',
          features: r.rows.map(({ lon, lat, ...props }) => ({ type: 'Feature', id: props.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props })),
        }));
        return;
      }
      const cols = ['id', 'kind', 'theme', 'note', 'status', 'cluster', 'receivedAt', 'hasPhoto', 'lon', 'lat'];
      const lines = [cols.join(','), ...r.rows.map((row) => cols.map((c) => csvCell(c === 'receivedAt' ? (row[c] as Date).toISOString() : row[c])).join(','))];
      res.type('text/csv').send(`${lines.join('\n')}\n`);
    });
  }

  return router;
}
