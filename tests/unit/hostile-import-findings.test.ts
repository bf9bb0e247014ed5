/**
 * What the hostile-files chaos run (scripts/chaos/hostile.ts, issue 10 §4) found in the import
 * path, one focused test per finding. Every file is SYNTHETIC: a hostile copy of a real fixture
 * (bgt-delft.gpkg by GDAL, the KLIC delivery of data/klic-maasgouw) or a few lines of GeoJSON.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../api/src/db/pool.ts';
import { fgbHeaderLength, parseFgbHeader } from '../../api/src/ingest/formats/fgb-header.ts';
import { openSource } from '../../api/src/ingest/formats/index.ts';
import { parseKlicZip } from '../../api/src/ingest/klic/index.ts';
import { importKlicAsReport } from '../../api/src/ingest/klic/import-klic.ts';
import { BinaryRows, jsonText } from '../../api/src/ingest/load/copy-binary.ts';
import { AttributesJson } from '../../api/src/ingest/load/attributes-json.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const GPKG = path.join(ROOT, 'tests', 'fixtures', 'formats', 'bgt-delft.gpkg');
const KLIC = path.join(ROOT, 'data', 'klic-maasgouw', 'Levering_22O000518_1.zip');
const FGB = path.join(ROOT, 'tests', 'fixtures', 'formats', 'traceontwerp-apeldoorn.fgb');
const dir = mkdtempSync(path.join(tmpdir(), 'hostile-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the real GeoPackage changed by `sql` (foreign keys off: a hostile file need not keep them). */
function hostileGpkg(name: string, sql: string): string {
  const file = path.join(dir, name);
  copyFileSync(GPKG, file);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.exec(sql);
  db.close();
  return file;
}

const RD_POINT = '{"type":"Feature","properties":{"id":1},"geometry":{"type":"Point","coordinates":[155000,463000]}}';

describe('GeoPackage: views and generated columns are not read (they could run without end)', () => {
  // before the fix, reading this view blocked the server's event loop for good: SQLite cannot be
  // interrupted from better-sqlite3, so the test of the fix is that nothing of the view is read
  it('refuses a feature "table" that is a view over an endless recursive CTE', async () => {
    const file = hostileGpkg('eindeloos.gpkg', `
      CREATE VIEW eindeloos AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
        SELECT n AS fid, (SELECT geom FROM waterdeel LIMIT 1) AS geom FROM r;
      INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('eindeloos', 'features', 'eindeloos', 28992);
      INSERT INTO gpkg_geometry_columns VALUES ('eindeloos', 'geom', 'POLYGON', 28992, 0, 0);
      DELETE FROM gpkg_contents WHERE table_name <> 'eindeloos';`);
    await expect(openSource(file)).rejects.toMatchObject({ status: 400, code: 'unsupported_view', message: expect.stringContaining('"eindeloos" is a view') });
  });

  it('refuses a GeoPackage whose gpkg_contents is a view', async () => {
    const file = hostileGpkg('contents-view.gpkg', `
      DROP TABLE gpkg_contents;
      CREATE VIEW gpkg_contents AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
        SELECT 'waterdeel' AS table_name, 'features' AS data_type, 'waterdeel' AS identifier, 28992 AS srs_id FROM r;`);
    await expect(openSource(file)).rejects.toMatchObject({ status: 400, code: 'unsupported_view', message: expect.stringContaining('"gpkg_contents" is a view') });
  });

  it('refuses a geometry column that is generated (a 500 MB zeroblob per row) instead of stored', async () => {
    const file = hostileGpkg('generated.gpkg', `
      CREATE TABLE zwaar (fid INTEGER PRIMARY KEY, naam TEXT, geom BLOB AS (zeroblob(500000000)) VIRTUAL);
      INSERT INTO zwaar (naam) VALUES ('a'), ('b');
      INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('zwaar', 'features', 'zwaar', 28992);
      INSERT INTO gpkg_geometry_columns VALUES ('zwaar', 'geom', 'POLYGON', 28992, 0, 0);
      DELETE FROM gpkg_contents WHERE table_name <> 'zwaar';`);
    await expect(openSource(file)).rejects.toMatchObject({ status: 400, code: 'corrupt_file', message: expect.stringContaining('not a stored column') });
  });

  it('still reads the real GeoPackage (its layers are tables)', async () => {
    const source = await openSource(GPKG);
    expect(source).toMatchObject({ format: 'geopackage', crs: { epsg: 28992 } });
    await source.close();
  });
});

describe('a CRS that cannot be projected is refused when the file is opened (SRID 999999)', () => {
  // before the fix, such a layer loaded its coordinates unprojected as if they were RD New
  it('refuses a GeoJSON whose crs member names EPSG:999999', async () => {
    const file = path.join(dir, 'srid-999999.geojson');
    writeFileSync(file, `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::999999"}},"features":[${RD_POINT}]}`);
    await expect(openSource(file)).rejects.toMatchObject({ status: 400, code: 'unsupported_crs', message: expect.stringMatching(/the file names EPSG:999999/) });
  });

  it('refuses the analyst\'s ?epsg=999999 for a file that is fine otherwise, and takes a supported one', async () => {
    const file = path.join(dir, 'rd.geojson');
    writeFileSync(file, `{"type":"FeatureCollection","features":[${RD_POINT}]}`);
    await expect(openSource(file, { epsg: 999999 })).rejects.toMatchObject({ status: 400, code: 'unsupported_crs', message: expect.stringMatching(/EPSG code given names EPSG:999999/) });
    const ok = await openSource(file, { epsg: 28992 });
    expect(ok.crs).toMatchObject({ epsg: 28992, source: 'option' });
    await ok.close();
  });
});

