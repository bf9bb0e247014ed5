/**
 * The selection export GET /api/export (issue 8) against PostGIS with one real KLIC delivery (C3
 * networks of the municipality, Enexis and WML), the CBS municipality outlines and SYNTHETIC works
 * and moratoria on real street positions in Maasbracht (and one in Roermond, outside Maasgouw):
 * the GeoPackage as GDAL reads it (a table per layer, counts equal to the database's), the area
 * and time filters, GeoJSON with `layer`, CSV and a ZIP of CSVs with formula cells escaped, the
 * access rules (anonymous 401, participants 403, never another organisation's C3), the audit and
 * a 400 naming each bad parameter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { loadMunicipalities } from '../../api/src/ingest/reference/municipalities.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jsonCall } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { areaWideAnalyst, userToken } from '../helpers/auth.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'data');
const MAASGOUW = 'GM1641';
const dir = mkdtempSync(path.join(os.tmpdir(), 'selection-export-'));

let db: TestDatabase;
let server: TestServer;
let gemeente = ''; // analyst of the municipality that owns the sewer (C3) and the works
let enexis = ''; // analyst of the operator of the gas and low-voltage networks
let areaWide = ''; // may read everyone's C3 inside its project area, but never export it
let participant = '';

const line = (x: number, y: number) => ({ type: 'LineString', coordinates: [[x, y], [x + 0.0015, y + 0.0005]] });
const WORK = { kind: 'vervanging riool', systems: ['riool_vrijverval'], status: 'gepland', opensGround: true, trenchWidth: 2, confidentiality: 'C1' };
const INJECTION = '=HYPERLINK("http://evil.example","klik")';

/** The organisation the KLIC import made for the operator of a system, with a slug to sign in under. */
async function ownerOf(system: string, slug: string): Promise<{ slug: string; name: string; kind: string; klicCode?: string }> {
  const r = await db.pool.query<{ name: string; kind: string; klic_code: string | null }>(
    'SELECT o.name, o.kind, o.klic_code FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = $1 LIMIT 1', [system]);
  const o = r.rows[0];
  if (!o) throw new Error(`no owner of ${system}`);
  return { slug, name: o.name, kind: o.kind, ...(o.klic_code ? { klicCode: o.klic_code } : {}) };
}

