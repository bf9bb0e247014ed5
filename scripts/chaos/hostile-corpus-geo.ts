/**
 * Hostile-files corpus (issue 10 §4), second half: bad geometries (reported per feature, never a
 * crash), hostile GeoPackages (made with better-sqlite3 from a copy of the real bgt-delft.gpkg),
 * Shapefiles with parts missing or a .prj holding a URL (from the real bomen.shp.zip), and a
 * tampered FlatGeobuf. Every file is SYNTHETIC: a hostile variant of a real fixture.
 */
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { HostileCase, Write } from './hostile-corpus.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'formats');

/** A GeoJSON layer in RD New: the hostile feature first, then a valid one (so the layer still loads). */
function rdLayer(geometry: string): string {
  const valid = '{"type":"Polygon","coordinates":[[[155000,463000],[155010,463000],[155010,463010],[155000,463010],[155000,463000]]]}';
  const feature = (id: number, g: string): string => `{"type":"Feature","properties":{"id":${id}},"geometry":${g}}`;
  return `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[${feature(1, geometry)},${feature(2, valid)}]}`;
}

async function geometryCases(write: Write): Promise<HostileCase[]> {
  const g = (name: string, what: string, geometry: string, min = 1): Promise<HostileCase> =>
    write(name, rdLayer(geometry)).then((file) => ({ name, file, what, expect: 'succeeded' as const, extra: { kind: 'invalid' as const, min } }));
  return Promise.all([
    g('polygon-bow-tie.geojson', 'a self-intersecting (bow-tie) ring',
      '{"type":"Polygon","coordinates":[[[155000,463000],[155010,463010],[155010,463000],[155000,463010],[155000,463000]]]}'),
    g('polygon-unclosed-ring.geojson', 'a ring whose last point is not its first',
      '{"type":"Polygon","coordinates":[[[155000,463000],[155010,463000],[155010,463010],[155000,463010]]]}'),
    // inside-out: clockwise shell and counter-clockwise hole; valid in OGC terms, rewound on load
    g('polygon-inside-out.geojson', 'a clockwise shell with a counter-clockwise hole (rewound, not invalid)',
      '{"type":"Polygon","coordinates":[[[155000,463000],[155000,463010],[155010,463010],[155010,463000],[155000,463000]],[[155002,463002],[155008,463002],[155008,463008],[155002,463008],[155002,463002]]]}', 0),
    g('polygon-hole-outside-shell.geojson', 'a hole that lies outside its shell',
      '{"type":"Polygon","coordinates":[[[155000,463000],[155010,463000],[155010,463010],[155000,463010],[155000,463000]],[[155100,463100],[155110,463100],[155110,463110],[155100,463110],[155100,463100]]]}'),
    g('coordinates-1e15.geojson', 'coordinates of 1e15 in RD New', '{"type":"LineString","coordinates":[[1e15,1e15],[-1e15,1e15]]}'),
    g('polygon-two-points.geojson', 'a polygon ring of two points', '{"type":"Polygon","coordinates":[[[155000,463000],[155010,463000]]]}'),
    g('geometry-type-unknown.geojson', 'a geometry of type "Banaan"', '{"type":"Banaan","coordinates":[1,2]}'),
    g('geometry-coordinates-strings.geojson', 'coordinates given as strings', '{"type":"Point","coordinates":["155000","463000"]}'),
  ]);
}

/** A copy of the real bgt-delft.gpkg, changed by `change` (opened writable with better-sqlite3). */
async function gpkg(write: Write, name: string, change: (db: Database.Database) => void): Promise<string> {
  const file = await write(name, new Uint8Array());
  await copyFile(path.join(FIXTURES, 'bgt-delft.gpkg'), file);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF'); // a hostile file need not keep the GeoPackage's own constraints
  try {
    change(db);
  } finally {
    db.close();
  }
  return file;
}

