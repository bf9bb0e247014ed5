/**
 * The facilitator's side of a wijkschouw (issue 7): area managers, analysts and administrators of
 * the organising organisation (row security keeps other organisations out).
 *   POST  /api/walks                 a walk: title, date, themes (default: vital systems +
 *                                    sustainability themes), optional area and route (WGS84); gets a
 *                                    6-character join code
 *   GET   /api/walks                 the organisation's walks with their hotspot counts
 *   GET   /api/walks/:id             one walk (ETag "walk-<id>-v<n>")
 *   PATCH /api/walks/:id             close/reopen, rounding, retention (If-Match)
 *   GET   /api/walks/:id/hotspots    every hotspot (GeoJSON, exact, with the author's name)
 *   GET   /api/walks/:id/events      Server-Sent Events: each arriving or changed hotspot; resumes
 *                                    after Last-Event-ID
 *   PATCH /api/hotspots/:id          publish / hide / group (If-Match "hotspot-<id>-v<n>")
 *   GET   /api/hotspots/:id/photo    the stored photo (metadata stripped on arrival)
 */
import { randomBytes } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { DEFAULT_WALK_THEMES, HotspotChange, NewWalk, WalkChange, walkCode } from '../../model/walk.ts';
import { WALK_FIELDS, hotspotFeatureSql, readHotspot } from '../../walks/store.ts';
import type { WalkEvents } from '../../walks/live.ts';
import { principalOf } from '../auth.ts';
import { HttpError, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseId } from './assets.ts';
import { editor } from './edit-common.ts';
import { hotspotIdOf } from './walk-participant.ts';


function ifMatch(req: Request, tag: (version: number) => string, what: string): number {
  const given = req.get('if-match');
  if (!given) throw new HttpError(428, 'if_match_required', `send If-Match with the ETag of ${what}`);
  const m = /-v(\d+)"$/.exec(given.trim());
  const version = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(version) || tag(version) !== given.trim()) throw new HttpError(412, 'stale', `If-Match ${given} is not an ETag of ${what}`);
  return version;
}

const walkTag = (id: number, v: number): string => `"walk-${id}-v${v}"`;
const hotspotTag = (id: string, v: number): string => `"hotspot-${id}-v${v}"`;