beforeAll(async () => {
  db = await createTestDatabase('it_selection');
  await importKlicZip(db.pool, path.join(DATA, 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await loadMunicipalities(db.pool, path.join(DATA, 'cbs-gemeenten-2023', 'gemeenten-2023.geojson'), 28992);
  server = await startTestServer(db.pool);
  gemeente = await userToken(db.pool, await ownerOf('riool_vrijverval', 'gemeente-sel'), 'analyst', 'analist@gemeente-selectie.test');
  enexis = await userToken(db.pool, await ownerOf('gas_ld', 'enexis-sel'), 'analyst', 'analist@enexis-selectie.test');
  areaWide = await areaWideAnalyst(db.pool, 'gebied@selectie.test');
  participant = await userToken(db.pool, { slug: 'bewoners-sel', name: 'Bewoners', kind: 'overig' }, 'participant', 'deelnemer@selectie.test');
  const post = async (token: string, url: string, body: unknown) => {
    const res = await jsonCall(server.baseUrl, token, 'POST', url, body);
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  };
  await post(gemeente, '/api/works', { ...WORK, title: INJECTION, contact: '+31 6 12345678', preferredStart: '2026-03-01', preferredEnd: '2026-10-31', geometry: line(5.8830, 51.1555) });
  await post(gemeente, '/api/works', { ...WORK, title: 'Vervanging riool Kerkstraat', preferredStart: '2029-05-01', preferredEnd: '2029-09-30', geometry: line(5.8870, 51.1575) });
  await post(gemeente, '/api/works', { ...WORK, title: '@Roermond buiten Maasgouw', preferredStart: '2029-01-01', preferredEnd: '2029-12-31', geometry: line(5.9870, 51.1930) });
  await post(gemeente, '/api/moratoria', {
    from: '2026-11-01', until: '2031-11-01', reason: '-net gereconstrueerd', exceptions: ['spoed'],
    geometry: { type: 'Polygon', coordinates: [[[5.8825, 51.1550], [5.8850, 51.1550], [5.8850, 51.1565], [5.8825, 51.1565], [5.8825, 51.1550]]] },
  });
  // critical (C3) work of Enexis at the Julianalaan (the delivery's area): its owner exports it, nobody else does
  await post(enexis, '/api/works', { ...WORK, kind: 'kabelvervanging', systems: ['elektriciteit_ls'], title: 'Kabelvervanging (C3)', confidentiality: 'C3', preferredStart: '2029-02-01', preferredEnd: '2029-03-31', geometry: line(5.8870, 51.1455) });
});
afterAll(async () => {
  await server.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (token: string | null, query: string): Promise<Response> => jsonCall(server.baseUrl, token, 'GET', `/api/export?${query}`);

async function ok(token: string, query: string): Promise<Response> {
  const res = await get(token, query);
  expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
  return res;
}

/** Feature count per layer of a GeoPackage, as GDAL's ogrinfo reads it. */
async function gpkgCounts(res: Response): Promise<Record<string, number>> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.gpkg`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
  return Object.fromEntries([...info.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.pool.query<{ n: number }>(sql, params)).rows[0]?.n);
const IN_MAASGOUW = (alias: string) => `EXISTS (SELECT 1 FROM municipality g WHERE g.code = '${MAASGOUW}' AND ST_Intersects(g.geom, ${alias}.geom))`;
/** Works the municipality may export (all but Enexis's C3 one; the KLIC import adds one for its request) matching `where`. */
const works = (where = 'true'): Promise<number> => count(`SELECT count(*)::int AS n FROM work w WHERE w.confidentiality <> 'C3' AND ${where}`);
const WINDOW_2029 = `coalesce(w.latest_end, w.preferred_end, w.end_date) >= '2029-01-01' AND coalesce(w.earliest_start, w.preferred_start, w.start_date) <= '2029-12-31'`;

describe('GeoPackage', () => {
  it('holds one table per layer with the counts of the database, cut to the municipality', async () => {
    const res = await ok(gemeente, `format=gpkg&layers=riool_vrijverval,gas_ld,works,moratoria&area=${MAASGOUW}`);
    expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="samenhang-selectie-\d{8}\.gpkg"/);
    const counts = await gpkgCounts(res);
    expect(Object.keys(counts)).toEqual(['riool_vrijverval', 'gas_ld', 'werken', 'graafrust']);
    const sewer = await count(`SELECT count(*)::int AS n FROM asset a WHERE a.system = 'riool_vrijverval' AND ${IN_MAASGOUW('a')}`);
    expect(sewer).toBeGreaterThan(0);
    expect(counts.riool_vrijverval).toBe(sewer);
    expect(counts.gas_ld).toBe(0); // Enexis's C3 network: never exported to the municipality
    // works the municipality may read (not Enexis's C3 one), inside Maasgouw (not the Roermond one)
    expect(counts.werken).toBe(await works(IN_MAASGOUW('w')));
    expect(counts.werken).toBe((await works()) - 1); // not the one in Roermond
    expect(counts.graafrust).toBe(1);
  });

  it('filters works by their window and moratoria by their period; assets have no time', async () => {
    const window = 'from=2029-01-01&to=2029-12-31';
    const counts = await gpkgCounts(await ok(gemeente, `format=gpkg&layers=works,moratoria,riool_vrijverval&${window}`));
    expect(counts.werken).toBe(await works(WINDOW_2029));
    const fc = (await (await ok(gemeente, `format=geojson&layers=works&${window}`)).json()) as { features: { properties: { title: string } }[] };
    const titles = fc.features.map((f) => f.properties.title);
    expect(titles).toEqual(expect.arrayContaining(['Vervanging riool Kerkstraat', '@Roermond buiten Maasgouw']));
    expect(titles).not.toContain(INJECTION); // 2026
    expect(counts.graafrust).toBe(1); // 2026-11 .. 2031-11 overlaps 2029
    expect(counts.riool_vrijverval).toBe(await count("SELECT count(*)::int AS n FROM asset WHERE system = 'riool_vrijverval'"));
    const later = await gpkgCounts(await ok(gemeente, 'format=gpkg&layers=works,moratoria&from=2032-01-01'));
    expect(later).toEqual({ werken: 0, graafrust: 0 });
  });

  it('cuts to a WGS84 bbox and gives the operator its own C3 network (and its C3 work) in RD New', async () => {
    const ext = (await db.pool.query<{ w: number; s: number; e: number; n: number }>(
      "SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM asset WHERE system = 'gas_ld') x")).rows[0];
    if (!ext) throw new Error('no gas network');
    const bbox = [ext.w - 0.001, ext.s - 0.001, (ext.w + ext.e) / 2, ext.n + 0.001]; // the western half of the network
    const res = await ok(enexis, `format=gpkg&layers=gas_ld,drinkwater,works&bbox=${bbox.join(',')}`);
    const file = path.join(dir, 'enexis.gpkg');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(info).toMatch(/Amersfoort \/ RD New/);
    const counts = Object.fromEntries([...info.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    const inBox = await count(
      `SELECT count(*)::int AS n FROM asset a WHERE a.system = 'gas_ld'
         AND ST_Intersects(a.geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 4326), 0.01), 28992))`, bbox);
    const all = await count("SELECT count(*)::int AS n FROM asset WHERE system = 'gas_ld'");
    expect(inBox).toBeGreaterThan(0);
    expect(inBox).toBeLessThan(all);
    expect(counts.gas_ld).toBe(inBox);
    expect(counts.drinkwater).toBe(0); // WML's
    const titles = execFileSync('ogrinfo', ['-q', '-sql', 'SELECT title FROM werken', file], { encoding: 'utf8' });
    expect(titles).toContain('Kabelvervanging (C3)');
  });
});

describe('GeoJSON and CSV', () => {
  it('GeoJSON: one FeatureCollection whose features carry their layer (the legacy crs member in RD New)', async () => {
    const res = await ok(gemeente, `format=geojson&layers=works,moratoria,riool_vrijverval&area=${MAASGOUW}`);
    expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
    const fc = (await res.json()) as { type: string; crs?: unknown; features: { geometry: { coordinates: unknown }; properties: Record<string, unknown> }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.crs).toBeUndefined();
    const per = (layer: string) => fc.features.filter((f) => f.properties.layer === layer);
    expect(per('werken')).toHaveLength(await works(IN_MAASGOUW('w')));
    expect(per('graafrust')).toHaveLength(1);
    expect(per('riool_vrijverval').length).toBe(await count(`SELECT count(*)::int AS n FROM asset a WHERE a.system = 'riool_vrijverval' AND ${IN_MAASGOUW('a')}`));
    expect(per('riool_vrijverval')[0]?.properties).toMatchObject({ id: expect.any(Number), system: 'riool_vrijverval', owner: expect.any(String) });
    expect(per('werken').map((f) => f.properties.title)).toContain(INJECTION); // JSON is data, not a formula
    const rd = (await (await ok(gemeente, 'format=geojson&layers=works&crs=EPSG:28992')).json()) as { crs: { properties: { name: string } }; features: { geometry: { coordinates: unknown } }[] };
    expect(rd.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::28992');
    const x = Number(/\d+(\.\d+)?/.exec(JSON.stringify(rd.features[0]?.geometry.coordinates))?.[0]);
    expect(x).toBeGreaterThan(100_000); // metres, not degrees
  });

  it('GeoJSON passes asset rows on as PostgreSQL wrote them: quotes, backslashes, control characters and non-ASCII text survive, also as the first feature', async () => {
    const nasty = 'a "quoted" \\ back\tslash\nnew line, ë → 水 \u0001 ,{"x":1}';
    const r = await db.pool.query<{ id: number; label: string | null }>(
      `UPDATE asset u SET label = $1 FROM (SELECT id, label FROM asset WHERE system = 'riool_vrijverval' ORDER BY id LIMIT 1) o WHERE u.id = o.id RETURNING u.id, o.label`, [nasty]);
    const changed = r.rows[0];
    if (!changed) throw new Error('no sewer asset');
    try {
      const fc = (await (await ok(gemeente, 'format=geojson&layers=riool_vrijverval,works')).json()) as { features: { properties: Record<string, unknown> }[] };
      expect(fc.features[0]?.properties.layer).toBe('riool_vrijverval');
      expect(fc.features.find((f) => f.properties.id === changed.id && f.properties.layer === 'riool_vrijverval')?.properties.label).toBe(nasty);
      expect(fc.features.filter((f) => f.properties.layer === 'riool_vrijverval')).toHaveLength(await count("SELECT count(*)::int AS n FROM asset WHERE system = 'riool_vrijverval'"));
      expect(fc.features.filter((f) => f.properties.layer === 'werken')).toHaveLength(await works());
    } finally {
      await db.pool.query('UPDATE asset SET label = $2 WHERE id = $1', [changed.id, changed.label]);
    }
  });

  it('CSV of one layer: WKT, and cells that start like a formula (=, +, -, @) escaped', async () => {
    const res = await ok(gemeente, 'format=csv&layers=works');
    expect(res.headers.get('content-disposition')).toMatch(/\.csv"$/);
    const csv = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^id,sourceId,title,.*,wkt$/);
    expect(lines).toHaveLength(1 + (await works())); // the Enexis C3 work is not the municipality's to export
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""klik"")"`);
    expect(csv).toContain("'+31 6 12345678");
    expect(csv).toContain("'@Roermond buiten Maasgouw");
    expect(csv).not.toMatch(/(^|,)[=+@-][^,]*/m);
    expect(csv).toMatch(/"LINESTRING\(\d+\.?\d* \d+/);
    const sewer = Buffer.from(await (await ok(gemeente, `format=csv&layers=riool_vrijverval&area=${MAASGOUW}`)).arrayBuffer()).toString('utf8').slice(1);
    const sewerLines = sewer.split('\r\n').filter((l) => l !== '');
    expect(sewerLines[0]).toMatch(/^id,source_id,system,owner,.*,wkt$/);
    expect(sewerLines.length - 1).toBe(await count(`SELECT count(*)::int AS n FROM asset a WHERE a.system = 'riool_vrijverval' AND ${IN_MAASGOUW('a')}`));
  });

  it('CSV of several layers: a ZIP with one CSV per layer, escaped the same way', async () => {
    const res = await ok(gemeente, `format=csv&layers=works,moratoria,riool_vrijverval&area=${MAASGOUW}&crs=EPSG:4326`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/samenhang-selectie-\d{8}\.zip"$/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual(['werken.csv', 'graafrust.csv', 'riool_vrijverval.csv']);
    const text = (name: string) => Buffer.from(files[name] ?? new Uint8Array()).toString('utf8').slice(1);
    const rows = (name: string) => text(name).split('\r\n').filter((l) => l !== '').length - 1;
    expect(rows('werken.csv')).toBe(await works(IN_MAASGOUW('w')));
    expect(text('werken.csv')).toContain("\"'=HYPERLINK(");
    expect(text('graafrust.csv')).toContain("'-net gereconstrueerd");
    expect(rows('riool_vrijverval.csv')).toBe(await count(`SELECT count(*)::int AS n FROM asset a WHERE a.system = 'riool_vrijverval' AND ${IN_MAASGOUW('a')}`));
    expect(text('riool_vrijverval.csv')).toMatch(/"LINESTRING\(5\.\d+ 51\.\d+/);
  });
});

