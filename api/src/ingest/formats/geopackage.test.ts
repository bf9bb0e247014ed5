/**
 * GeoPackage reader on real BGT Delft green and water parts (tests/fixtures/formats/bgt-delft.gpkg,
 * see its README), plus SYNTHETIC GeoPackages built with better-sqlite3 for undefined SRS, Z/M
 * geometries and corrupt files.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerOf } from './geopackage.ts';
import { openSource } from './index.ts';
import { goldenOf, readAll } from './test-golden.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const GOLDEN = '../../../../tests/fixtures/formats/golden/';
const GPKG = join(FIXTURES, 'bgt-delft.gpkg');

// `ogrinfo -so tests/fixtures/formats/bgt-delft.gpkg` (GDAL 3.6.2): Feature Count per layer
const BEGROEID_COUNT = 126;
const WATERDEEL_COUNT = 3;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpkg-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GeoPackage reader on BGT Delft', () => {
  it('takes the count GDAL keeps (gpkg_ogr_contents) as a progress hint only, and counts rows without it', async () => {
    const recorded = join(dir, 'recorded-count.gpkg');
    await copyFile(GPKG, recorded);
    const db = new Database(recorded);
    db.prepare("UPDATE gpkg_ogr_contents SET feature_count = 1000 WHERE table_name = 'begroeidterreindeel'").run();
    db.close();
    const r = await readAll(recorded);
    expect(r.source.featureCountHint).toBe(1000); // what the file says, without reading the table
    expect(r.features).toHaveLength(BEGROEID_COUNT); // every row is read whatever it says
    const plain = join(dir, 'no-ogr-contents.gpkg');
    await copyFile(GPKG, plain);
    const db2 = new Database(plain);
    db2.exec('DROP TABLE gpkg_ogr_contents');
    db2.close();
    expect((await readAll(plain)).source.featureCountHint).toBe(BEGROEID_COUNT);
  });

  it('reads the first feature table (golden), its SRS and fields', async () => {
    const text = await goldenOf(GPKG, 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bgt-begroeidterreindeel-gpkg.geojson`);
    const { source, features } = await readAll(GPKG);
    expect(source).toMatchObject({ format: 'geopackage', layerName: 'begroeidterreindeel', featureCountHint: BEGROEID_COUNT, layers: ['begroeidterreindeel', 'waterdeel'] });
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'geopackage', guessed: false });
    expect(features).toHaveLength(BEGROEID_COUNT);
    expect(source.fields.map((f) => f.name)).not.toContain('fid');
    expect(source.fields.map((f) => f.name)).not.toContain('geom');
    expect(source.fields).toContainEqual({ name: 'inonderzoek', type: 'boolean' });
    expect(typeof features[0]?.properties.inonderzoek).toBe('boolean');
  });

  it('reads the table named by the layer option (any case)', async () => {
    const { source, features } = await readAll(GPKG, { layer: 'WaterDeel' });
    expect(source.layerName).toBe('waterdeel');
    expect(features).toHaveLength(WATERDEEL_COUNT);
    await expect(openSource(GPKG, { layer: 'pand' })).rejects.toMatchObject({ status: 400, code: 'layer_not_found' });
  });

  it('never writes to the file (read-only, no journal)', async () => {
    const copy = join(dir, 'copy.gpkg');
    await copyFile(GPKG, copy);
    const before = createHash('sha256').update(await readFile(copy)).digest('hex');
    await readAll(copy);
    expect(createHash('sha256').update(await readFile(copy)).digest('hex')).toBe(before);
    expect((await readdir(dir)).filter((n) => n.startsWith('copy.gpkg'))).toEqual(['copy.gpkg']);
  });
});

/** SYNTHETIC GeoPackageBinary: 'GP', version 0, flags (little-endian, no envelope), srs_id, WKB. */
function gpb(wkb: Buffer, srsId = 0): Buffer {
  const h = Buffer.alloc(8);
  h.write('GP', 0, 'latin1');
  h.writeUInt8(0, 2);
  h.writeUInt8(0x01, 3);
  h.writeInt32LE(srsId, 4);
  return Buffer.concat([h, wkb]);
}

function wkbPoint(type: number, values: number[]): Buffer {
  const b = Buffer.alloc(5 + 8 * values.length);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(type, 1);
  values.forEach((v, i) => b.writeDoubleLE(v, 5 + 8 * i));
  return b;
}

