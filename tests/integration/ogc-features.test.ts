/**
 * OGC API – Features at /ogc (issue 8) over HTTP against PostGIS, on the real KLIC delivery
 * 22G003179 (Maasgouw: C3 networks of Enexis, WML and the municipality), the FICTIONAL demo
 * planning (40 works, C1) and a walk with hotspots posted here. Every JSON answer is validated
 * against the API's own OpenAPI document (tests/helpers/ogc.ts). Reference answers come from SQL
 * written here, not from the code under test.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../api/src/auth/accounts.ts';
import { seedDemo } from '../../api/src/auth/demo.ts';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { importWorksFile } from '../../api/src/ingest/works/import-works.ts';
import { ROOT } from '../helpers/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jsonCall } from '../helpers/http.ts';
import { type Feature, OgcClient } from '../helpers/ogc.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const RD = 'http://www.opengis.net/def/crs/EPSG/0/28992';
const EPSG4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
const FIXED = ['works', 'moratoria', 'findings', 'bundles', 'hotspots'];

let db: TestDatabase;
let server: TestServer;
let ogc: OgcClient;
let enexis = '';
let municipality = '';
let published = '';
const idsOf = (fs: Feature[]): number[] => fs.map((f) => Number(f.id));
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

async function ids(sql: string, params: unknown[] = []): Promise<number[]> {
  return (await db.pool.query<{ id: string }>(sql, params)).rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
/** The rule by hand: in this database every asset is C3, so a caller may download only its own organisation's rows. */
const ownRows = (system: string, slug: string): Promise<number[]> =>
  ids('SELECT a.id FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = $1 AND o.slug = $2', [system, slug]);