describe('access and parameters', () => {
  it('is for partners only, never hands out others\' C3 and is audited', async () => {
    expect((await get(null, 'format=gpkg&layers=works')).status).toBe(401);
    expect((await get(participant, 'format=gpkg&layers=works')).status).toBe(403);
    // the area-wide analyst reads everyone's networks inside its project area, but exports none of them
    const counts = await gpkgCounts(await ok(areaWide, 'format=gpkg&layers=gas_ld,riool_vrijverval,elektriciteit_ls,works'));
    expect(counts).toMatchObject({ gas_ld: 0, riool_vrijverval: 0, elektriciteit_ls: 0 });
    expect(counts.werken).toBe(await works());
    const audit = await db.pool.query<{ object_id: string; detail: { format: string; area: string | null } }>(
      "SELECT object_id, detail FROM audit_log WHERE action = 'export' AND object_type = 'selection' ORDER BY id");
    expect(audit.rows.length).toBeGreaterThanOrEqual(8);
    expect(audit.rows[0]).toMatchObject({ object_id: 'riool_vrijverval,gas_ld,works,moratoria', detail: { format: 'gpkg', area: MAASGOUW } });
  });

  it('lists the municipalities to choose from, suggesting the one at the map centre', async () => {
    const res = await jsonCall(server.baseUrl, gemeente, 'GET', '/api/export/areas?near=5.8837,51.1557');
    const body = (await res.json()) as { areas: { code: string; name: string }[]; suggested: string | null };
    expect(body.areas).toHaveLength(await count('SELECT count(*)::int AS n FROM municipality'));
    expect(body.areas).toContainEqual({ code: MAASGOUW, name: 'Maasgouw' });
    expect(body.suggested).toBe(MAASGOUW);
    const none = (await (await jsonCall(server.baseUrl, gemeente, 'GET', '/api/export/areas')).json()) as { suggested: string | null };
    expect(none.suggested).toBeNull();
  });

  it('answers 400 naming the bad parameter', async () => {
    const bad = async (query: string): Promise<{ code: string; message: string }> => {
      const res = await get(gemeente, query);
      expect(res.status, query).toBe(400);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect(await bad('format=gpkg')).toMatchObject({ code: 'invalid_layers', message: expect.stringContaining('layers') });
    expect(await bad('format=gpkg&layers=works,nope')).toMatchObject({ code: 'invalid_layers', message: expect.stringContaining("'nope'") });
    expect(await bad('format=gpkg&layers=works&area=GM9999')).toMatchObject({ code: 'unknown_area', message: expect.stringContaining('GM9999') });
    expect(await bad('format=gpkg&layers=works&area=Maasgouw')).toMatchObject({ code: 'invalid_area' });
    expect(await bad(`format=gpkg&layers=works&area=${MAASGOUW}&bbox=5,51,6,52`)).toMatchObject({ code: 'invalid_area' });
    expect(await bad('format=gpkg&layers=works&bbox=5,51,4,52')).toMatchObject({ code: 'invalid_bbox', message: expect.stringContaining('bbox') });
    expect(await bad('format=gpkg&layers=works&from=2029-13-01')).toMatchObject({ code: 'invalid_date', message: expect.stringContaining('from') });
    expect(await bad('format=gpkg&layers=works&from=2029-01-01&to=2028-01-01')).toMatchObject({ code: 'invalid_window' });
    expect(await bad('format=gpkg&layers=works&crs=EPSG:3857')).toMatchObject({ code: 'invalid_crs', message: expect.stringContaining('crs') });
    expect(await bad('format=shp&layers=works')).toMatchObject({ code: 'invalid_format', message: expect.stringContaining('format') });
  });
});
