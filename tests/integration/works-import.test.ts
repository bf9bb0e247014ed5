/**
 * Importing the works partners send as files (issue 5), against PostGIS: GeoJSON, and a
 * GeoPackage and a CSV that GDAL (`ogr2ogr`) wrote from it in RD New; a re-import of a newer
 * file updates by id instead of duplicating; a file with bad features is rejected as a whole with
 * every feature number and reason, and nothing is written; over HTTP an editor imports only
 * their own organisation's works; the CLI `--works` path. SYNTHETIC works on real streets in
 * Maasbracht (WGS84 positions).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantPool, asSystem } from '../../api/src/db/tenant-context.ts';
import { type WorksImportReport, WorksImportRejected, importWorksFile } from '../../api/src/ingest/works/import-works.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/auth.ts';

let db: TestDatabase;
let server: TestServer;
let analyst = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'works-import-'));

const feature = (id: string, title: string, kind: string, coordinates: number[][], extra: Record<string, unknown> = {}) => ({
  type: 'Feature', geometry: { type: 'LineString', coordinates },
  properties: { id, title, owner: 'maasgouw', kind, systems: ['riool_vrijverval', 'drinkwater'], status: 'gepland', opensGround: true, trenchWidth: 1.5,
    earliestStart: '2027-03-01', preferredStart: '2027-05-01', preferredEnd: '2027-07-31', latestEnd: '2027-12-31', costEstimate: 450000, ...extra },
});
const WORKS = {
  type: 'FeatureCollection',
  features: [
    feature('R-1', 'Vervanging riool Kloosterlaan', 'vervanging riool', [[5.8830, 51.1555], [5.8845, 51.1560]]),
    feature('R-2', 'Relining Julianalaan', 'relining', [[5.8790, 51.1570], [5.8805, 51.1578]], { opensGround: false, systems: ['riool_vrijverval'] }),
    feature('W-7', 'Vervanging waterleiding Stationsstraat', 'vervanging waterleiding', [[5.8850, 51.1540], [5.8862, 51.1551]], { systems: ['drinkwater'] }),
  ],
};

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const pool = () => tenantPool(db.pool);
const run = (file: string, extra: Partial<Parameters<typeof importWorksFile>[3]> = {}): Promise<WorksImportReport> =>
  asSystem(() => importWorksFile(pool(), file, 28992, { defaultOwner: null, allowedOwners: null, userId: null, orgId: null, ...extra }));
const count = async (): Promise<number> => Number((await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM work')).rows[0]?.n);

beforeAll(async () => {
  db = await createTestDatabase('it_works_import');
  server = await startTestServer(db.pool);
  analyst = await userToken(db.pool, { slug: 'maasgouw', name: 'Gemeente Maasgouw', kind: 'gemeente' }, 'analyst', 'analist@import.test');
  await db.pool.query("INSERT INTO organisation (name, kind, slug) VALUES ('WML N.V.', 'drinkwaterbedrijf', 'wml') ON CONFLICT DO NOTHING");
});
afterAll(async () => {
  await server.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('works files', () => {
  it('GeoJSON, and a GeoPackage and CSV made from it by GDAL in RD New, give the same works within 0.5 m', async () => {
    const geojson = write('werken.geojson', WORKS);
    const gpkg = path.join(dir, 'werken.gpkg');
    const csv = path.join(dir, 'werken.csv');
    execFileSync('ogr2ogr', ['-f', 'GPKG', '-t_srs', 'EPSG:28992', gpkg, geojson]);
    execFileSync('ogr2ogr', ['-f', 'CSV', '-t_srs', 'EPSG:28992', '-lco', 'GEOMETRY=AS_WKT', '-lco', 'SEPARATOR=SEMICOLON', csv, geojson]);
    const first = await run(geojson);
    expect(first).toMatchObject({ format: 'geojson', read: 3, created: 3, updated: 0, written: true, rejected: [] });
    // the same works from the other files: matched by (owner, id), nothing new, nothing changed in substance
    for (const [file, format] of [[gpkg, 'geopackage'], [csv, 'csv']] as const) {
      const r = await run(file);
      expect(r).toMatchObject({ format, read: 3, created: 0, rejected: [] });
      expect(r.created + r.updated + r.unchanged).toBe(3);
      expect(await count()).toBe(3);
    }
    const rows = await db.pool.query<{ source_id: string; systems: string[]; opens_ground: boolean; preferred_start: string; d: number }>(
      `SELECT source_id, systems, opens_ground, preferred_start, ST_Distance(ST_StartPoint(geom), ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 28992)) AS d
       FROM work WHERE source_id = 'maasgouw:R-1'`, [5.8830, 51.1555]);
    expect(rows.rows[0]).toMatchObject({ systems: ['riool_vrijverval', 'drinkwater'], opens_ground: true, preferred_start: '2027-05-01' });
    expect(rows.rows[0]?.d).toBeLessThan(0.5);
  });

  it('a newer file from the same owner updates its works by id: same rows, version + 1, history', async () => {
    await run(write('werken.geojson', WORKS)); // back to the GeoJSON's own coordinates (the CSV's differ in the last digits)
    expect((await run(write('werken.geojson', WORKS))).unchanged).toBe(3);
    const before = await db.pool.query<{ id: number; version: number }>("SELECT id, version FROM work WHERE source_id = 'maasgouw:R-2'");
    const newer = { ...WORKS, features: WORKS.features.map((f) => (f.properties.id === 'R-2' ? { ...f, properties: { ...f.properties, status: 'in voorbereiding', preferredStart: '2027-06-01' } } : f)) };
    const r = await run(write('werken-v2.geojson', newer));
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const after = await db.pool.query<{ id: number; version: number; status: string }>("SELECT id, version, status FROM work WHERE source_id = 'maasgouw:R-2'");
    expect(after.rows[0]).toMatchObject({ id: before.rows[0]?.id, version: (before.rows[0]?.version ?? 0) + 1, status: 'in voorbereiding' });
    expect(await count()).toBe(3);
    const history = await db.pool.query<{ action: string }>('SELECT h.action FROM work_history h JOIN work w ON w.id = h.work_id WHERE w.source_id = $1 ORDER BY h.id', ['maasgouw:R-2']);
    expect(history.rows.map((h) => h.action).every((a) => a === 'imported')).toBe(true);
    expect(history.rows.length).toBeGreaterThanOrEqual(2);
  });

  it('one bad feature rejects the whole file with every feature number and reason; nothing is written', async () => {
    const bad = { ...WORKS, features: [
      feature('N-1', 'Nieuw werk dat goed is', 'glasvezel', [[5.8830, 51.1555], [5.8845, 51.1560]]),
      feature('N-2', 'Einde voor begin', 'glasvezel', [[5.8830, 51.1555], [5.8845, 51.1560]], { preferredEnd: '2027-01-01' }),
      feature('N-3', 'Onbekende eigenaar', 'glasvezel', [[5.8830, 51.1555], [5.8845, 51.1560]], { owner: 'bestaat-niet' }),
      feature('N-4', 'Verwisselde coördinaten', 'glasvezel', [[51.1555, 5.8830], [51.1560, 5.8845]]),
      feature('N-5', 'Soort onbekend', 'graven', [[5.8830, 51.1555], [5.8845, 51.1560]]),
      feature('N-1', 'Dubbel id', 'glasvezel', [[5.8830, 51.1555], [5.8845, 51.1560]]),
    ] };
    const before = await count();
    const err = await run(write('fout.geojson', bad)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorksImportRejected);
    const report = (err as WorksImportRejected).report;
    expect(report.written).toBe(false);
    const byIndex = new Map(report.rejected.map((x) => [x.index, x.reason]));
    expect([...byIndex.keys()].sort()).toEqual([2, 3, 4, 5, 6]);
    expect(byIndex.get(2)).toMatch(/preferredEnd \(2027-01-01\) lies before preferredStart/);
    expect(byIndex.get(3)).toMatch(/owner: no organisation with slug "bestaat-niet"/);
    expect(byIndex.get(4)).toMatch(/far outside the Netherlands/);
    expect(byIndex.get(5)).toMatch(/kind/);
    expect(byIndex.get(6)).toMatch(/id "N-1" repeats feature #1/);
    expect(await count()).toBe(before);
  });

  it('over HTTP: an editor imports their organisation\'s works (201 + report), another owner\'s works are refused (422)', async () => {
    const own = write('eigen.geojson', { ...WORKS, features: [feature('H-1', 'Glasvezel Markt', 'glasvezel', [[5.8810, 51.1560], [5.8820, 51.1566]], { owner: undefined })] });
    const post = (file: string, name: string) => fetch(`${server.baseUrl}/api/works/import?name=${name}`, {
      method: 'POST', headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/octet-stream' }, body: readFileSync(file) });
    const ok = await post(own, 'eigen.geojson');
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { report: WorksImportReport }).report).toMatchObject({ created: 1, written: true });
    const theirs = write('wml.geojson', { ...WORKS, features: [feature('X-1', 'Waterleiding WML', 'vervanging waterleiding', [[5.8810, 51.1560], [5.8820, 51.1566]], { owner: 'wml' })] });
    const refused = await post(theirs, 'wml.geojson');
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { report: WorksImportReport };
    expect(body.report.rejected[0]?.reason).toMatch(/your own organisation \(maasgouw\)/);
    expect((await db.pool.query("SELECT 1 FROM work WHERE source_id = 'wml:X-1'")).rowCount).toBe(0);
  });

  it('the CLI: npm run import -- --works, with a dry run that writes nothing', () => {
    const file = write('cli.geojson', { ...WORKS, features: [feature('C-1', 'Kabelvervanging Wal', 'kabelvervanging', [[5.8790, 51.1540], [5.8800, 51.1548]], { owner: undefined })] });
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli/import.ts', '--works', '--org', 'maasgouw', ...args, file],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url } });
    const dry = cli('--dry-run', '--json');
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ read: 1, written: false });
    const real = cli('--json');
    expect(real.status, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ created: 1, written: true });
  });
});
