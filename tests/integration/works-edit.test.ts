/**
 * Planned works over HTTP against PostGIS: create, read with an ETag, change with If-Match,
 * 412 with the current state for a stale version, 50 concurrent PATCHes with random staleness
 * (successes = version increments, no lost update, every failure a 412), validation messages,
 * delete with the last state kept in the history, and who may write. SYNTHETIC works on a real
 * street position in Maasbracht (WGS84).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jsonCall } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/auth.ts';

let db: TestDatabase;
let server: TestServer;
let analyst = '';
let other = '';
let participant = '';

const LINE = { type: 'LineString', coordinates: [[5.8830, 51.1555], [5.8845, 51.1560]] };
const WORK = {
  title: 'Vervanging riool Kloosterlaan', kind: 'vervanging riool', systems: ['riool_vrijverval'], status: 'gepland', opensGround: true,
  trenchWidth: 2, earliestStart: '2027-03-01', preferredStart: '2027-05-01', preferredEnd: '2027-07-31', latestEnd: '2027-10-31',
  costEstimate: 450000, contact: 'projectleider@maasgouw.test', confidentiality: 'C1', geometry: LINE,
};

beforeAll(async () => {
  db = await createTestDatabase('it_works');
  server = await startTestServer(db.pool);
  analyst = await userToken(db.pool, { slug: 'maasgouw', name: 'Gemeente Maasgouw', kind: 'gemeente' }, 'analyst', 'analist@works.test');
  other = await userToken(db.pool, { slug: 'wml', name: 'WML N.V.', kind: 'drinkwaterbedrijf' }, 'analyst', 'analist@wml-works.test');
  participant = await userToken(db.pool, { slug: 'bewoners', name: 'Bewoners', kind: 'overig' }, 'participant', 'deelnemer@works.test');
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const call = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  jsonCall(server.baseUrl, token, method, path, body, headers);

async function create(): Promise<{ id: number; etag: string }> {
  const res = await call(analyst, 'POST', '/api/works', WORK);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: number };
  return { id: body.id, etag: res.headers.get('etag') ?? '' };
}

describe('planned works', () => {
  it('creates a work with every field, readable with its ETag by partners', async () => {
    const { id, etag } = await create();
    expect(etag).toBe(`"work-${id}-v1"`);
    const res = await call(other, 'GET', `/api/works/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(etag);
    expect(await res.json()).toMatchObject({
      title: WORK.title, owner: 'maasgouw', kind: 'vervanging riool', systems: ['riool_vrijverval'], opensGround: true, trenchWidth: 2,
      earliestStart: '2027-03-01', preferredStart: '2027-05-01', preferredEnd: '2027-07-31', latestEnd: '2027-10-31',
      costEstimate: 450000, contact: WORK.contact, confidentiality: 'C1', version: 1,
    });
  });

  it('changes with If-Match; a stale version gets 412 with the current state; no If-Match is 428', async () => {
    const { id, etag } = await create();
    expect((await call(analyst, 'PATCH', `/api/works/${id}`, { status: 'in voorbereiding' })).status).toBe(428);
    const ok = await call(analyst, 'PATCH', `/api/works/${id}`, { status: 'in voorbereiding' }, { 'if-match': etag });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"work-${id}-v2"`);
    const stale = await call(analyst, 'PATCH', `/api/works/${id}`, { status: 'vervallen' }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    const body = (await stale.json()) as { error: { code: string }; current: { status: string; version: number } };
    expect(body.error.code).toBe('stale');
    expect(body.current).toMatchObject({ status: 'in voorbereiding', version: 2 });
  });

  it('50 concurrent PATCHes with random stale versions: successes = version increments, every failure a 412, nothing lost', async () => {
    const { id } = await create();
    // versions 1..3 are offered at random while the work moves on: most are stale by the time they land
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const version = 1 + Math.floor(Math.random() * 3);
      const res = await call(analyst, 'PATCH', `/api/works/${id}`, { contact: `poging ${i}` }, { 'if-match': `"work-${id}-v${version}"` });
      await res.arrayBuffer();
      return { i, status: res.status };
    }));
    const successes = results.filter((r) => r.status === 200);
    expect(results.every((r) => r.status === 200 || r.status === 412)).toBe(true);
    const final = (await (await call(analyst, 'GET', `/api/works/${id}`)).json()) as { version: number; contact: string };
    expect(final.version).toBe(1 + successes.length);
    const history = (await (await call(analyst, 'GET', `/api/works/${id}/history`)).json()) as { history: { action: string; version: number; changes: { contact?: [string, string] } }[] };
    const updates = history.history.filter((h) => h.action === 'updated');
    expect(updates).toHaveLength(successes.length);
    // every accepted change is in the history, in version order, each building on the one before
    expect(updates.map((h) => h.version)).toEqual(successes.map((_, k) => k + 2));
    expect(updates.at(-1)?.changes.contact?.[1]).toBe(final.contact);
  });

  it('says what is wrong: windows that do not nest, a bad geometry, a work far outside the area, an unknown owner', async () => {
    const bad = async (body: unknown) => ((await (await call(analyst, 'POST', '/api/works', body)).json()) as { error: { code: string; message: string } }).error;
    expect((await bad({ ...WORK, preferredEnd: '2027-04-01' })).message).toMatch(/preferredEnd \(2027-04-01\) lies before preferredStart/);
    expect((await bad({ ...WORK, latestEnd: '2027-06-01' })).message).toMatch(/latestEnd/);
    expect((await bad({ ...WORK, geometry: { type: 'LineString', coordinates: [[5.88, 51.15]] } })).message).toMatch(/geometry/);
    expect((await bad({ ...WORK, geometry: { type: 'Polygon', coordinates: [[[5.88, 51.15], [5.89, 51.16], [5.89, 51.15], [5.88, 51.16], [5.88, 51.15]]] } })).message).toMatch(/Self-intersection/);
    expect(await bad({ ...WORK, geometry: { type: 'LineString', coordinates: [[51.15, 5.88], [51.16, 5.89]] } })).toMatchObject({ code: 'outside_area' });
    expect(await bad({ ...WORK, owner: 'bestaat-niet' })).toMatchObject({ code: 'unknown_owner' });
    expect(await bad({ ...WORK, kind: 'iets' })).toMatchObject({ code: 'invalid_body' });
  });

  it('only the owner organisation changes or deletes; a participant plans nothing; a deleted work stays in the history', async () => {
    const { id, etag } = await create();
    expect((await call(other, 'PATCH', `/api/works/${id}`, { status: 'gereed' }, { 'if-match': etag })).status).toBe(403);
    expect((await call(participant, 'POST', '/api/works', WORK)).status).toBe(403);
    expect((await call(analyst, 'DELETE', `/api/works/${id}`, undefined, { 'if-match': '"work-0-v1"' })).status).toBe(412);
    expect((await call(analyst, 'DELETE', `/api/works/${id}`, undefined, { 'if-match': etag })).status).toBe(204);
    expect((await call(analyst, 'GET', `/api/works/${id}`)).status).toBe(404);
    const history = (await (await call(analyst, 'GET', `/api/works/${id}/history`)).json()) as { history: { action: string; changes: { title?: string } }[] };
    expect(history.history.map((h) => h.action)).toEqual(['created', 'deleted']);
    expect(history.history[1]?.changes.title).toBe(WORK.title);
  });
});
