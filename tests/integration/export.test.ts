/**
 * Exports read back by an independent client: GDAL (ogrinfo/ogr2ogr) reads our GeoPackage and
 * CSV; the GeoJSON is checked against PostGIS. Data: the real KLIC delivery 22G003179.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeFormulaCell } from '../../api/src/export/csv.ts';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ZIP = path.resolve(import.meta.dirname, '..', '..', 'data', 'klic-maasgouw', 'Levering_22G003179_1.zip');
const GAS_PIPE = 'nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955';
let db: TestDatabase;
let server: TestServer;
let tmp: string;
let gasCount = 0;

beforeAll(async () => {
  db = await createTestDatabase('it_export');
  await importKlicZip(db.pool, ZIP, { srid: 28992 });
  server = await startTestServer(db.pool);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'samenhang-export-'));
  gasCount = (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM asset WHERE system = 'gas_ld'")).rows[0]?.n ?? 0;
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

async function download(p: string, file: string): Promise<{ path: string; res: Response }> {
  const res = await fetch(server.baseUrl + p);
  const out = path.join(tmp, file);
  await writeFile(out, Buffer.from(await res.arrayBuffer()));
  return { path: out, res };
}

describe('GeoJSON', () => {
  it('has every asset of the layer, in WGS84 that matches PostGIS', async () => {
    const { path: file, res } = await download('/api/layers/gas_ld/export?format=geojson', 'gas.geojson');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?samenhang-gas_ld-\d{8}\.geojson"?/);
    const fc = JSON.parse(execFileSync('cat', [file], { encoding: 'utf8' })) as { features: { geometry: { coordinates: number[][] }; properties: { source_id: string } }[]; crs?: unknown };
    expect(fc.crs).toBeUndefined();
    expect(fc.features).toHaveLength(gasCount);
    const pipe = fc.features.find((f) => f.properties.source_id === GAS_PIPE);
    const pg = await db.pool.query<{ x: number; y: number }>(
      'SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_Transform(ST_StartPoint(ST_GeometryN(geom, 1)), 4326) AS p FROM asset WHERE source_id = $1) s', [GAS_PIPE]);
    const [x, y] = pipe?.geometry.coordinates[0] ?? [];
    expect(Math.abs((x ?? 0) - (pg.rows[0]?.x ?? 1))).toBeLessThan(1e-6);
    expect(Math.abs((y ?? 0) - (pg.rows[0]?.y ?? 1))).toBeLessThan(1e-6);
  });
});

describe('GeoPackage', () => {
  it('is read by GDAL with the right count, CRS and attributes', async () => {
    const { path: file } = await download('/api/layers/gas_ld/export?format=gpkg', 'gas.gpkg');
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(info).toContain(`Feature Count: ${gasCount}`);
    expect(info).toMatch(/Amersfoort \/ RD New/);
    const one = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, '-where', `source_id = '${GAS_PIPE}'`], { encoding: 'utf8' })) as {
      features: { properties: Record<string, unknown> }[];
    };
    expect(one.features[0]?.properties).toMatchObject({ material: 'steel', diameter_mm: 80, status: 'disused', in_service_date: '1972-12-25' });
  });

  it('exports a dataset by id', async () => {
    const ds = (await db.pool.query<{ id: number }>('SELECT id FROM dataset LIMIT 1')).rows[0]?.id;
    const { path: file } = await download(`/api/datasets/${ds}/export?format=gpkg`, 'ds.gpkg');
    const n = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM asset WHERE dataset_id = $1', [ds])).rows[0]?.n;
    expect(execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' })).toContain(`Feature Count: ${n}`);
  });
});

describe('CSV', () => {
  it('escapes formula-like cells and is read by GDAL with WKT geometry', async () => {
    await db.pool.query("UPDATE asset SET label = '=HYPERLINK(\"http://example.invalid\")' WHERE source_id = $1", [GAS_PIPE]);
    const { path: file, res } = await download('/api/layers/gas_ld/export?format=csv', 'gas.csv');
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = execFileSync('cat', [file], { encoding: 'utf8' });
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header] = text.slice(1).split('\n');
    expect(header).toBe('id,source_id,system,owner,asset_class,theme,status,in_service_date,in_service_year,material,diameter_mm,voltage_v,pressure_bar,condition,replacement_year,label,wkt');
    expect(text).toContain(`"'=HYPERLINK(""http://example.invalid"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
    const info = execFileSync('ogrinfo', ['-so', '-al', '-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=NO', file], { encoding: 'utf8' });
    expect(info).toContain(`Feature Count: ${gasCount}`);
    expect(info).toMatch(/Geometry: (Line String|Unknown \(any\)|Multi Line String)/);
  });

  it('escapeFormulaCell', () => {
    expect(escapeFormulaCell('=1+1')).toBe("'=1+1");
    expect(escapeFormulaCell('+31 6')).toBe("'+31 6");
    expect(escapeFormulaCell('-5')).toBe("'-5");
    expect(escapeFormulaCell('@SUM')).toBe("'@SUM");
    expect(escapeFormulaCell('PVC')).toBe('PVC');
  });
});

describe('errors', () => {
  it('answers 400 for an unknown format and 404 for an unknown dataset or layer', async () => {
    expect((await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=dwg`)).status).toBe(400);
    expect((await fetch(`${server.baseUrl}/api/datasets/999999/export?format=csv`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/layers/nope/export?format=csv`)).status).toBe(404);
  });
});
