/**
 * Exports read back by independent clients, on a database holding the real KLIC delivery
 * 22G003179 (Maasgouw): GDAL (ogrinfo/ogr2ogr, and its GeoPackage validator when installed)
 * reads the GeoPackage and the CSV; the GeoJSON is compared with PostGIS's own ST_Transform.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { areaWideAnalyst, fetchWithToken } from '../helpers/auth.ts';
import { classifyDataset } from '../../api/src/auth/accounts.ts';

const ZIP = path.resolve(import.meta.dirname, '..', '..', 'data', 'klic-maasgouw', 'Levering_22G003179_1.zip');
const GAS_PIPE = 'nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955';
const FORMULA = '=HYPERLINK("http://example.invalid/x","klik")';
const CSV_HEADER =
  'id,source_id,system,owner,asset_class,theme,status,in_service_date,in_service_year,material,diameter_mm,voltage_v,pressure_bar,condition,replacement_year,label,wkt';
const GPKG_VALIDATOR = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

let db: TestDatabase;
let server: TestServer;
let token = '';
// an analyst whose organisation owns the exported layer (C3 is never bulk-exported to others)
const fetch = fetchWithToken(() => token);
let tmp: string;
let datasetId = 0;
let formulaSourceId = '';
let serverTmp = '';
const originalTmpdir = process.env.TMPDIR;

beforeAll(async () => {
  db = await createTestDatabase('it_export');
  const imported = await importKlicZip(db.pool, ZIP, { srid: 28992 });
  datasetId = imported.datasetId;
  // A label a spreadsheet would run as a formula, to test the CSV escaping.
  const r = await db.pool.query<{ source_id: string }>(
    `UPDATE asset SET label = $1 WHERE id = (SELECT min(id) FROM asset WHERE system = 'gas_ld' AND source_id <> $2) RETURNING source_id`,
    [FORMULA, GAS_PIPE],
  );
  formulaSourceId = r.rows[0]?.source_id ?? '';
  tmp = await mkdtemp(path.join(os.tmpdir(), 'samenhang-export-test-'));
  // os.tmpdir() reads TMPDIR on every call: the in-process server writes its GeoPackages here.
  serverTmp = await mkdtemp(path.join(tmp, 'server-'));
  process.env.TMPDIR = serverTmp;
  server = await startTestServer(db.pool);
  token = await areaWideAnalyst(db.pool);
  // KLIC deliveries are C3, never bulk-exported to other organisations: an administrator
  // classifies this one as C1 so the exports can be tested in full (access is tested elsewhere)
  await classifyDataset(db.pool, datasetId, 'C1');
});
afterAll(async () => {
  if (originalTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = originalTmpdir;
  await server.close();
  await db.drop();
  await rm(tmp, { recursive: true, force: true });
});

async function count(where: string, params: unknown[] = []): Promise<number> {
  return (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM asset WHERE ${where}`, params)).rows[0]?.n ?? -1;
}

async function download(p: string, name: string): Promise<{ file: string; res: Response; bytes: Buffer }> {
  const res = await fetch(server.baseUrl + p);
  const bytes = Buffer.from(await res.arrayBuffer());
  const file = path.join(tmp, name);
  await writeFile(file, bytes);
  return { file, res, bytes };
}

const gdal = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

interface Feature {
  id: number;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}
interface FeatureCollection {
  type: string;
  name?: string;
  crs?: { properties: { name: string } };
  features: Feature[];
}

function flatCoordinates(c: unknown): number[] {
  return Array.isArray(c) ? c.flatMap((x) => (typeof x === 'number' ? [x] : flatCoordinates(x))) : [];
}

/** RFC 4180 records (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    i += 1;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (next === '"') {
        cell += '"';
        i += 1;
      } else quoted = false;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' && next === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i += 1;
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

describe('GET /api/datasets', () => {
  it('lists the delivery with its owner slot, size and vital systems', async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/datasets`)).json()) as { datasets: Record<string, unknown>[] };
    const ds = body.datasets.find((d) => d.id === datasetId);
    expect(ds).toMatchObject({ sourceKind: 'klic', sourceRef: 'Levering_22G003179_1.zip', confidentiality: expect.any(String) });
    expect(ds?.featureCount).toBe(await count('dataset_id = $1', [datasetId]));
    expect(ds?.systems).toEqual(expect.arrayContaining(['gas_ld', 'drinkwater']));
    expect(Number.isNaN(Date.parse(String(ds?.importedAt)))).toBe(false);
  });
});

describe('GeoJSON', () => {
  it('streams every gas_ld asset in WGS84 that matches PostGIS ST_Transform within 1e-6°', async () => {
    const { bytes, res } = await download('/api/layers/gas_ld/export?format=geojson', 'gas.geojson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="samenhang-gas_ld-\d{8}\.geojson"$/);
    expect(res.headers.get('transfer-encoding')).toBe('chunked'); // streamed, not buffered
    const fc = JSON.parse(bytes.toString('utf8')) as FeatureCollection;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.crs).toBeUndefined(); // RFC 7946
    expect(fc.features).toHaveLength(await count("system = 'gas_ld'"));

    const pipe = fc.features.find((f) => f.properties.source_id === GAS_PIPE);
    expect(pipe?.properties).toMatchObject({ material: 'steel', diameter_mm: 80, in_service_date: '1972-12-25', system: 'gas_ld' });
    expect(String(pipe?.properties.owner)).toMatch(/Enexis/);
    const pg = await db.pool.query<{ g: { coordinates: unknown } }>(
      'SELECT ST_AsGeoJSON(ST_Transform(geom, 4326), 15)::json AS g FROM asset WHERE source_id = $1',
      [GAS_PIPE],
    );
    const expected = flatCoordinates(pg.rows[0]?.g.coordinates);
    const actual = flatCoordinates(pipe?.geometry.coordinates);
    expect(actual.length).toBe(expected.length);
    expect(actual.length).toBeGreaterThan(3);
    actual.forEach((v, i) => expect(Math.abs(v - (expected[i] ?? NaN))).toBeLessThan(1e-6));
    // Escaping is a spreadsheet concern: GeoJSON carries the label as it is.
    expect(fc.features.find((f) => f.properties.source_id === formulaSourceId)?.properties.label).toBe(FORMULA);
  });

  it('in RD New carries the legacy crs member, so GDAL reads it as EPSG:28992', async () => {
    const { bytes, file } = await download(`/api/datasets/${datasetId}/export?format=geojson&crs=EPSG:28992`, 'ds-rd.geojson');
    const fc = JSON.parse(bytes.toString('utf8')) as FeatureCollection;
    expect(fc.crs?.properties.name).toBe('urn:ogc:def:crs:EPSG::28992');
    expect(fc.features).toHaveLength(await count('dataset_id = $1', [datasetId]));
    const [x, y] = flatCoordinates(fc.features.find((f) => f.properties.source_id === GAS_PIPE)?.geometry.coordinates);
    const pg = await db.pool.query<{ x: number; y: number }>(
      'SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointN(ST_GeometryN(geom, 1), 1) AS p FROM asset WHERE source_id = $1) s',
      [GAS_PIPE],
    );
    expect(Math.abs((x ?? 0) - (pg.rows[0]?.x ?? NaN))).toBeLessThan(1e-3);
    expect(Math.abs((y ?? 0) - (pg.rows[0]?.y ?? NaN))).toBeLessThan(1e-3);
    expect(gdal('ogrinfo', ['-so', '-al', file])).toMatch(/Amersfoort \/ RD New/);
  });

  it('cuts to a WGS84 bbox like ST_Intersects does', async () => {
    const bbox = [5.887, 51.144, 5.8905, 51.147];
    const { bytes } = await download(`/api/layers/gas_ld/export?format=geojson&bbox=${bbox.join(',')}`, 'gas-bbox.geojson');
    const fc = JSON.parse(bytes.toString('utf8')) as FeatureCollection;
    const inside = await count(
      "system = 'gas_ld' AND ST_Intersects(geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 4326), 0.0001), 28992))",
      bbox,
    );
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThan(await count("system = 'gas_ld'"));
    expect(fc.features).toHaveLength(inside);
  });
});

describe('GeoPackage', () => {
  it('is a valid GeoPackage that GDAL reads with the right count, CRS and attributes', async () => {
    const { file, res } = await download('/api/layers/gas_ld/export?format=gpkg', 'gas.gpkg');
    expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="samenhang-gas_ld-\d{8}\.gpkg"$/);
    const n = await count("system = 'gas_ld'");
    const info = gdal('ogrinfo', ['-so', '-al', file]);
    expect(info).toContain('Layer name: gas_ld');
    expect(info).toContain(`Feature Count: ${n}`);
    expect(info).toMatch(/PROJCRS\["Amersfoort \/ RD New"/);
    expect(info).toContain('ID["EPSG",28992]');
    expect(info).toMatch(/in_service_date: Date/);
    expect(gdal('ogrinfo', ['-ro', file, '-sql', 'SELECT count(*) AS n FROM rtree_gas_ld_geom'])).toContain(`n (Integer) = ${n}`);
    if (existsSync(GPKG_VALIDATOR)) execFileSync('python3', [GPKG_VALIDATOR, file]); // throws on any finding

    const one = JSON.parse(gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, '-where', `source_id = '${GAS_PIPE}'`])) as FeatureCollection;
    expect(one.features).toHaveLength(1);
    expect(one.features[0]?.properties).toMatchObject({
      source_id: GAS_PIPE,
      system: 'gas_ld',
      material: 'steel',
      diameter_mm: 80,
      in_service_date: '1972-12-25',
      asset_class: 'OlieGasChemicalienPijpleiding',
    });
    expect(one.features[0]?.geometry.type).toMatch(/LineString/);
  });

  it('exports a whole dataset, in WGS84 on request', async () => {
    const { file, res } = await download(`/api/datasets/${datasetId}/export?format=gpkg&crs=EPSG:4326`, 'ds.gpkg');
    expect(res.headers.get('content-disposition')).toMatch(/filename="samenhang-klic-levering-22g003179-\d{8}\.gpkg"/);
    const info = gdal('ogrinfo', ['-so', '-al', file]);
    expect(info).toContain(`Feature Count: ${await count('dataset_id = $1', [datasetId])}`);
    expect(info).toMatch(/GEOGCRS\["WGS 84"/);
    expect(info).toMatch(/Extent: \(5\.8\d+, 51\.1\d+\)/);
  });
});

describe('CSV', () => {
  it('has BOM, the specified header, one row per asset and defused formulas', async () => {
    const { bytes, res } = await download('/api/layers/gas_ld/export?format=csv', 'gas.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parseCsv(bytes.toString('utf8').slice(1));
    expect(records[0]?.join(',')).toBe(CSV_HEADER);
    expect(records).toHaveLength(1 + (await count("system = 'gas_ld'")));
    expect(records.every((r) => r.length === 17)).toBe(true);

    const col = (name: string): number => CSV_HEADER.split(',').indexOf(name);
    const formulaRow = records.find((r) => r[col('source_id')] === formulaSourceId);
    expect(formulaRow?.[col('label')]).toBe(`'${FORMULA}`);
    expect(records.some((r) => r.some((cell) => /^[=+@]/.test(cell)))).toBe(false);
    const pipe = records.find((r) => r[col('source_id')] === GAS_PIPE);
    expect(pipe?.[col('wkt')]).toMatch(/^(MULTI)?LINESTRING\(\(?1\d{5}\.\d+ 3\d{5}\.\d+/);
    expect(pipe?.[col('diameter_mm')]).toBe('80');
  });

  it('is read by GDAL with the geometry from the wkt column', async () => {
    const { file } = await download('/api/layers/gas_ld/export?format=csv', 'gas-gdal.csv');
    const info = gdal('ogrinfo', ['-so', '-al', '-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=NO', file]);
    expect(info).toContain(`Feature Count: ${await count("system = 'gas_ld'")}`);
    expect(info).toMatch(/Extent: \(18\d{4}\.\d+, 35\d{4}\.\d+\) - \(19\d{4}\.\d+, 35\d{4}\.\d+\)/);
    expect(info).not.toMatch(/^wkt:/m);
    const one = JSON.parse(
      gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, '-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=NO', '-where', `source_id = '${GAS_PIPE}'`]),
    ) as FeatureCollection;
    expect(one.features[0]?.properties).toMatchObject({ material: 'steel', in_service_date: '1972-12-25' });
  });
});

describe('streaming and errors', () => {
  it('releases the cursor and its connection when the client goes away mid-download', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${server.baseUrl}/api/datasets/${datasetId}/export?format=geojson`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
    });
    await new Promise((r) => setTimeout(r, 500));
    const stuck = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    );
    expect(stuck.rows[0]?.n).toBe(0);
    expect((await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=csv`)).status).toBe(200);
    expect(server.errors).toEqual([]);
  });

  it('answers 400 with the allowed values, and 404 for unknown datasets and layers, as JSON', async () => {
    const bad = await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=dwg`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-disposition')).toBeNull();
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_format');
    expect(body.error.message).toMatch(/geojson, gpkg, csv/);
    const badCrs = (await (await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=csv&crs=EPSG:3857`)).json()) as { error: { message: string } };
    expect(badCrs.error.message).toMatch(/EPSG:4326, EPSG:28992/);
    expect((await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=csv&bbox=5,51,6`)).status).toBe(400);
    expect((await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=csv&bbox=6,51,5,52`)).status).toBe(400);
    const missing = await fetch(`${server.baseUrl}/api/datasets/999999/export?format=csv`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await fetch(`${server.baseUrl}/api/layers/nope/export?format=csv`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/datasets/abc/export`)).status).toBe(400);
    const head = await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=gpkg`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toMatch(/\.gpkg"$/);
  });

  it('leaves no GeoPackage temp files behind', async () => {
    expect(await readdir(serverTmp)).toEqual([]);
  });
});