beforeAll(async () => {
  db = await createTestDatabase('it_ogc_features');
  await importKlicZip(db.pool, path.join(ROOT, 'data', 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await seedDemo(db.pool);
  await importWorksFile(db.pool, path.join(ROOT, 'data', 'demo-planning', 'werken-fictief.geojson'), 28992, { defaultOwner: null, allowedOwners: null, userId: null, orgId: null });
  server = await startTestServer(db.pool);
  ogc = new OgcClient(server.baseUrl);
  enexis = (await createToken(db.pool, 'analist@enexis.demo', 'read', 'ogc')).token;
  municipality = (await createToken(db.pool, 'regisseur@maasgouw.demo', 'write', 'ogc')).token;
  // a walk with two hotspots posted by named residents; the facilitator publishes one
  const call = (token: string | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => jsonCall(server.baseUrl, token, method, url, body, headers);
  const walk = (await (await call(municipality, 'POST', '/api/walks', { title: 'Schouw Maasbracht', date: '2026-12-05', roundingM: 25 })).json()) as { id: number; code: string };
  const joined = (await (await call(null, 'POST', '/api/walk-join', { code: walk.code, name: 'Anna Jansen' })).json()) as { token: string };
  for (const [i, id] of [randomUUID(), randomUUID()].entries()) {
    const posted = await call(null, 'POST', '/api/walk/hotspots', { id, kind: 'knelpunt', theme: 'drinkwater', note: `punt ${i}`, lon: 5.8903 + i * 0.0007, lat: 51.1636, accuracy: 4, observedAt: new Date().toISOString() }, { 'x-walk-device': joined.token });
    expect(posted.status).toBe(201);
    if (i === 0) published = id;
  }
  expect((await call(municipality, 'PATCH', `/api/hotspots/${published}`, { status: 'published' }, { 'if-match': `"hotspot-${published}-v1"` })).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await server.close();
  await db.drop();
});

describe('landing page, conformance, API and collections', () => {
  it('link to each other with absolute URLs and claim the classes implemented', async () => {
    const { body: landing } = await ogc.json<{ links: { rel: string; href: string }[] }>('/ogc');
    const rel = (r: string) => landing.links.find((l) => l.rel === r)?.href;
    expect(rel('self')).toBe(`${server.baseUrl}/ogc`);
    expect(rel('service-desc')).toBe(`${server.baseUrl}/ogc/api`);
    expect(rel('conformance')).toBe(`${server.baseUrl}/ogc/conformance`);
    expect(rel('data')).toBe(`${server.baseUrl}/ogc/collections`);
    const { body: conf } = await ogc.json<{ conformsTo: string[] }>('/ogc/conformance');
    expect(conf.conformsTo).toEqual(expect.arrayContaining(['core', 'oas30', 'html', 'geojson'].map((c) => `http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`)));
    expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs');
    expect(conf.conformsTo.filter((c) => c.includes('features'))).toHaveLength(5);
  });

  it('list the systems a caller can download rows of, and always works, moratoria, findings, bundles and hotspots', async () => {
    type Collections = { collections: { id: string; crs: string[]; storageCrs: string; extent?: { spatial?: { bbox: number[][] } }; links: { rel: string; href: string }[] }[] };
    const list = async (token: string | null) => (await ogc.json<Collections>('/ogc/collections', token)).body.collections;
    const systems = async (slug: string) => (await db.pool.query<{ s: string }>('SELECT DISTINCT a.system AS s FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE o.slug = $1', [slug])).rows.map((r) => r.s);
    expect((await list(enexis)).map((c) => c.id).sort()).toEqual([...(await systems('enexis')), ...FIXED].sort());
    expect((await list(municipality)).map((c) => c.id).sort()).toEqual([...(await systems('maasgouw')), ...FIXED].sort());
    expect((await list(null)).map((c) => c.id)).toEqual(FIXED);
    const gas = (await list(enexis)).find((c) => c.id === 'gas_ld');
    expect(gas?.crs).toEqual(expect.arrayContaining([CRS84, RD, EPSG4326]));
    expect(gas?.storageCrs).toBe(RD);
    expect(gas?.links.find((l) => l.rel === 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector')?.href).toBe(`${server.baseUrl}/ogc/collections/gas_ld/tiles`);
    expect(gas?.links.find((l) => l.rel === 'items')?.href).toBe(`${server.baseUrl}/ogc/collections/gas_ld/items`);
    const [w, s, e, n] = gas?.extent?.spatial?.bbox[0] ?? [];
    const ext = (await db.pool.query<{ b: number[] }>(`SELECT ARRAY[ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x)] AS b FROM (SELECT ST_Extent(ST_Transform(a.geom, 4326)) x
      FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = 'gas_ld' AND o.slug = 'enexis') q`)).rows[0]?.b ?? [];
    expect([w ?? 0, s ?? 0]).toEqual([expect.closeTo(ext[0] ?? 0, 4), expect.closeTo(ext[1] ?? 0, 4)]);
    expect((w ?? 0) <= (ext[0] ?? 0) && (s ?? 0) <= (ext[1] ?? 0) && (e ?? 0) >= (ext[2] ?? 0) && (n ?? 0) >= (ext[3] ?? 0)).toBe(true);
    const { body: works } = await ogc.json<{ extent: { temporal: { interval: string[][] } } }>('/ogc/collections/works', municipality);
    const span = (await db.pool.query<{ a: string; b: string }>('SELECT min(coalesce(earliest_start, preferred_start))::text AS a, max(coalesce(latest_end, preferred_end))::text AS b FROM work')).rows[0];
    expect(works.extent.temporal.interval).toEqual([[`${span?.a}T00:00:00Z`, `${span?.b}T23:59:59Z`]]);
  });
});

describe('items', () => {
  it('page through a whole collection: every feature exactly once, as many as the database holds for the caller', async () => {
    const expected = await ownRows('elektriciteit_ls', 'enexis');
    expect(expected.length).toBeGreaterThan(500);
    const { features, pages } = await ogc.all('/ogc/collections/elektriciteit_ls/items?limit=97', enexis);
    expect(pages).toHaveLength(Math.ceil(expected.length / 97));
    expect(sorted(idsOf(features))).toEqual(expected);
    expect(new Set(idsOf(features)).size).toBe(features.length);
    expect(idsOf(features)).toEqual(sorted(idsOf(features)));
    for (const [i, p] of pages.entries()) {
      expect(p.numberMatched).toBe(expected.length);
      expect(p.numberReturned).toBe(p.features.length);
      expect(p.links.some((l) => l.rel === 'prev')).toBe(i > 0);
    }
    expect(pages[1]?.links.find((l) => l.rel === 'prev')?.href).toBe(`${server.baseUrl}/ogc/collections/elektriciteit_ls/items?limit=97`);
    // a page past the end holds no feature and still tells how many there are
    const past = await ogc.items(`/ogc/collections/elektriciteit_ls/items?limit=97&offset=${expected.length + 5}`, enexis);
    expect([past.numberReturned, past.numberMatched]).toEqual([0, expected.length]);
    // the download is in the audit log once, at its first page
    const logged = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log l JOIN app_user u ON u.id = l.user_id WHERE u.email = 'analist@enexis.demo' AND l.action = 'export' AND l.object_id = 'elektriciteit_ls' AND l.detail->>'format' = 'ogc-api'");
    expect(logged.rows[0]?.n).toBe(1);
    // the default page is 100; a limit above the maximum is clamped to 10,000
    expect((await ogc.items('/ogc/collections/gas_ld/items', enexis)).numberReturned).toBe(100);
    const big = await ogc.items('/ogc/collections/gas_ld/items?limit=50000', enexis);
    expect(big.numberReturned).toBe((await ownRows('gas_ld', 'enexis')).length);
    expect(big.links.some((l) => l.rel === 'next')).toBe(false);
  });

  it('never give other organisations\' critical infrastructure, not even inside a project area', async () => {
    expect(sorted(idsOf((await ogc.all('/ogc/collections/verlichting/items?limit=1000', enexis)).features))).toEqual(await ownRows('verlichting', 'enexis'));
    expect(sorted(idsOf((await ogc.all('/ogc/collections/verlichting/items', municipality)).features))).toEqual(await ownRows('verlichting', 'maasgouw'));
    // the area manager sees Enexis's gas pipes on the map inside the request areas, but cannot download them
    expect((await ogc.refused('/ogc/collections/gas_ld/items', municipality)).status).toBe(404);
    expect((await ogc.refused('/ogc/collections/gas_ld', municipality)).status).toBe(404);
    const pipe = (await ownRows('gas_ld', 'enexis'))[0];
    expect((await ogc.refused(`/ogc/collections/gas_ld/items/${pipe}`, municipality)).status).toBe(404);
    expect((await ogc.json(`/ogc/collections/gas_ld/items/${pipe}`, enexis)).body.id).toBe(pipe);
    expect((await ogc.refused('/ogc/collections/gas_ld/items', null)).status).toBe(404);
    expect((await ogc.items('/ogc/collections/works/items', null)).numberMatched).toBe(0); // the planning is C1
  });

  it('cut by a bbox in CRS84, in EPSG:4326 (lat/lon) and in RD New', async () => {
    const [w, s, e, n] = [5.8880, 51.1450, 5.8895, 51.1462];
    const expected = await ids(`SELECT a.id FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = 'gas_ld' AND o.slug = 'enexis'
      AND ST_Intersects(ST_Transform(a.geom, 4326), ST_MakeEnvelope($1, $2, $3, $4, 4326))`, [w, s, e, n]);
    expect(expected.length).toBeGreaterThan(10);
    const crs84 = await ogc.all(`/ogc/collections/gas_ld/items?bbox=${w},${s},${e},${n}&limit=40`, enexis);
    expect(sorted(idsOf(crs84.features))).toEqual(expected);
    const latLon = await ogc.all(`/ogc/collections/gas_ld/items?bbox=${s},${w},${n},${e}&bbox-crs=${EPSG4326}&limit=1000`, enexis);
    expect(sorted(idsOf(latLon.features))).toEqual(expected);
    const rd = [190000, 350700, 190150, 350850];
    const inRd = await ids(`SELECT a.id FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = 'gas_ld' AND o.slug = 'enexis'
      AND ST_Intersects(a.geom, ST_MakeEnvelope($1, $2, $3, $4, 28992))`, rd);
    expect(inRd.length).toBeGreaterThan(10);
    expect(sorted(idsOf((await ogc.all(`/ogc/collections/gas_ld/items?bbox=${rd.join(',')}&bbox-crs=${encodeURIComponent(RD)}&limit=1000`, enexis)).features))).toEqual(inRd);
  });

  it('return the stored RD New coordinates with crs=EPSG:28992, and say so in Content-Crs', async () => {
    const row = (await db.pool.query<{ id: string; g: { coordinates: number[][] }; w: { coordinates: number[][] } }>(
      `SELECT a.id, ST_AsGeoJSON(a.geom, 9)::json AS g, ST_AsGeoJSON(ST_Transform(a.geom, 4326), 9)::json AS w FROM asset a JOIN organisation o ON o.id = a.owner_id
       WHERE a.system = 'gas_ld' AND o.slug = 'enexis' AND GeometryType(a.geom) = 'LINESTRING' ORDER BY a.id LIMIT 1`)).rows[0];
    const url = `/ogc/collections/gas_ld/items/${row?.id}`;
    const rd = await ogc.json<Feature>(`${url}?crs=${encodeURIComponent(RD)}`, enexis);
    expect(rd.res.headers.get('content-crs')).toBe(`<${RD}>`);
    const got = rd.body.geometry.coordinates as number[][];
    expect(got).toHaveLength(row?.g.coordinates.length ?? -1);
    got.forEach(([x = 0, y = 0], i) => {
      expect(Math.abs(x - (row?.g.coordinates[i]?.[0] ?? 0))).toBeLessThan(0.01);
      expect(Math.abs(y - (row?.g.coordinates[i]?.[1] ?? 0))).toBeLessThan(0.01);
    });
    const lonLat = await ogc.json<Feature>(url, enexis);
    expect(lonLat.res.headers.get('content-crs')).toBe(`<${CRS84}>`);
    expect((lonLat.body.geometry.coordinates as number[][])[0]?.[0]).toBeCloseTo(row?.w.coordinates[0]?.[0] ?? 0, 7);
    const latLon = await ogc.json<Feature>(`${url}?crs=${encodeURIComponent(EPSG4326)}`, enexis);
    expect(latLon.res.headers.get('content-crs')).toBe(`<${EPSG4326}>`);
    expect((latLon.body.geometry.coordinates as number[][])[0]).toEqual([...((lonLat.body.geometry.coordinates as number[][])[0] ?? [])].reverse());
    const page = await ogc.json(`/ogc/collections/gas_ld/items?limit=3&crs=${encodeURIComponent(RD)}`, enexis);
    expect(page.res.headers.get('content-crs')).toBe(`<${RD}>`);
  });

  it('select works by their window and moratoria by their period with datetime', async () => {
    const window = (from: string | null, to: string | null) => ids(`SELECT id FROM work
      WHERE ($1::date IS NULL OR coalesce(latest_end, preferred_end, end_date) IS NULL OR coalesce(latest_end, preferred_end, end_date) >= $1::date)
        AND ($2::date IS NULL OR coalesce(earliest_start, preferred_start, start_date) IS NULL OR coalesce(earliest_start, preferred_start, start_date) <= $2::date)`, [from, to]);
    // the area manager (a partner) may read every work here: they are all C1
    expect((await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM work WHERE confidentiality NOT IN ('C0', 'C1')")).rows[0]?.n).toBe(0);
    const get = async (q: string) => sorted(idsOf((await ogc.all(`/ogc/collections/works/items?limit=1000&${q}`, municipality)).features));
    const in2027 = await window('2027-01-01', '2027-06-30');
    expect(in2027.length).toBeGreaterThan(3);
    expect(in2027.length).toBeLessThan((await window(null, null)).length);
    expect(await get('datetime=2027-01-01T00:00:00Z/2027-06-30T12:00:00Z')).toEqual(in2027);
    expect(await get('datetime=2030-06-01T12:00:00Z')).toEqual(await window('2030-06-01', '2030-06-01'));
    expect(await get('datetime=../2026-12-31')).toEqual(await window(null, '2026-12-31'));
    expect(await get('datetime=2031-01-01/..')).toEqual(await window('2031-01-01', null));
    const moratoria = await ids("SELECT id FROM moratorium WHERE valid_from <= '2028-01-01' AND valid_until >= '2028-01-01'");
    expect(sorted(idsOf((await ogc.items('/ogc/collections/moratoria/items?datetime=2028-01-01', municipality)).features))).toEqual(moratoria);
    // a collection without time ignores datetime
    expect((await ogc.items('/ogc/collections/hotspots/items?datetime=2000-01-01', null)).numberMatched).toBe(1);
  });

  it('filter on system, owner (slug) and status', async () => {
    const get = async (q: string, token = municipality) => sorted(idsOf((await ogc.all(`/ogc/collections/works/items?limit=1000&${q}`, token)).features));
    expect(await get('owner=wml')).toEqual(await ids("SELECT w.id FROM work w JOIN organisation o ON o.id = w.owner_id WHERE o.slug = 'wml'"));
    expect(await get('system=drinkwater')).toEqual(await ids("SELECT id FROM work WHERE 'drinkwater' = ANY(systems)"));
    expect(await get('status=gereed&owner=maasgouw')).toEqual(await ids("SELECT w.id FROM work w JOIN organisation o ON o.id = w.owner_id WHERE o.slug = 'maasgouw' AND w.status = 'gereed'"));
    expect((await get('owner=wml')).length).toBeGreaterThan(0);
    expect((await get('status=gereed&owner=maasgouw')).length).toBeGreaterThan(0);
    const disused = await ids("SELECT a.id FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = 'gas_ld' AND o.slug = 'enexis' AND a.status = 'disused'");
    expect(disused.length).toBeGreaterThan(0);
    const assets = await ogc.all('/ogc/collections/gas_ld/items?status=disused&owner=enexis&system=gas_ld', enexis);
    expect(sorted(idsOf(assets.features))).toEqual(disused);
    expect((await ogc.items('/ogc/collections/gas_ld/items?owner=wml', enexis)).numberMatched).toBe(0);
    expect((await ogc.refused('/ogc/collections/moratoria/items?status=x', municipality)).message).toMatch(/unknown query parameter "status"/);
  });
});

describe('findings, bundles and hotspots', () => {
  it('give the findings and bundles the analysis API gives the same caller, with their works as geometry', async () => {
    const api = (await (await ogc.get('/api/analysis/findings', municipality)).json()) as { findings: { id: string; works: number[] }[] };
    expect(api.findings.length).toBeGreaterThan(3);
    const { features } = await ogc.all('/ogc/collections/findings/items?limit=7', municipality);
    expect(features.map((f) => f.id).sort()).toEqual(api.findings.map((f) => f.id).sort());
    const one = api.findings[0];
    const item = await ogc.json<Feature>(`/ogc/collections/findings/items/${encodeURIComponent(one?.id ?? '')}`, municipality);
    expect(item.body.properties).toMatchObject({ id: one?.id, works: one?.works });
    const bundles = (await (await ogc.get('/api/analysis/bundles', municipality)).json()) as { bundles: { id: string }[] };
    expect((await ogc.all('/ogc/collections/bundles/items', municipality)).features.map((f) => f.id).sort()).toEqual(bundles.bundles.map((b) => b.id).sort());
    expect((await ogc.items('/ogc/collections/findings/items', null)).numberMatched).toBe(0);
  });

  it('give only published hotspots, rounded to the walk\'s grid and without names, to anyone', async () => {
    const anon = await ogc.items(`/ogc/collections/hotspots/items?crs=${encodeURIComponent(RD)}`, null);
    expect(anon.features.map((f) => f.id)).toEqual([published]);
    const [x = 0, y = 0] = anon.features[0]?.geometry.coordinates as number[];
    expect([x % 25, y % 25]).toEqual([0, 0]);
    const exact = (await db.pool.query<{ x: number; y: number }>('SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM hotspot WHERE id = $1', [published])).rows[0];
    expect(Math.abs(x - (exact?.x ?? 0))).toBeLessThanOrEqual(12.5);
    expect(x === exact?.x && y === exact.y).toBe(false);
    const text = JSON.stringify(anon);
    expect(text).not.toMatch(/Anna|authorName|accuracy|device/);
    expect(anon.features[0]?.properties).toMatchObject({ kind: 'knelpunt', theme: 'drinkwater', note: 'punt 0', status: 'published', walk: 'Schouw Maasbracht' });
  });
});

describe('HTML, errors and the OpenAPI document', () => {
  it('answers HTML for f=html and for a browser\'s Accept, escaped and without script; f=json wins over Accept', async () => {
    for (const [p, headers] of [['/ogc/collections/works/items?f=html&limit=3', {}], ['/ogc/collections/works', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }], ['/ogc?f=html', {}], ['/ogc/api?f=html', {}]] as const) {
      const res = await ogc.get(p, municipality, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain(`href="${server.baseUrl}/ogc/collections?f=html"`);
    }
    const page = await (await ogc.get('/ogc/collections/works/items?f=html&limit=3', municipality)).text();
    expect(page).toContain('Vervanging waterleiding (fictief, werk-met-werk 2027)');
    expect(page).toContain(`href="${server.baseUrl}/ogc/collections/works/items?f=html&amp;limit=3&amp;offset=3"`);
    const json = await ogc.json('/ogc/collections/works?f=json', municipality, { accept: 'text/html' });
    expect(json.res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses bad parameters with a 400 that names them, and unknown things with 404', async () => {
    const cases: [string, RegExp][] = [
      ['/ogc/collections/works/items?limit=0', /limit must be a whole number ≥ 1/],
      ['/ogc/collections/works/items?limit=ten', /limit must be a whole number/],
      ['/ogc/collections/works/items?offset=-1', /offset must be a whole number/],
      ['/ogc/collections/works/items?bbox=5.8,51.1,5.9', /bbox must be four comma-separated numbers/],
      ['/ogc/collections/works/items?bbox=5.9,51.1,5.8,51.2', /bbox: the lower corner must come first/],
      ['/ogc/collections/works/items?crs=EPSG:28992', /crs "EPSG:28992" is not supported; use one of http:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84/],
      ['/ogc/collections/works/items?bbox=1,2,3,4&bbox-crs=urn:x', /bbox-crs "urn:x" is not supported/],
      ['/ogc/collections/works/items?datetime=2027-13-01', /datetime "2027-13-01" is not an RFC 3339 date/],
      ['/ogc/collections/works/items?datetime=2028-01-01/2027-01-01', /datetime .* the start lies after the end/],
      ['/ogc/collections/works/items?limt=5', /unknown query parameter "limt"/],
      ['/ogc/collections/works/items?f=xml', /f must be json or html/],
      ['/ogc/collections/works/items/1?crs=x', /crs "x" is not supported/],
      ['/ogc/collections?bbox=1,2,3,4', /unknown query parameter "bbox"/],
    ];
    for (const [p, message] of cases) expect(await ogc.refused(p, municipality), p).toEqual({ status: 400, message: expect.stringMatching(message) });
    expect((await ogc.refused('/ogc/collections/nope/items', municipality)).status).toBe(404);
    expect((await ogc.refused('/ogc/collections/works/items/999999', municipality)).status).toBe(404);
    expect((await ogc.refused('/ogc/collections/works/items/abc', municipality)).status).toBe(404);
    expect((await ogc.refused('/ogc/collections/hotspots/items/not-a-uuid', null)).status).toBe(404);
    expect((await ogc.refused('/ogc/nothing', null)).status).toBe(404);    // asked for HTML, the refusal is a page that says what is wrong; JSON clients still get JSON
    for (const [p, headers] of [['/ogc/collections/nope/items?f=html', {}], ['/ogc/collections/nope', { accept: 'text/html,*/*;q=0.8' }]] as const) {
      const res = await ogc.get(p, municipality, headers);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/^<!doctype html>[\s\S]*collection &#39;nope&#39; not found/);
    }
    const bad = await ogc.get('/ogc/collections/works/items?f=html&limit=0', municipality);
    expect([bad.status, bad.headers.get('content-type')?.startsWith('text/html')]).toEqual([400, true]);
    expect((await ogc.get('/ogc/collections/nope', municipality)).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('validated every JSON answer above against the OpenAPI document it serves', () => {
    expect(ogc.validated).toBeGreaterThan(50);
  });
});