describe('a broken KLIC delivery is the file\'s problem (400), not an internal error', () => {
  it('fails with 400 invalid_klic naming the entry and line when the GML declares an external entity', async () => {
    const [entry, bytes] = Object.entries(unzipSync(readFileSync(KLIC)))[0] as [string, Uint8Array];
    const gml = Buffer.from(bytes).toString('utf8');
    const root = gml.indexOf('<', gml.indexOf('?>') + 2);
    const text = gml.indexOf('</', root);
    const hostile = `${gml.slice(0, root)}<!DOCTYPE gml [<!ENTITY xxe SYSTEM "http://169.254.169.254/">]>\n${gml.slice(root, text)}&xxe;${gml.slice(text)}`;
    const file = path.join(dir, 'Levering_xxe.zip');
    writeFileSync(file, zipSync({ [entry]: strToU8(hostile) }));
    // the delivery is refused while it is parsed, before anything is written: no database needed
    const noDatabase = { query: () => Promise.reject(new Error('no database in this test')) } as unknown as Pool;
    await expect(importKlicAsReport(noDatabase, file, 28992)).rejects.toMatchObject({
      status: 400, code: 'invalid_klic', message: expect.stringMatching(/Levering_xxe\.zip: malformed XML in .*GI_gebiedsinformatielevering.* at line \d+/),
    });
  });
});

/** The real FlatGeobuf with its header's feature count (the one uint64 6 in the header) set to 0, its index kept. */
function fgbWithZeroCount(): Buffer {
  const b = readFileSync(FGB);
  const end = fgbHeaderLength(b);
  const six = Buffer.from([6, 0, 0, 0, 0, 0, 0, 0]);
  const at = b.subarray(0, end).indexOf(six, 12);
  const out = Buffer.from(b);
  out.writeBigUInt64LE(0n, at);
  return out;
}

describe('a FlatGeobuf whose header declares a spatial index over 0 features', () => {
  // before the fix, the flatgeobuf library sized that index in a loop that never ended: the server hung
  it('is refused as corrupt before the feature stream is started', async () => {
    const bytes = fgbWithZeroCount();
    expect(parseFgbHeader(bytes)).toMatchObject({ featuresCount: 0, indexNodeSize: 16, name: 'traceontwerp_apeldoorn' });
    const file = path.join(dir, 'index-over-nothing.fgb');
    writeFileSync(file, bytes);
    await expect(openSource(file)).rejects.toMatchObject({ status: 400, code: 'corrupt_file', message: expect.stringContaining('spatial index over a feature count of 0') });
  });
});

describe('a NUL character from a file never reaches PostgreSQL (text cannot hold it)', () => {
  it('is dropped from COPY text fields and from JSON text, other escapes kept', () => {
    const w = new BinaryRows(64);
    w.row(2).text('a\u0000b\tc');
    // the attributes json as a load writes it into the row
    new AttributesJson().write(w, { 'sle\u0000tel': 'a\u0000b', pad: 'c:\\u0000d' }, [], 0);
    w.endRow();
    const rows = w.take();
    const textLength = rows.readInt32BE(2);
    expect(rows.toString('utf8', 6, 6 + textLength)).toBe('ab\tc');
    const json = rows.toString('utf8', 6 + textLength + 4);
    expect(json).not.toContain('u0000"'); // no NUL escape left where one was
    // the literal backslash-u0000 text of the third value survives
    expect(JSON.parse(json)).toEqual({ sletel: 'ab', pad: 'c:\\u0000d' });
  });

  // found by fuzz file 1795: a FlatGeobuf column name with a NUL, proposed in the mapping, failed the load as a 500
  it('is dropped from JSON given to jsonb (the stored mapping names the file\'s fields)', () => {
    expect(jsonText({ label: { field: 'na\u0000am' }, note: 'c:\\u0000' })).toBe('{"label":{"field":"naam"},"note":"c:\\\\u0000"}');
  });

  it('is dropped from a layer name read from inside the file (FlatGeobuf header)', async () => {
    const bytes = Buffer.from(readFileSync(FGB));
    const at = bytes.indexOf('traceontwerp_apeldoorn');
    bytes.write('\u0000', at + 7, 'latin1');
    const file = path.join(dir, 'nul-name.fgb');
    writeFileSync(file, bytes);
    const source = await openSource(file);
    expect(source.layerName).toBe('traceonwerp_apeldoorn');
    await source.close();
  });
});

describe('a KLIC delivery with an absurd coordinate is the file\'s problem', () => {
  // before the fix, y = 1e15 was written and overflowed the layer's overview: a 500
  it('is refused while parsing, naming the feature and the coordinate', async () => {
    const [entry, bytes] = Object.entries(unzipSync(readFileSync(KLIC)))[0] as [string, Uint8Array];
    const gml = Buffer.from(bytes).toString('utf8');
    const at = gml.indexOf('<gml:posList');
    const list = gml.indexOf('>', at) + 1;
    const firstSpace = gml.indexOf(' ', list);
    const hostile = `${gml.slice(0, firstSpace)} 1000000000000000${gml.slice(gml.indexOf(' ', firstSpace + 1))}`;
    const file = path.join(dir, 'Levering_1e15.zip');
    writeFileSync(file, zipSync({ [entry]: strToU8(hostile) }));
    await expect(parseKlicZip(file)).rejects.toThrow(/Levering_1e15\.zip: .* line \d+: .*: gml:posList holds the coordinate \S+ 1000000000000000, which is no position in RD New/);
  });
});
