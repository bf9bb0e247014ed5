/**
 * GeoPackage export written with better-sqlite3 into a temp file: the required GeoPackage tables,
 * one feature table filled from a PostgreSQL cursor in one SQLite transaction, and an R-tree
 * spatial index (gpkg_rtree_index extension). One table per file today; addTable() is the seam
 * for several layers in one file.
 */
import Database from 'better-sqlite3';
import type { Pool } from '../db/pool.ts';
import { cursorRows } from './cursor.ts';
import { ATTRIBUTE_SELECT, COLUMNS, type ExportSelection, geomIn, whereClause } from './export-query.ts';
import { gpkgGeometry } from './gpkg-binary.ts';

const BASE_SCHEMA = `
  CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
  CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
  CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
  CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
    scope TEXT NOT NULL, UNIQUE (table_name, column_name, extension_name));
  INSERT INTO gpkg_spatial_ref_sys VALUES
    ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
    ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');`;

interface Row {
  wkb: Buffer;
  minx: number;
  maxx: number;
  miny: number;
  maxy: number;
  [k: string]: unknown;
}

async function srsDefinition(pool: Pool, epsg: number): Promise<{ name: string; wkt: string }> {
  const r = await pool.query<{ srtext: string }>('SELECT srtext FROM spatial_ref_sys WHERE auth_name = $1 AND auth_srid = $2', ['EPSG', epsg]);
  const wkt = r.rows[0]?.srtext;
  if (!wkt) throw new Error(`EPSG:${epsg} is not in spatial_ref_sys`);
  return { name: /^\w+\["([^"]+)"/.exec(wkt)?.[1] ?? `EPSG:${epsg}`, wkt };
}

/** Write one feature table; returns the number of features. */
async function addTable(db: Database.Database, pool: Pool, table: string, sel: ExportSelection): Promise<number> {
  const cols = COLUMNS.filter((c) => c !== 'id');
  const numeric = new Set(['in_service_year', 'diameter_mm', 'voltage_v', 'pressure_bar', 'replacement_year']);
  db.exec(`CREATE TABLE "${table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, samenhang_id INTEGER,
    ${cols.map((c) => `"${c}" ${numeric.has(c) ? 'REAL' : 'TEXT'}`).join(', ')})`);
  db.exec(`CREATE VIRTUAL TABLE "rtree_${table}_geom" USING rtree(id, minx, maxx, miny, maxy)`);
  const insert = db.prepare(`INSERT INTO "${table}" (geom, samenhang_id, ${cols.map((c) => `"${c}"`).join(', ')})
    VALUES (?, ?, ${cols.map(() => '?').join(', ')})`);
  const rtree = db.prepare(`INSERT INTO "rtree_${table}_geom" VALUES (?, ?, ?, ?, ?)`);
  const { sql, params } = whereClause(sel);
  const query = `SELECT t.*, ST_AsBinary(t.g, 'NDR') AS wkb, ST_XMin(t.g) AS minx, ST_XMax(t.g) AS maxx, ST_YMin(t.g) AS miny, ST_YMax(t.g) AS maxy
    FROM (SELECT ${ATTRIBUTE_SELECT}, ${geomIn(sel.epsg)} AS g ${sql}) t`;
  const ext = [Infinity, Infinity, -Infinity, -Infinity];
  let n = 0;
  for await (const rows of cursorRows<Row>(pool, query, params)) {
    db.transaction(() => {
      for (const r of rows) {
        const info = insert.run(gpkgGeometry(r.wkb, sel.epsg, [r.minx, r.maxx, r.miny, r.maxy]), r.id,
          ...cols.map((c) => (r[c] === null || r[c] === undefined ? null : numeric.has(c) ? Number(r[c]) : String(r[c]))));
        rtree.run(info.lastInsertRowid, r.minx, r.maxx, r.miny, r.maxy);
        ext[0] = Math.min(ext[0] ?? Infinity, r.minx);
        ext[1] = Math.min(ext[1] ?? Infinity, r.miny);
        ext[2] = Math.max(ext[2] ?? -Infinity, r.maxx);
        ext[3] = Math.max(ext[3] ?? -Infinity, r.maxy);
        n++;
      }
    })();
  }
  const e = n > 0 ? ext : [null, null, null, null];
  db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(table, 'features', table, e[0], e[1], e[2], e[3], sel.epsg);
  db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(table, 'geom', 'GEOMETRY', sel.epsg);
  db.prepare('INSERT INTO gpkg_extensions VALUES (?, ?, ?, ?, ?)')
    .run(table, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
  return n;
}

/** Write a GeoPackage file at `file` with one table named `table`. */
export async function writeGeoPackage(pool: Pool, sel: ExportSelection, file: string, table: string): Promise<number> {
  const srs = await srsDefinition(pool, sel.epsg);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`application_id = ${0x47504b47}`);
    db.pragma('user_version = 10200');
    db.exec(BASE_SCHEMA);
    db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)').run(srs.name, sel.epsg, 'EPSG', sel.epsg, srs.wkt, null);
    return await addTable(db, pool, table, sel);
  } finally {
    db.close();
  }
}