function makeGeoPackage(path: string, rows: (Buffer | null)[], pk = 'fid'): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
    INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL);
    CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
    INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('putten', 'features', -1);
    CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z TINYINT, m TINYINT);
    INSERT INTO gpkg_geometry_columns VALUES ('putten', 'geom', 'POINT', -1, 1, 1);
    CREATE TABLE putten (${pk} INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, naam TEXT, diepte REAL);
  `);
  const insert = db.prepare('INSERT INTO putten (geom, naam, diepte) VALUES (?, ?, ?)');
  rows.forEach((g, i) => insert.run(g, `put ${i + 1}`, 1.5 + i));
  db.close();
}

describe('GeoPackage reader on SYNTHETIC files', () => {
  it('drops Z and M, reports unsupported geometries per feature and guesses an undefined SRS', async () => {
    const path = join(dir, 'putten.gpkg');
    makeGeoPackage(path, [
      gpb(wkbPoint(1001, [155000, 463000, 2.5])), // ISO Point Z
      gpb(wkbPoint(3001, [155001, 463001, 2.5, 7])), // ISO Point ZM
      gpb(wkbPoint(0x80000001, [155002, 463002, 2.5])), // EWKB Point Z
      gpb(wkbPoint(8, [0, 0])), // CircularString: not supported
      null,
    ]);
    const { source, features } = await readAll(path);
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'guessed', guessed: true });
    expect(features.map((f) => f.geometry)).toEqual([
      { type: 'Point', coordinates: [155000, 463000] },
      { type: 'Point', coordinates: [155001, 463001] },
      { type: 'Point', coordinates: [155002, 463002] },
      null,
      null,
    ]);
    expect(features[3]?.issue).toMatch(/type 8/);
    expect(features[4]?.issue).toBeUndefined();
    expect(features[0]?.properties).toEqual({ naam: 'put 1', diepte: 1.5 });
  });

  it('an integer key kept under its own name (ogr2ogr made a source `id` the FID) is an attribute; `fid` is not', async () => {
    const withId = join(dir, 'met-id.gpkg');
    makeGeoPackage(withId, [gpb(wkbPoint(1, [155000, 463000])), gpb(wkbPoint(1, [155001, 463001]))], 'id');
    const { source, features } = await readAll(withId);
    expect(source.fields.map((f) => f.name)).toEqual(['id', 'naam', 'diepte']);
    expect(features.map((f) => f.properties.id)).toEqual([1, 2]);
    const withFid = join(dir, 'met-fid.gpkg');
    makeGeoPackage(withFid, [gpb(wkbPoint(1, [155000, 463000]))]);
    expect((await readAll(withFid)).source.fields.map((f) => f.name)).toEqual(['naam', 'diepte']);
  });

  it('a corrupt file is a 400 that names it', async () => {
    const path = join(dir, 'kapot.gpkg');
    await writeFile(path, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4000, 0x41)]));
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'corrupt_file', where: 'kapot.gpkg', message: expect.stringMatching(/^kapot\.gpkg: /) });
  });

  it('a truncated real GeoPackage is a 400', async () => {
    const path = join(dir, 'half.gpkg');
    await writeFile(path, (await readFile(GPKG)).subarray(0, 8192));
    await expect(readAll(path)).rejects.toMatchObject({ status: 400, where: 'half.gpkg' });
  });

  it('reads every row in pages by its key, also keys past 2^53, refuses a view, and can stop early', async () => {
    const path = join(dir, 'keys-and-view.gpkg');
    await copyFile(GPKG, path);
    const before = (await readAll(GPKG, { layer: 'begroeidterreindeel' })).features.map((f) => f.properties.lokaalid);
    const db = new Database(path);
    // GDAL's R-tree triggers call SpatiaLite functions this SQLite does not have
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER "${t.name}"`);
    db.prepare('UPDATE begroeidterreindeel SET fid = ? WHERE fid = (SELECT max(fid) FROM begroeidterreindeel)').run(2n ** 60n);
    db.prepare('UPDATE begroeidterreindeel SET fid = ? WHERE fid = (SELECT min(fid) FROM begroeidterreindeel)').run(-(2n ** 60n));
    db.exec('CREATE VIEW groen AS SELECT * FROM begroeidterreindeel WHERE fid % 2 = 0');
    db.prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('groen', 'features', 'groen', 28992)").run();
    db.prepare("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('groen', 'geom', 'POLYGON', 28992, 0, 0)").run();
    const viewCount = (db.prepare('SELECT count(*) AS n FROM groen').get() as { n: number }).n;
    db.close();
    const all = (await readAll(path, { layer: 'begroeidterreindeel' })).features;
    expect(all).toHaveLength(BEGROEID_COUNT);
    // the smallest key moved first, the largest stayed last: the same features, in key order
    expect(new Set(all.map((f) => f.properties.lokaalid))).toEqual(new Set(before));
    expect(all.every((f) => f.wkbHex !== undefined && f.geometry?.type === 'Polygon')).toBe(true);
    // a view can run an endless query that SQLite cannot interrupt here: refused (hostile-files chaos run, issue 10)
    expect(viewCount).toBeGreaterThan(10);
    await expect(readAll(path, { layer: 'groen' })).rejects.toMatchObject({ status: 400, code: 'unsupported_view' });
    const source = await openSource(path, { layer: 'begroeidterreindeel' });
    for await (const batch of source.features(5)) {
      expect(batch).toHaveLength(5);
      break; // the table's statement is still open here
    }
    await expect(source.close()).resolves.toBeUndefined();
  });
});

describe('GeoPackage geometry header from hex text', () => {
  it('decodes the 8 header bytes as Buffer does: up to the first pair that is no hex, the rest zero', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEFgZ '.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 24 }), (hex) => {
        const expected = Buffer.alloc(8);
        expected.write(hex, 0, 8, 'hex');
        expect(Buffer.from(headerOf(hex))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
    expect(Buffer.from(headerOf('4750000300007140')).toString('hex')).toBe('4750000300007140');
  });
});