async function geopackageCases(write: Write): Promise<HostileCase[]> {
  const real = await readFile(path.join(FIXTURES, 'bgt-delft.gpkg'));
  return [
    { name: 'gpkg-recursive-trigger.gpkg', what: 'a trigger that inserts into its own table on every insert, recursive_triggers on', expect: 'either',
      file: await gpkg(write, 'gpkg-recursive-trigger.gpkg', (db) => {
        db.exec(`CREATE TRIGGER samenhang_chaos_loop AFTER INSERT ON begroeidterreindeel BEGIN
                   INSERT INTO begroeidterreindeel (geom, gml_id) SELECT geom, gml_id FROM begroeidterreindeel WHERE fid = NEW.fid; END;
                 CREATE TRIGGER samenhang_chaos_read AFTER UPDATE ON gpkg_contents BEGIN UPDATE gpkg_contents SET last_change = last_change; END;
                 PRAGMA recursive_triggers = ON;`);
      }) },
    { name: 'gpkg-corrupt-rtree.gpkg', what: 'the R-tree shadow tables overwritten with garbage', expect: 'either',
      file: await gpkg(write, 'gpkg-corrupt-rtree.gpkg', (db) => {
        db.unsafeMode(true); // SQLite's defensive mode guards shadow tables: this is how a corrupt R-tree comes about
        db.exec("UPDATE rtree_begroeidterreindeel_geom_node SET data = randomblob(length(data)); DELETE FROM rtree_begroeidterreindeel_geom_rowid WHERE rowid % 2 = 0");
      }) },
    { name: 'gpkg-view-infinite-recursion.gpkg', what: 'a feature "table" that is a view over an endless recursive CTE', expect: 'rejected',
      file: await gpkg(write, 'gpkg-view-infinite-recursion.gpkg', (db) => {
        db.exec(`CREATE VIEW eindeloos AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
                   SELECT n AS fid, (SELECT geom FROM waterdeel LIMIT 1) AS geom FROM r;
                 INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('eindeloos', 'features', 'eindeloos', 28992);
                 INSERT INTO gpkg_geometry_columns VALUES ('eindeloos', 'geom', 'POLYGON', 28992, 0, 0);
                 DELETE FROM gpkg_contents WHERE table_name <> 'eindeloos';`);
      }) },
    { name: 'gpkg-view-cross-join.gpkg', what: 'a feature view that cross-joins the table with itself 5 times (10^10 rows)', expect: 'rejected',
      file: await gpkg(write, 'gpkg-view-cross-join.gpkg', (db) => {
        db.exec(`CREATE VIEW kruis AS SELECT a.fid AS fid, a.geom AS geom FROM begroeidterreindeel a, begroeidterreindeel b, begroeidterreindeel c,
                   begroeidterreindeel d, begroeidterreindeel e;
                 INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('kruis', 'features', 'kruis', 28992);
                 INSERT INTO gpkg_geometry_columns VALUES ('kruis', 'geom', 'POLYGON', 28992, 0, 0);
                 DELETE FROM gpkg_contents WHERE table_name <> 'kruis';`);
      }) },
    { name: 'gpkg-contents-endless-view.gpkg', what: 'gpkg_contents replaced by a view over an endless recursive CTE', expect: 'rejected',
      file: await gpkg(write, 'gpkg-contents-endless-view.gpkg', (db) => {
        db.exec(`DROP TABLE gpkg_contents;
                 CREATE VIEW gpkg_contents AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
                   SELECT 'waterdeel' AS table_name, 'features' AS data_type, 'waterdeel' AS identifier, 28992 AS srs_id,
                          NULL AS min_x, NULL AS min_y, NULL AS max_x, NULL AS max_y FROM r;`);
      }) },
    { name: 'gpkg-generated-geometry-500mb.gpkg', what: 'a geometry column generated as a 500 MB zeroblob per row', expect: 'rejected',
      file: await gpkg(write, 'gpkg-generated-geometry-500mb.gpkg', (db) => {
        db.exec(`CREATE TABLE zwaar (fid INTEGER PRIMARY KEY, naam TEXT, geom BLOB AS (zeroblob(500000000)) VIRTUAL);
                 INSERT INTO zwaar (naam) SELECT gml_id FROM begroeidterreindeel;
                 INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('zwaar', 'features', 'zwaar', 28992);
                 INSERT INTO gpkg_geometry_columns VALUES ('zwaar', 'geom', 'POLYGON', 28992, 0, 0);
                 DELETE FROM gpkg_contents WHERE table_name <> 'zwaar';`);
      }) },
    { name: 'gpkg-srid-999999.gpkg', what: 'a layer in srs_id 999999 (defined in gpkg_spatial_ref_sys as EPSG:999999)', expect: 'rejected', reason: /999999/,
      file: await gpkg(write, 'gpkg-srid-999999.gpkg', (db) => {
        db.exec(`INSERT INTO gpkg_spatial_ref_sys VALUES ('onbekend', 999999, 'EPSG', 999999, 'LOCAL_CS["onbekend"]', NULL);
                 UPDATE gpkg_geometry_columns SET srs_id = 999999; UPDATE gpkg_contents SET srs_id = 999999;`);
      }) },
    { name: 'gpkg-truncated-half.gpkg', file: await write('gpkg-truncated-half.gpkg', real.subarray(0, Math.floor(real.length / 2))),
      what: 'the first half of a GeoPackage', expect: 'either' },
    { name: 'gpkg-zeroed-page-2.gpkg', file: await write('gpkg-zeroed-page-2.gpkg', Buffer.concat([real.subarray(0, 4096), Buffer.alloc(4096), real.subarray(8192)])),
      what: 'a GeoPackage with its second page zeroed', expect: 'either' },
  ];
}