export function walksRouter(pool: Pool, events: WalkEvents): Router {
  const router = Router();

  const readWalk = async (id: number): Promise<(Record<string, unknown> & { version: number }) | null> => {
    const r = await pool.query<Record<string, unknown> & { version: number }>(
      `SELECT ${WALK_FIELDS}, (SELECT count(*)::int FROM hotspot h WHERE h.walk_id = w.id) AS hotspots FROM walk w WHERE w.id = $1`, [id]);
    return r.rows[0] ?? null;
  };
  /** The walk, when the caller may manage it (row security shows only its organisation's walks). */
  const managed = async (res: Response, id: number) => {
    editor(principalOf(res), 'running a walk');
    const w = await readWalk(id);
    if (!w) throw notFound(`walk ${id}`);
    return w;
  };

  router.post('/api/walks', async (req, res) => {
    const p = editor(principalOf(res), 'running a walk');
    const body = parseBody(NewWalk, req.body);
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await pool.query<{ id: number }>(
          `INSERT INTO walk (org_id, title, walk_date, themes, area, route, code, rounding_m, retention_months, created_by)
           VALUES ($1, $2, $3, $4,
             ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), Find_SRID('public', 'walk', 'area')),
             ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), Find_SRID('public', 'walk', 'route')),
             $7, $8, $9, $10) RETURNING id`,
          [p.orgId, body.title, body.date, body.themes ?? DEFAULT_WALK_THEMES, body.area ? JSON.stringify(body.area) : null,
            body.route ? JSON.stringify(body.route) : null, walkCode(randomBytes(6)), body.roundingM ?? 25, body.retentionMonths ?? 12, p.userId]);
        const w = await readWalk(r.rows[0]?.id ?? 0);
        res.status(201).set('ETag', walkTag(Number(w?.id), w?.version ?? 1)).json(w);
        return;
      } catch (err) {
        // a code that is already taken: draw another (32^6 codes)
        if ((err as { constraint?: string }).constraint !== 'walk_code_key' || attempt > 5) throw err;
      }
    }
  });

  router.get('/api/walks', async (_req, res) => {
    editor(principalOf(res), 'running a walk');
    const r = await pool.query(`SELECT ${WALK_FIELDS}, (SELECT count(*)::int FROM hotspot h WHERE h.walk_id = w.id) AS hotspots FROM walk w ORDER BY w.walk_date DESC, w.id DESC`);
    res.set('Cache-Control', 'private, no-cache').json({ walks: r.rows });
  });

  router.get('/api/walks/:id', async (req, res) => {
    const w = await managed(res, parseId(req.params));
    res.set('ETag', walkTag(Number(w.id), w.version)).set('Cache-Control', 'private, no-cache').json(w);
  });

  router.patch('/api/walks/:id', async (req, res) => {
    const id = parseId(req.params);
    const current = await managed(res, id);
    const version = ifMatch(req, (v) => walkTag(id, v), `walk ${id} (GET /api/walks/${id})`);
    const change = parseBody(WalkChange, req.body);
    const r = await pool.query<{ version: number }>(
      `UPDATE walk SET title = coalesce($3, title), status = coalesce($4, status), rounding_m = coalesce($5, rounding_m),
         retention_months = coalesce($6, retention_months),
         closed_at = CASE WHEN $4 = 'closed' AND status <> 'closed' THEN now() WHEN $4 = 'open' THEN NULL ELSE closed_at END,
         version = version + 1
       WHERE id = $1 AND version = $2 RETURNING version`,
      [id, version, change.title ?? null, change.status ?? null, change.roundingM ?? null, change.retentionMonths ?? null]);
    if (r.rowCount === 0) {
      res.set('ETag', walkTag(id, current.version)).status(412).json({ error: { status: 412, code: 'stale', message: `walk ${id} changed since you read it (now version ${current.version})` }, current });
      return;
    }
    const w = await readWalk(id);
    res.set('ETag', walkTag(id, w?.version ?? 0)).json(w);
  });

  router.get('/api/walks/:id/hotspots', async (req, res) => {
    const w = await managed(res, parseId(req.params));
    const r = await pool.query<{ fc: unknown }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(${hotspotFeatureSql(null)} ORDER BY h.seq), '[]'::json)) AS fc
       FROM hotspot h JOIN walk w ON w.id = h.walk_id WHERE h.walk_id = $1`, [w.id]);
    res.set('Cache-Control', 'private, no-cache').type('application/geo+json').send(JSON.stringify(r.rows[0]?.fc));
  });

  router.get('/api/walks/:id/events', async (req, res) => {
    const w = await managed(res, parseId(req.params));
    const walkId = Number(w.id);
    // a new screen loads the list (GET …/hotspots) and follows from now; a reconnect resumes after the last event it saw
    const resume = Number(req.get('last-event-id') ?? req.query.after ?? 0) || 0;
    const after = resume > 0 ? resume
      : Number((await pool.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM hotspot WHERE walk_id = $1', [walkId])).rows[0]?.seq ?? 0);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    let last = after;
    let sending = Promise.resolve();
    // everything with a seq after the last one sent: on connect (resume) and on every announcement
    const sendNew = (): void => {
      sending = sending.then(async () => {
        const r = await asSystem(() => pool.query<{ f: { properties: { seq: string } } }>(
          `SELECT ${hotspotFeatureSql(null)} AS f FROM hotspot h JOIN walk w ON w.id = h.walk_id WHERE h.walk_id = $1 AND h.seq > $2 ORDER BY h.seq`, [walkId, last]));
        for (const row of r.rows) {
          last = Math.max(last, Number(row.f.properties.seq));
          res.write(`id: ${last}\nevent: hotspot\ndata: ${JSON.stringify(row.f)}\n\n`);
        }
      }).catch(() => undefined);
    };
    const unsubscribe = events.subscribe(walkId, sendNew);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(beat);
      unsubscribe();
    });
    // what arrived since `after` (a resume, or the moment between reading max(seq) and subscribing)
    sendNew();
  });

  router.patch('/api/hotspots/:id', async (req, res) => {
    editor(principalOf(res), 'moderating a walk');
    const id = hotspotIdOf(req);
    const current = await readHotspot(pool, id);
    if (!current) throw notFound(`hotspot ${id}`);
    const props = current.properties as { version: number };
    const version = ifMatch(req, (v) => hotspotTag(id, v), `hotspot ${id}`);
    const change = parseBody(HotspotChange, req.body);
    const r = await pool.query<{ walk_id: number }>(
      `UPDATE hotspot SET status = coalesce($3, status), cluster = CASE WHEN $4::boolean THEN $5 ELSE cluster END,
         version = version + 1, seq = nextval('hotspot_seq_seq')
       WHERE id = $1 AND version = $2 RETURNING walk_id`,
      [id, version, change.status ?? null, change.cluster !== undefined, change.cluster ?? null]);
    if (r.rowCount === 0) {
      res.set('ETag', hotspotTag(id, props.version)).status(412).json({ error: { status: 412, code: 'stale', message: `hotspot ${id} changed since you read it (now version ${props.version})` }, current });
      return;
    }
    events.changed(r.rows[0]?.walk_id ?? 0, id);
    const now = await readHotspot(pool, id);
    res.set('ETag', hotspotTag(id, (now?.properties as { version: number }).version)).json(now);
  });

  router.get('/api/hotspots/:id/photo', async (req, res) => {
    editor(principalOf(res), 'running a walk');
    const id = hotspotIdOf(req);
    const r = await pool.query<{ photo: Buffer; photo_type: string }>('SELECT photo, photo_type FROM hotspot WHERE id = $1 AND photo IS NOT NULL', [id]);
    const p = r.rows[0];
    if (!p) throw notFound(`photo of hotspot ${id}`);
    res.set('Cache-Control', 'private, no-store').type(p.photo_type).send(p.photo);
  });

  return router;
}
