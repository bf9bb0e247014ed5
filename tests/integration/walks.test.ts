/**
 * Wijkschouw over HTTP against PostGIS (issue 7): a facilitator creates a walk; phones join with
 * its code (no account) and post hotspots — idempotent by the id the phone made, with a photo whose
 * metadata the server strips; participants see their own hotspots and the published ones (rounded,
 * without names); the facilitator moderates with If-Match and follows a live feed that resumes
 * after a reconnect; rate limits per device; retention removes personal fields. The photo is a
 * SYNTHETIC test image (tests/fixtures/photos/README.md).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../../api/src/walks/store.ts';
import { ROOT } from '../helpers/app-process.ts';
import { userToken } from '../helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jsonCall } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let db: TestDatabase;
let server: TestServer;
let facilitator = '';
let outsider = '';
let walk: { id: number; code: string; themes: string[]; version: number };

const PHOTO = readFileSync(path.join(ROOT, 'tests', 'fixtures', 'photos', 'photo.jpg'));
const SVG = readFileSync(path.join(ROOT, 'tests', 'fixtures', 'photos', 'drawing.svg'));
// a street in Maasbracht (WGS84)
const AT = { lon: 5.8903, lat: 51.1636 };

const call = (token: string | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  jsonCall(server.baseUrl, token, method, url, body, headers);
const device = (token: string, method: string, url: string, body?: unknown) => call(null, method, url, body, { 'x-walk-device': token });

async function join(code: string, name?: string): Promise<string> {
  const res = await call(null, 'POST', '/api/walk-join', { code, ...(name ? { name } : {}) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const hotspot = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(), kind: 'knelpunt', theme: 'drinkwater', note: 'Lekkage bij de put', ...AT, accuracy: 6, observedAt: new Date().toISOString(), ...over,
});

beforeAll(async () => {
  db = await createTestDatabase('it_walks');
  server = await startTestServer(db.pool, null, () => undefined, { participantLimits: { posts: { max: 5, windowMs: 60_000 }, joins: { max: 50, windowMs: 60_000 } } });
  facilitator = await userToken(db.pool, { slug: 'schouw-gemeente', name: 'Schouw gemeente', kind: 'gemeente' }, 'area_manager', 'regisseur@schouw.test');
  outsider = await userToken(db.pool, { slug: 'schouw-ander', name: 'Andere gemeente', kind: 'gemeente' }, 'area_manager', 'regisseur@ander.test');
  const res = await call(facilitator, 'POST', '/api/walks', {
    title: 'Wijkschouw Maasbracht-centrum', date: '2026-12-05',
    route: { type: 'LineString', coordinates: [[5.889, 51.163], [5.892, 51.164]] },
  });
  expect(res.status).toBe(201);
  walk = (await res.json()) as typeof walk;
});

afterAll(async () => {
  await server.close();
  await db.drop();
});

describe('a walk', () => {
  it('gets a short code and the default themes; other organisations cannot see it', async () => {
    expect(walk.code).toMatch(/^[A-Z2-9]{6}$/);
    expect(walk.themes).toEqual(expect.arrayContaining(['drinkwater', 'ecologie', 'water en klimaatadaptatie']));
    expect((await call(outsider, 'GET', `/api/walks/${walk.id}`)).status).toBe(404);
    expect(((await (await call(outsider, 'GET', '/api/walks')).json()) as { walks: unknown[] }).walks).toEqual([]);
    expect((await call(null, 'GET', '/api/walks')).status).toBe(401);
  });

  it('is joined by its code (any case); a wrong code says so', async () => {
    expect(await join(walk.code.toLowerCase())).toMatch(/^wd_/);
    const wrong = await call(null, 'POST', '/api/walk-join', { code: 'ZZZZZZ' });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/no walk with code ZZZZZZ/);
    const bad = await call(null, 'POST', '/api/walk-join', { code: 'abc' });
    expect(bad.status).toBe(400);
  });
});

describe('posting hotspots from a phone', () => {
  it('stores a retried post once, and names what is wrong in a bad one', async () => {
    const phone = await join(walk.code, 'Anna');
    const h = hotspot();
    expect((await device(phone, 'POST', '/api/walk/hotspots', h)).status).toBe(201);
    expect((await device(phone, 'POST', '/api/walk/hotspots', h)).status).toBe(200);
    const n = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hotspot WHERE id = $1', [h.id]);
    expect(n.rows[0]?.n).toBe(1);
    const wrongTheme = await device(phone, 'POST', '/api/walk/hotspots', hotspot({ theme: 'koffie' }));
    expect(wrongTheme.status).toBe(400);
    expect(((await wrongTheme.json()) as { error: { message: string } }).error.message).toMatch(/theme: "koffie" is not a theme of this walk/);
    expect((await call(null, 'POST', '/api/walk/hotspots', hotspot())).status).toBe(401);
    // another phone cannot take over an id
    const other = await join(walk.code);
    expect((await device(other, 'POST', '/api/walk/hotspots', h)).status).toBe(409);
  });

  it('keeps the photo without its metadata, and refuses an SVG', async () => {
    const phone = await join(walk.code);
    const h = hotspot({ kind: 'kans', theme: 'ecologie', note: 'Ruimte voor een wadi' });
    expect((await device(phone, 'POST', '/api/walk/hotspots', h)).status).toBe(201);
    expect(PHOTO.includes(Buffer.from('TestPhone'))).toBe(true);
    const put = await fetch(`${server.baseUrl}/api/walk/hotspots/${h.id}/photo`, { method: 'PUT', headers: { 'x-walk-device': phone, 'content-type': 'image/jpeg' }, body: PHOTO });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { photo: { removed: string[] } }).photo.removed).toContain('EXIF (APP1)');
    const stored = (await db.pool.query<{ photo: Buffer }>('SELECT photo FROM hotspot WHERE id = $1', [h.id])).rows[0]?.photo ?? Buffer.alloc(0);
    expect(stored.length).toBeGreaterThan(100);
    for (const secret of ['TestPhone', 'secret', 'Exif\0\0']) expect(stored.includes(Buffer.from(secret)), secret).toBe(false);
    const back = await fetch(`${server.baseUrl}/api/walk/hotspots/${h.id}/photo`, { headers: { 'x-walk-device': phone } });
    expect(Buffer.from(await back.arrayBuffer()).equals(stored)).toBe(true);
    const svg = await fetch(`${server.baseUrl}/api/walk/hotspots/${h.id}/photo`, { method: 'PUT', headers: { 'x-walk-device': phone, 'content-type': 'image/svg+xml' }, body: SVG });
    expect(svg.status).toBe(415);
    expect(((await svg.json()) as { error: { message: string } }).error.message).toMatch(/SVG is not accepted/);
  });

  it('limits posting per device', async () => {
    const phone = await join(walk.code);
    for (let i = 0; i < 5; i++) expect((await device(phone, 'POST', '/api/walk/hotspots', hotspot())).status).toBe(201);
    const sixth = await device(phone, 'POST', '/api/walk/hotspots', hotspot());
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // another phone is not held back
    expect((await device(await join(walk.code), 'POST', '/api/walk/hotspots', hotspot())).status).toBe(201);
  });
});

describe('what participants see, and moderation', () => {
  it('a participant sees its own hotspots and, once published, those of others rounded and without names', async () => {
    const anna = await join(walk.code, 'Anna');
    const bram = await join(walk.code, 'Bram');
    const h = hotspot({ note: 'Boomwortels drukken de stoep op' });
    expect((await device(anna, 'POST', '/api/walk/hotspots', h)).status).toBe(201);
    type Fc = { features: { id: string; geometry: { coordinates: [number, number] }; properties: { own: boolean; authorName: string | null } }[] };
    const seen = async (token: string) => ((await (await device(token, 'GET', '/api/walk/hotspots')).json()) as Fc).features.find((f) => f.id === h.id);
    expect(await seen(bram)).toBeUndefined();
    const own = await seen(anna);
    expect(own?.properties).toMatchObject({ own: true, authorName: 'Anna' });

    const read = await call(facilitator, 'GET', `/api/walks/${walk.id}/hotspots`);
    const all = (await read.json()) as Fc & { features: { properties: { version: number } }[] };
    const mine = all.features.find((f) => f.id === h.id);
    expect(mine?.properties.authorName).toBe('Anna');
    expect((await call(facilitator, 'PATCH', `/api/hotspots/${h.id}`, { status: 'published' })).status).toBe(428);
    expect((await call(facilitator, 'PATCH', `/api/hotspots/${h.id}`, { status: 'published' }, { 'if-match': `"hotspot-${h.id}-v99"` })).status).toBe(412);
    const pub = await call(facilitator, 'PATCH', `/api/hotspots/${h.id}`, { status: 'published' }, { 'if-match': `"hotspot-${h.id}-v1"` });
    expect(pub.status).toBe(200);
    expect(pub.headers.get('etag')).toBe(`"hotspot-${h.id}-v2"`);
    expect((await call(outsider, 'PATCH', `/api/hotspots/${h.id}`, { status: 'hidden' }, { 'if-match': `"hotspot-${h.id}-v2"` })).status).toBe(404);

    const other = await seen(bram);
    expect(other?.properties).toMatchObject({ own: false, authorName: null });
    // rounded to the walk's 25 m grid in RD New
    const rd = await db.pool.query<{ x: number; y: number; moved: number }>(
      `SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_Distance(p, (SELECT geom FROM hotspot WHERE id = $3)) AS moved
       FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 28992) AS p) s`,
      [other?.geometry.coordinates[0], other?.geometry.coordinates[1], h.id]);
    const { x, y, moved } = rd.rows[0] ?? { x: NaN, y: NaN, moved: NaN };
    expect(Math.abs(x / 25 - Math.round(x / 25))).toBeLessThan(0.01);
    expect(Math.abs(y / 25 - Math.round(y / 25))).toBeLessThan(0.01);
    expect(moved).toBeGreaterThan(0.5);
    expect(moved).toBeLessThan(18);
  });
});

describe('the live feed', () => {
  it('announces a new hotspot at once and, after a reconnect, everything since the last event it saw', async () => {
    const phone = await join(walk.code);
    const controller = new AbortController();
    const res = await fetch(`${server.baseUrl}/api/walks/${walk.id}/events`, { headers: { authorization: `Bearer ${facilitator}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const h = hotspot({ note: 'Live binnen' });
    expect((await device(phone, 'POST', '/api/walk/hotspots', h)).status).toBe(201);
    const deadline = Date.now() + 10_000;
    while (!text.includes(h.id) && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const event = /id: (\d+)\nevent: hotspot\ndata: (.*)\n/.exec(text.slice(text.indexOf('id: ')));
    expect(event).not.toBeNull();
    expect(JSON.parse(event?.[2] ?? '{}')).toMatchObject({ id: h.id, properties: { note: 'Live binnen', kind: 'knelpunt' } });
    const lastSeen = Number(event?.[1]);
    // while the screen is away two more arrive; the reconnect with Last-Event-ID gets exactly those
    const later = [hotspot({ note: 'Later 1' }), hotspot({ note: 'Later 2' })];
    for (const l of later) expect((await device(phone, 'POST', '/api/walk/hotspots', l)).status).toBe(201);
    const again = new AbortController();
    const res2 = await fetch(`${server.baseUrl}/api/walks/${walk.id}/events`, { headers: { authorization: `Bearer ${facilitator}`, 'last-event-id': String(lastSeen) }, signal: again.signal });
    const reader2 = (res2.body as ReadableStream<Uint8Array>).getReader();
    let text2 = '';
    const until = Date.now() + 10_000;
    while (!later.every((l) => text2.includes(l.id)) && Date.now() < until) text2 += new TextDecoder().decode((await reader2.read()).value);
    again.abort();
    expect(later.every((l) => text2.includes(l.id))).toBe(true);
    expect(text2.includes(h.id)).toBe(false);
  });
});

describe('closing and retention', () => {
  it('a closed walk takes no new phones; its personal fields go after the retention term', async () => {
    const current = await call(facilitator, 'GET', `/api/walks/${walk.id}`);
    const tag = current.headers.get('etag') ?? '';
    const closed = await call(facilitator, 'PATCH', `/api/walks/${walk.id}`, { status: 'closed' }, { 'if-match': tag });
    expect(closed.status).toBe(200);
    expect((await call(null, 'POST', '/api/walk-join', { code: walk.code })).status).toBe(409);
    const named = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hotspot WHERE walk_id = $1 AND author_name IS NOT NULL', [walk.id])).rows[0]?.n ?? 0;
    expect(await named()).toBeGreaterThan(0);
    expect(await applyRetention(db.pool)).toEqual({ hotspots: 0, devices: 0 });
    const later = new Date(Date.now() + 13 * 31 * 24 * 3600 * 1000);
    const cleared = await applyRetention(db.pool, later);
    expect(cleared.hotspots).toBeGreaterThan(0);
    expect(cleared.devices).toBeGreaterThan(0);
    expect(await named()).toBe(0);
  });
});

describe('the atelier', () => {
  beforeAll(async () => {
    // the walk was closed above; the studio reopens it for the session
    const tag = (await call(facilitator, 'GET', `/api/walks/${walk.id}`)).headers.get('etag') ?? '';
    expect((await call(facilitator, 'PATCH', `/api/walks/${walk.id}`, { status: 'open' }, { 'if-match': tag })).status).toBe(200);
  });

  it('shows the context of a hotspot: nearest assets and planned works the facilitator may see', async () => {
    const phone = await join(walk.code);
    const h = hotspot({ note: 'Context' });
    expect((await device(phone, 'POST', '/api/walk/hotspots', h)).status).toBe(201);
    // a planned work of the facilitator's organisation 10 m away, and one far away
    const org = (await db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'schouw-gemeente'")).rows[0]?.id;
    await db.pool.query(
      `INSERT INTO work (source_kind, source_id, owner_id, title, kind, systems, status, opens_ground, preferred_start, preferred_end, content_hash, geom)
       SELECT 'manual', 'ctx-' || k, $1, 'Werk ' || k, 'vervanging riool', '{riool_vrijverval}', 'gepland', true, '2027-03-01', '2027-06-30', 'x',
         ST_Translate(ST_MakeLine(h.geom, ST_Translate(h.geom, 30, 0)), 0, d)
       FROM hotspot h, (VALUES (1, 10.0), (2, 500.0)) v(k, d) WHERE h.id = $2`, [org, h.id]);
    const res = await call(facilitator, 'GET', `/api/hotspots/${h.id}/context`);
    expect(res.status).toBe(200);
    const ctx = (await res.json()) as { works: { title: string; distanceM: number }[]; assets: unknown[]; findings: unknown[] };
    expect(ctx.works.map((w) => w.title)).toEqual(['Werk 1']);
    expect(ctx.works[0]?.distanceM).toBeCloseTo(10, 0);
    expect(Array.isArray(ctx.assets)).toBe(true);
    expect((await call(outsider, 'GET', `/api/hotspots/${h.id}/context`)).status).toBe(404);
  });

  it('ranks themes from pairwise choices by facilitator and phones, stored once per choice id', async () => {
    const res = await call(facilitator, 'POST', `/api/walks/${walk.id}/pairwise`, { title: 'Wat eerst?', items: [{ id: 'groen', label: 'Meer groen' }, { id: 'parkeren', label: 'Parkeren' }, { id: 'spelen', label: 'Speelplek' }] });
    expect(res.status).toBe(201);
    const s = (await res.json()) as { session: { id: number }; next: [{ id: string }, { id: string }] };
    expect(s.next).toHaveLength(2);
    // groen > spelen > parkeren, each twice
    const choices = [['groen', 'spelen'], ['spelen', 'parkeren'], ['groen', 'parkeren']].flatMap(([w, l]) => [[w, l], [w, l]]);
    for (const [w, l] of choices) {
      const body = { id: randomUUID(), a: w, b: l, choice: 'a' };
      expect((await call(facilitator, 'POST', `/api/pairwise/${s.session.id}/choices`, body)).status).toBe(201);
    }
    // a participant's choice through its device; a retry is stored once
    const phone = await join(walk.code);
    const open = (await (await device(phone, 'GET', '/api/walk/pairwise')).json()) as { sessions: { session: { id: number } }[] };
    expect(open.sessions.map((x) => x.session.id)).toContain(s.session.id);
    const mine = { id: randomUUID(), a: 'groen', b: 'parkeren', choice: 'a' };
    expect((await device(phone, 'POST', `/api/walk/pairwise/${s.session.id}/choices`, mine)).status).toBe(201);
    expect((await device(phone, 'POST', `/api/walk/pairwise/${s.session.id}/choices`, mine)).status).toBe(200);
    const bad = await device(phone, 'POST', `/api/walk/pairwise/${s.session.id}/choices`, { ...mine, id: randomUUID(), b: 'koffie' });
    expect(bad.status).toBe(400);
    const view = (await (await call(facilitator, 'GET', `/api/pairwise/${s.session.id}`)).json()) as { choices: number; ranking: { items: { id: string; rank: number; comparisons: number }[] } };
    expect(view.choices).toBe(7);
    expect(view.ranking.items.map((i) => i.id)).toEqual(['groen', 'spelen', 'parkeren']);
    expect(view.ranking.items.map((i) => i.rank)).toEqual([1, 2, 3]);
    expect(view.ranking.items[0]?.comparisons).toBe(5);
  });

  it('exports the hotspots as GeoJSON and CSV without personal fields', async () => {
    const geo = await call(facilitator, 'GET', `/api/walks/${walk.id}/hotspots.geojson`);
    expect(geo.status).toBe(200);
    const fc = (await geo.json()) as { features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] };
    expect(fc.features.length).toBeGreaterThan(5);
    expect(fc.features[0]?.properties).not.toHaveProperty('authorName');
    expect(fc.features[0]?.geometry.coordinates[0]).toBeCloseTo(AT.lon, 3);
    const csv = await (await call(facilitator, 'GET', `/api/walks/${walk.id}/hotspots.csv`)).text();
    expect(csv.split('\n')[0]).toBe('id,kind,theme,note,status,cluster,receivedAt,hasPhoto,lon,lat');
    expect(csv).toContain('Lekkage bij de put');
    expect(csv).not.toContain('Anna');
  });
});