async function shapefileCases(write: Write): Promise<HostileCase[]> {
  const parts = unzipSync(await readFile(path.join(FIXTURES, 'bomen.shp.zip')));
  const without = (ext: string): Record<string, Uint8Array> => Object.fromEntries(Object.entries(parts).filter(([n]) => !n.endsWith(ext)));
  const withPrj = (prj: string): Uint8Array => zipSync({ ...without('.prj'), 'bomen.prj': strToU8(prj) });
  const shp = Buffer.from(parts['bomen.shp'] ?? new Uint8Array());
  const hugeRecord = Buffer.from(shp);
  hugeRecord.writeInt32BE(0x7fffffff, 100 + 4); // first record's content length: 4 GB in 16-bit words
  const dbf = Buffer.from(parts['bomen.dbf'] ?? new Uint8Array());
  const manyRecords = Buffer.from(dbf);
  manyRecords.writeUInt32LE(0xffffffff, 4);
  return [
    { name: 'shapefile-missing-shx.zip', file: await write('shapefile-missing-shx.zip', zipSync(without('.shx'))), what: 'a zipped Shapefile without .shx', expect: 'either' },
    { name: 'shapefile-missing-dbf.zip', file: await write('shapefile-missing-dbf.zip', zipSync(without('.dbf'))), what: 'a zipped Shapefile without .dbf', expect: 'rejected', reason: /dbf/i },
    { name: 'shapefile-only-shp.zip', file: await write('shapefile-only-shp.zip', zipSync({ 'bomen.shp': shp })), what: 'a .shp alone', expect: 'rejected' },
    { name: 'shapefile-prj-url.zip', file: await write('shapefile-prj-url.zip', withPrj('http://169.254.169.254/latest/meta-data/iam/security-credentials/')),
      what: 'a .prj holding a URL', expect: 'either' },
    { name: 'shapefile-prj-file-url.zip', file: await write('shapefile-prj-file-url.zip', withPrj('file:///etc/passwd')), what: 'a .prj holding a file:// URL', expect: 'either' },
    { name: 'shapefile-prj-epsg-999999.zip', file: await write('shapefile-prj-epsg-999999.zip', withPrj('PROJCS["onbekend",AUTHORITY["EPSG","999999"]]')),
      what: 'a .prj naming EPSG:999999', expect: 'rejected', reason: /999999/ },
    { name: 'shapefile-record-4gb.zip', file: await write('shapefile-record-4gb.zip', zipSync({ ...parts, 'bomen.shp': hugeRecord })),
      what: 'a .shp whose first record claims 4 GB', expect: 'either' },
    { name: 'shapefile-dbf-4-billion-records.zip', file: await write('shapefile-dbf-4-billion-records.zip', zipSync({ ...parts, 'bomen.dbf': manyRecords })),
      what: 'a .dbf header claiming 4,294,967,295 records', expect: 'either' },
  ];
}

async function flatgeobufCases(write: Write): Promise<HostileCase[]> {
  const fgb = await readFile(path.join(FIXTURES, 'traceontwerp-apeldoorn.fgb'));
  const headerLength = fgb.readUInt32LE(8);
  const bigHeader = Buffer.from(fgb);
  bigHeader.writeUInt32LE(0x7ffffff0, 8);
  const zeroCount = Buffer.from(fgb);
  zeroCount.writeBigUInt64LE(0n, fgb.subarray(0, 12 + headerLength).indexOf(Buffer.from([6, 0, 0, 0, 0, 0, 0, 0]), 12)); // its 6 features
  return [
    { name: 'fgb-index-over-zero-features.fgb', file: await write('fgb-index-over-zero-features.fgb', zeroCount),
      what: 'a header with a spatial index but a feature count of 0 (found by the fuzzer: the library looped for ever)', expect: 'rejected' },
    { name: 'fgb-truncated-in-features.fgb', file: await write('fgb-truncated-in-features.fgb', fgb.subarray(0, fgb.length - 300)),
      what: 'a FlatGeobuf cut inside its features', expect: 'either' },
    { name: 'fgb-truncated-in-header.fgb', file: await write('fgb-truncated-in-header.fgb', fgb.subarray(0, 12 + Math.floor(headerLength / 2))),
      what: 'a FlatGeobuf cut inside its header', expect: 'rejected' },
    { name: 'fgb-header-length-2gb.fgb', file: await write('fgb-header-length-2gb.fgb', bigHeader), what: 'a header length of 2 GB', expect: 'rejected' },
  ];
}

export async function geoCases(write: Write): Promise<HostileCase[]> {
  return [...(await geometryCases(write)), ...(await geopackageCases(write)), ...(await shapefileCases(write)), ...(await flatgeobufCases(write))];
}
