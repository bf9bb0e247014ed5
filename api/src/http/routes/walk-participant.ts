/**
 * The participant's side of a wijkschouw (issue 7): no account. `POST /api/walk-join` with the
 * walk's short code gives the phone a device token (stored hashed); every other call sends it as
 * `X-Walk-Device` and reaches only that walk:
 *   GET  /api/walk/me                      the walk (title, date, themes, route, area)
 *   POST /api/walk/hotspots                a kans or knelpunt; the id is made on the phone, so a
 *                                          retried post is stored once (201 new, 200 already there)
 *   PUT  /api/walk/hotspots/:id/photo      the photo (raw JPEG/PNG/WebP), metadata stripped here
 *   GET  /api/walk/hotspots                own hotspots (exact) and published ones (rounded)
 *   GET  /api/walk/hotspots/:id/photo      a photo of an own or published hotspot
 * Posting is limited per device; joining per address. A custom header (not a cookie) carries the
 * token, so another site cannot post in a participant's name.
 */
import express, { type Request, type Response, Router } from 'express';
import { AttemptLimiter } from '../../auth/attempts.ts';
import { digest, newSecret } from '../../auth/secrets.ts';
import type { Pool } from '../../db/pool.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { MAX_PHOTO_BYTES, PhotoRejected, stripPhotoMetadata } from '../../ingest/photos/strip-metadata.ts';
import { JoinWalk, NewHotspot } from '../../model/walk.ts';
import { type Device, PUBLIC_WALK_FIELDS, deviceOf, hotspotFeatureSql } from '../../walks/store.ts';
import type { WalkEvents } from '../../walks/live.ts';
import { HttpError, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';

export interface ParticipantLimits {
  /** hotspots per device in the window */
  posts: { max: number; windowMs: number };
  /** joins per address in the window */
  joins: { max: number; windowMs: number };
}

export const DEFAULT_PARTICIPANT_LIMITS: ParticipantLimits = { posts: { max: 60, windowMs: 10 * 60_000 }, joins: { max: 30, windowMs: 10 * 60_000 } };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The hotspot id (a UUID) of a route's `:id`, lower case; 400 when it is not one. */
export function hotspotIdOf(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!UUID.test(id)) throw new HttpError(400, 'invalid_id', `"${id}" is not a hotspot id (a UUID)`);
  return id.toLowerCase();
}

function tooMany(res: Response, seconds: number, what: string): HttpError {
  res.set('Retry-After', String(seconds));
  return new HttpError(429, 'too_many_requests', `${what}; try again in ${seconds} s`);
}

/** The device a participant's request comes from (its X-Walk-Device token); 401 when there is none or it is unknown. */
export async function walkDevice(pool: Pool, req: Request): Promise<Device> {
  const token = req.get('x-walk-device');
  if (!token) throw new HttpError(401, 'walk_device_required', 'join the walk first (POST /api/walk-join with its code) and send the token as X-Walk-Device');
  const d = await deviceOf(pool, digest(token));
  if (!d) throw new HttpError(401, 'walk_device_unknown', 'this device token is not known (the walk may have been removed); join again with the code');
  return d;
}

