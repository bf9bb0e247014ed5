/**
 * The plan as data over HTTP against PostGIS (issue 5): moratoria (create, change with If-Match,
 * 412, delete, restore), undo of a deleted work (same id), the moratorium a finished
 * reconstruction generates (term from the settings), works and moratoria as vector tiles, and
 * the exports (GeoJSON, CSV, GeoPackage with both layers read by GDAL, iCalendar).
 * SYNTHETIC works and moratoria on real street positions in Maasbracht (WGS84).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jsonCall } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/auth.ts';

let db: TestDatabase;
let server: TestServer;
let analyst = '';
let other = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'works-plan-'));

const LINE = { type: 'LineString', coordinates: [[5.8830, 51.1555], [5.8845, 51.1560]] };
const AREA = { type: 'Polygon', coordinates: [[[5.8825, 51.1550], [5.8850, 51.1550], [5.8850, 51.1565], [5.8825, 51.1565], [5.8825, 51.1550]]] };
const WORK = {
  title: 'Reconstructie Kloosterlaan', kind: 'reconstructie weg', systems: ['mobiliteit'], status: 'in uitvoering', opensGround: true,
  trenchWidth: 8, preferredStart: '2026-03-01', preferredEnd: '2026-10-31', confidentiality: 'C1', geometry: LINE,
};
const MORATORIUM = { from: '2026-11-01', until: '2031-11-01', reason: 'Kloosterlaan net gereconstrueerd', exceptions: ['spoed'], geometry: AREA };

beforeAll(async () => {
  db = await createTestDatabase('it_plan');
  server = await startTestServer(db.pool);
  analyst = await userToken(db.pool, { slug: 'maasgouw', name: 'Gemeente Maasgouw', kind: 'gemeente' }, 'analyst', 'analist@plan.test');
  other = await userToken(db.pool, { slug: 'wml', name: 'WML N.V.', kind: 'drinkwaterbedrijf' }, 'analyst', 'analist@wml-plan.test');
});
afterAll(async () => {
  await server.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

const call = (token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  jsonCall(server.baseUrl, token, method, url, body, headers);

async function created(res: Response): Promise<{ id: number; etag: string; body: Record<string, unknown> }> {
  expect(res.status).toBe(201);
  const body = (await res.json()) as Record<string, unknown>;
  return { id: Number(body.id), etag: res.headers.get('etag') ?? '', body };
}

describe('moratoria', () => {
  it('are created, changed with If-Match (412 with the current state when stale), deleted and restored with their id', async () => {
    const { id, etag, body } = await created(await call(analyst, 'POST', '/api/moratoria', MORATORIUM));
    expect(etag).toBe(`"moratorium-${id}-v1"`);
    expect(body).toMatchObject({ from: '2026-11-01', until: '2031-11-01', reason: MORATORIUM.reason, exceptions: ['spoed'], owner: 'maasgouw', version: 1 });
    const changed = await call(analyst, 'PATCH', `/api/moratoria/${id}`, { until: '2030-11-01' }, { 'if-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(`"moratorium-${id}-v2"`);
    // a change names only what changes: the exceptions it leaves out stay as they were
    expect(await changed.json()).toMatchObject({ until: '2030-11-01', exceptions: ['spoed'], reason: MORATORIUM.reason });
    const stale = await call(analyst, 'PATCH', `/api/moratoria/${id}`, { reason: 'anders' }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { current: { until: string; version: number } }).current).toMatchObject({ until: '2030-11-01', version: 2 });
    expect((await call(analyst, 'PATCH', `/api/moratoria/${id}`, { until: '2025-01-01' }, { 'if-match': `"moratorium-${id}-v2"` })).status).toBe(400);
    expect((await call(other, 'DELETE', `/api/moratoria/${id}`, undefined, { 'if-match': `"moratorium-${id}-v2"` })).status).toBe(403);
    expect((await call(analyst, 'DELETE', `/api/moratoria/${id}`, undefined, { 'if-match': `"moratorium-${id}-v2"` })).status).toBe(204);
    expect((await call(analyst, 'GET', `/api/moratoria/${id}`)).status).toBe(404);
    expect((await call(other, 'POST', `/api/moratoria/${id}/restore`)).status).toBe(403);
    const restored = await created(await call(analyst, 'POST', `/api/moratoria/${id}/restore`));
    expect(restored.id).toBe(id);
    expect(restored.body).toMatchObject({ until: '2030-11-01', version: 3 });
    expect((await call(analyst, 'POST', `/api/moratoria/${id}/restore`)).status).toBe(409);
  });

  it('say what is wrong with a bad one', async () => {
    const bad = async (b: unknown) => ((await (await call(analyst, 'POST', '/api/moratoria', b)).json()) as { error: { message: string } }).error.message;
    expect(await bad({ ...MORATORIUM, until: '2020-01-01' })).toMatch(/until \(2020-01-01\) lies before from/);
    expect(await bad({ ...MORATORIUM, exceptions: ['altijd'] })).toMatch(/exceptions\.0/);
    expect(await bad({ ...MORATORIUM, reason: '' })).toMatch(/reason/);
  });
});

describe('works: undo of a delete, and the moratorium after a reconstruction', () => {
  it('a change of one field leaves every other field as it was (no defaults filled in)', async () => {
    const set = { ...WORK, systems: ['riool_vrijverval', 'mobiliteit'], status: 'in voorbereiding', opensGround: false, confidentiality: 'C2' };
    const { id, etag } = await created(await call(analyst, 'POST', '/api/works', set));
    const changed = await call(analyst, 'PATCH', `/api/works/${id}`, { title: 'Reconstructie Kloosterlaan fase 2' }, { 'if-match': etag });
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ title: 'Reconstructie Kloosterlaan fase 2', status: 'in voorbereiding', opensGround: false, confidentiality: 'C2', trenchWidth: 8, version: 2 });
    expect([...(body.systems as string[])].sort()).toEqual(['mobiliteit', 'riool_vrijverval']);
  });

  it('restores a deleted work with its id and every field, one version further', async () => {
    const { id, etag } = await created(await call(analyst, 'POST', '/api/works', { ...WORK, kind: 'glasvezel', status: 'gepland' }));
    expect((await call(analyst, 'DELETE', `/api/works/${id}`, undefined, { 'if-match': etag })).status).toBe(204);
    const restored = await created(await call(analyst, 'POST', `/api/works/${id}/restore`));
    expect(restored.id).toBe(id);
    expect(restored.etag).toBe(`"work-${id}-v2"`);
    expect(restored.body).toMatchObject({ title: WORK.title, kind: 'glasvezel', trenchWidth: 8, preferredEnd: '2026-10-31', owner: 'maasgouw' });
    const history = (await (await call(analyst, 'GET', `/api/works/${id}/history`)).json()) as { history: { action: string }[] };
    expect(history.history.map((h) => h.action)).toEqual(['created', 'deleted', 'restored']);
  });

  it('a reconstruction marked finished puts its footprint under a moratorium for the configured term, once', async () => {
    await db.pool.query("UPDATE app_setting SET value = '4' WHERE key = 'moratorium_years'");
    const { id, etag } = await created(await call(analyst, 'POST', '/api/works', WORK));
    const done = await call(analyst, 'PATCH', `/api/works/${id}`, { status: 'gereed' }, { 'if-match': etag });
    expect(done.status).toBe(200);
    const mid = Number(done.headers.get('x-moratorium-created'));
    expect(mid).toBeGreaterThan(0);
    const m = (await (await call(other, 'GET', `/api/moratoria/${mid}`)).json()) as Record<string, unknown>;
    const today = new Date().toISOString().slice(0, 10);
    expect(m).toMatchObject({ from: today, sourceWorkId: id, owner: 'maasgouw', exceptions: ['spoed', 'nieuwe aansluiting'] });
    expect(String(m.until)).toBe(`${Number(today.slice(0, 4)) + 4}${today.slice(4)}`);
    // the footprint: the line buffered by half its 8 m trench width (flat ends): 8 m × its length
    const area = await db.pool.query<{ ratio: number }>(
      'SELECT ST_Area(m.geom) / (8 * ST_Length(w.geom)) AS ratio FROM moratorium m JOIN work w ON w.id = m.source_work_id WHERE m.id = $1', [mid]);
    expect(area.rows[0]?.ratio).toBeCloseTo(1, 2);
    const again = await call(analyst, 'PATCH', `/api/works/${id}`, { status: 'gereed', contact: 'x@y.z' }, { 'if-match': `"work-${id}-v2"` });
    expect(again.headers.get('x-moratorium-created')).toBeNull();
    const glasvezel = await created(await call(analyst, 'POST', '/api/works', { ...WORK, kind: 'glasvezel' }));
    const notRecon = await call(analyst, 'PATCH', `/api/works/${glasvezel.id}`, { status: 'gereed' }, { 'if-match': glasvezel.etag });
    expect(notRecon.headers.get('x-moratorium-created')).toBeNull();
  });
});

describe('works and moratoria served and exported like every layer', () => {
  it('as vector tiles, with TileJSON', async () => {
    const tj = (await (await call(analyst, 'GET', '/tiles/works.json')).json()) as { tiles: string[]; bounds: number[]; vector_layers: { id: string }[] };
    expect(tj.vector_layers[0]?.id).toBe('works');
    expect(tj.bounds[0]).toBeCloseTo(5.883, 2);
    // z16 tile around Kloosterlaan
    const [x, y] = [Math.floor(((5.8837 + 180) / 360) * 2 ** 16), Math.floor(((1 - Math.log(Math.tan((51.1557 * Math.PI) / 180) + 1 / Math.cos((51.1557 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 16)];
    for (const layer of ['works', 'moratoria']) {
      const res = await call(analyst, 'GET', `/tiles/${layer}/16/${x}/${y}.mvt`);
      expect(res.status).toBe(200);
      const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
      expect(tile.layers[layer]?.length ?? 0).toBeGreaterThan(0);
      if (layer === 'works') expect(tile.layers.works?.feature(0).properties).toMatchObject({ kind: expect.any(String), preferred_start: expect.stringMatching(/^\d{4}-/) });
    }
  });

  it('as GeoJSON, CSV, iCalendar and one GeoPackage with both layers that GDAL reads', async () => {
    const count = Number((await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM work')).rows[0]?.n);
    const gj = (await (await call(analyst, 'GET', '/api/works/export?format=geojson')).json()) as { features: { properties: Record<string, unknown> }[] };
    expect(gj.features).toHaveLength(count);
    expect(gj.features[0]?.properties).toMatchObject({ title: expect.any(String), systems: expect.any(Array), opensGround: expect.any(Boolean) });
    const window = (await (await call(analyst, 'GET', '/api/works/export?format=geojson&from=2030-01-01')).json()) as { features: unknown[] };
    expect(window.features).toHaveLength(0);
    expect((await call(analyst, 'GET', '/api/works/export?format=geojson&from=2027-01-01&to=2026-01-01')).status).toBe(400);
    const csvBytes = Buffer.from(await (await call(analyst, 'GET', '/api/works/export?format=csv')).arrayBuffer());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
    const csv = csvBytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^id,sourceId,title,owner,.*,wkt$/);
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(count + 1);
    const ics = await call(analyst, 'GET', '/api/works/export?format=ics');
    expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
    expect((await ics.text()).match(/BEGIN:VEVENT/g)).toHaveLength(count);
    const gpkg = await call(analyst, 'GET', '/api/works/export?format=gpkg');
    expect(gpkg.status, gpkg.status === 200 ? '' : await gpkg.clone().text()).toBe(200);
    const file = path.join(dir, 'plan.gpkg');
    writeFileSync(file, Buffer.from(await gpkg.arrayBuffer()));
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(info).toMatch(/Layer name: werken[\s\S]*Feature Count: \d+[\s\S]*Layer name: graafrust/);
    expect(info).toMatch(/Amersfoort \/ RD New/);
    const werken = execFileSync('ogrinfo', ['-q', '-sql', 'SELECT count(*) AS n FROM werken', file], { encoding: 'utf8' });
    expect(werken).toMatch(new RegExp(`n \\(Integer\\) = ${count}`));
    expect((await call(analyst, 'GET', '/api/moratoria/export?format=ics')).status).toBe(400);
  });
});