export function walkParticipantRouter(pool: Pool, events: WalkEvents, limits: ParticipantLimits = DEFAULT_PARTICIPANT_LIMITS): Router {
  const router = Router();
  const joins = new AttemptLimiter(limits.joins);
  const posts = new AttemptLimiter(limits.posts);

  const device = (req: Request): Promise<Device> => walkDevice(pool, req);
  const walkOf = async (walkId: number): Promise<Record<string, unknown> & { status: string }> => {
    const r = await asSystem(() => pool.query<Record<string, unknown> & { status: string }>(`SELECT ${PUBLIC_WALK_FIELDS} FROM walk w WHERE w.id = $1`, [walkId]));
    const w = r.rows[0];
    if (!w) throw notFound(`walk ${walkId}`);
    return w;
  };

  router.post('/api/walk-join', async (req, res) => {
    const key = `join:${req.ip ?? ''}`;
    const wait = joins.retryAfter(key);
    if (wait > 0) throw tooMany(res, wait, 'too many attempts to join from this address');
    joins.record(key);
    const body = parseBody(JoinWalk, req.body);
    const w = await asSystem(() => pool.query<{ id: number; status: string }>('SELECT id, status FROM walk WHERE code = $1', [body.code]));
    const walk = w.rows[0];
    if (!walk) throw new HttpError(404, 'walk_not_found', `no walk with code ${body.code}; check the code on the invitation`);
    if (walk.status !== 'open') throw new HttpError(409, 'walk_closed', `the walk with code ${body.code} is closed`);
    const token = newSecret('wd_');
    await asSystem(() => pool.query('INSERT INTO walk_device (walk_id, token_hash, name) VALUES ($1, $2, $3)', [walk.id, digest(token), body.name || null]));
    res.status(201).json({ token, walk: await walkOf(walk.id) });
  });

  router.get('/api/walk/me', async (req, res) => {
    const d = await device(req);
    res.set('Cache-Control', 'no-store').json({ walk: await walkOf(d.walkId), device: { id: d.id, name: d.name } });
  });

  router.post('/api/walk/hotspots', async (req, res) => {
    const d = await device(req);
    const h = parseBody(NewHotspot, req.body);
    const existing = await asSystem(() => pool.query<{ walk_id: number; device_id: number | null }>('SELECT walk_id, device_id FROM hotspot WHERE id = $1', [h.id]));
    const had = existing.rows[0];
    if (had) {
      // a retry of a post that arrived: stored once; the same id from another device is a conflict
      if (had.device_id !== d.id) throw new HttpError(409, 'hotspot_id_taken', `hotspot ${h.id} was posted by another device`);
      res.status(200).json({ id: h.id, stored: 'already' });
      return;
    }
    const key = `post:${d.id}`;
    const wait = posts.retryAfter(key);
    if (wait > 0) throw tooMany(res, wait, `at most ${limits.posts.max} hotspots per ${Math.round(limits.posts.windowMs / 60_000)} minutes from one device`);
    const walk = await walkOf(d.walkId);
    if (walk.status !== 'open') throw new HttpError(409, 'walk_closed', 'the walk is closed; hotspots can no longer be added');
    const themes = (walk.themes as string[]) ?? [];
    if (!themes.includes(h.theme)) throw new HttpError(400, 'invalid_body', `theme: "${h.theme}" is not a theme of this walk (${themes.join(', ')})`);
    posts.record(key);
    const r = await asSystem(() => pool.query<{ seq: string }>(
      `INSERT INTO hotspot (id, walk_id, device_id, kind, theme, note, author_name, geom, accuracy_m, observed_at)
       SELECT $1, $2, $3, $4, $5, $6, d.name, ST_Transform(ST_SetSRID(ST_MakePoint($7, $8), 4326), Find_SRID('public', 'hotspot', 'geom')), $9, $10
       FROM walk_device d WHERE d.id = $3
       ON CONFLICT (id) DO NOTHING RETURNING seq`,
      [h.id, d.walkId, d.id, h.kind, h.theme, h.note, h.lon, h.lat, h.accuracy ?? null, h.observedAt]));
    if (r.rowCount === 0) {
      res.status(200).json({ id: h.id, stored: 'already' });
      return;
    }
    events.changed(d.walkId, h.id);
    res.status(201).json({ id: h.id, stored: 'new' });
  });

  router.put('/api/walk/hotspots/:id/photo', express.raw({ type: () => true, limit: MAX_PHOTO_BYTES + 1 }), async (req, res) => {
    const d = await device(req);
    const id = hotspotIdOf(req);
    const own = await asSystem(() => pool.query<{ walk_id: number }>('SELECT walk_id FROM hotspot WHERE id = $1 AND device_id = $2', [id, d.id]));
    if (!own.rows[0]) throw notFound(`hotspot ${id} of this device`);
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    let photo;
    try {
      photo = stripPhotoMetadata(bytes);
    } catch (err) {
      if (err instanceof PhotoRejected) throw new HttpError(err.reason.includes('MB') ? 413 : 415, 'photo_rejected', `photo of hotspot ${id}: ${err.reason}`);
      throw err;
    }
    await asSystem(() => pool.query('UPDATE hotspot SET photo = $2, photo_type = $3, version = version + 1, seq = nextval(\'hotspot_seq_seq\') WHERE id = $1',
      [id, Buffer.from(photo.bytes), photo.type]));
    events.changed(d.walkId, id);
    res.json({ id, photo: { type: photo.type, bytes: photo.bytes.length, removed: photo.removed } });
  });

  router.get('/api/walk/hotspots', async (req, res) => {
    const d = await device(req);
    const r = await asSystem(() => pool.query<{ fc: unknown }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(${hotspotFeatureSql('$2::int')} ORDER BY h.received_at), '[]'::json)) AS fc
       FROM hotspot h JOIN walk w ON w.id = h.walk_id
       WHERE h.walk_id = $1 AND (h.device_id = $2 OR h.status = 'published')`, [d.walkId, d.id]));
    res.set('Cache-Control', 'no-store').type('application/geo+json').send(JSON.stringify(r.rows[0]?.fc));
  });

  router.get('/api/walk/hotspots/:id/photo', async (req, res) => {
    const d = await device(req);
    const id = hotspotIdOf(req);
    const r = await asSystem(() => pool.query<{ photo: Buffer; photo_type: string }>(
      `SELECT photo, photo_type FROM hotspot WHERE id = $1 AND walk_id = $2 AND photo IS NOT NULL AND (device_id = $3 OR status = 'published')`, [id, d.walkId, d.id]));
    const p = r.rows[0];
    if (!p) throw notFound(`photo of hotspot ${id}`);
    res.set('Cache-Control', 'private, no-store').type(p.photo_type).send(p.photo);
  });

  return router;
}
