/**
 * A small GeoPackage 1.2 writer on better-sqlite3: the required tables, feature tables with an
 * R-tree spatial index, all in one SQLite transaction. It knows nothing about assets or
 * PostgreSQL (see gpkg-export.ts); several layers in one file = several addFeatureTable() calls.
 */
import Database from 'better-sqlite3';
import { type Envelope, encodeGeoPackageBinary } from './gpkg-binary.ts';

/** 'GPKG' as a big-endian 32-bit integer (GeoPackage Req. 2). */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** GeoPackage 1.2.0 (Req. 2). */
export const GPKG_USER_VERSION = 10200;

export interface GpkgSrs {
  id: number;
  name: string;
  organization: string;
  organizationId: number;
  definition: string;
  description: string | null;
}

export type GpkgFieldType = 'INTEGER' | 'REAL' | 'TEXT' | 'DATE';

export interface GpkgField {
  name: string;
  type: GpkgFieldType;
}

export interface FeatureTableSpec {
  table: string;
  /** Human-readable layer name (gpkg_contents.identifier); QGIS shows it. */
  identifier: string;
  description: string;
  srsId: number;
  fields: readonly GpkgField[];
}

export interface GpkgFeature {
  values: readonly (string | number | null)[];
  /** ISO WKB, XY. */
  wkb: Uint8Array;
  envelope: Envelope | null;
}

/** The required srs rows of Req. 11 (the 4326 row is added with its WKT by the caller). */
const UNDEFINED_SRS: readonly GpkgSrs[] = [
  { id: -1, name: 'Undefined cartesian SRS', organization: 'NONE', organizationId: -1, definition: 'undefined', description: 'undefined cartesian coordinate reference system' },
  { id: 0, name: 'Undefined geographic SRS', organization: 'NONE', organizationId: 0, definition: 'undefined', description: 'undefined geographic coordinate reference system' },
];

/** Table definitions as in the GeoPackage 1.2 specification, Annex C. */
const CORE_SCHEMA = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));`;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Table and column names are checked, then double-quoted: they never come raw from a request. */
function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name) || name.startsWith('gpkg_') || name.startsWith('rtree_')) {
    throw new Error(`not a safe GeoPackage identifier: ${name}`);
  }
  return `"${name}"`;
}

export class GeoPackageWriter {
  private constructor(private readonly db: Database.Database) {}

  /**
   * A new GeoPackage at `file` (which must not exist), inside an open transaction. The file is
   * scratch space until commit(): no journal and no fsync, which keeps a million-row export fast.
   */
  static create(file: string): GeoPackageWriter {
    const db = new Database(file);
    try {
      db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
      db.pragma(`user_version = ${GPKG_USER_VERSION}`);
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec('BEGIN');
      db.exec(CORE_SCHEMA);
      const writer = new GeoPackageWriter(db);
      UNDEFINED_SRS.forEach((s) => writer.addSrs(s));
      return writer;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  addSrs(srs: GpkgSrs): void {
    this.db
      .prepare('INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)')
      .run(srs.name, srs.id, srs.organization, srs.organizationId, srs.definition, srs.description);
  }

  addFeatureTable(spec: FeatureTableSpec): FeatureTableWriter {
    return new FeatureTableWriter(this.db, spec);
  }

  commit(): void {
    this.db.exec('COMMIT');
    this.db.close();
  }

  /** Close without committing; the caller deletes the file. */
  abort(): void {
    if (this.db.open) this.db.close();
  }
}

/** One feature table: `fid INTEGER PRIMARY KEY`, a GEOMETRY column `geom`, then the fields. */
export class FeatureTableWriter {
  private readonly insertFeature: Database.Statement;
  private readonly insertRtree: Database.Statement;
  private readonly extent = { minx: Infinity, maxx: -Infinity, miny: Infinity, maxy: -Infinity };
  private count = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly spec: FeatureTableSpec,
  ) {
    const t = quoteIdentifier(spec.table);
    const fields = spec.fields.map((f) => `${quoteIdentifier(f.name)} ${f.type}`);
    db.exec(`CREATE TABLE ${t} (fid INTEGER PRIMARY KEY NOT NULL, geom GEOMETRY, ${fields.join(', ')})`);
    db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)')
      .run(spec.table, 'features', spec.identifier, spec.description, spec.srsId);
    // Mixed points and lines per layer: the generic GEOMETRY type; XY only (z = 0, m = 0).
    db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(spec.table, 'geom', 'GEOMETRY', spec.srsId);
    db.exec(`CREATE VIRTUAL TABLE "rtree_${spec.table}_geom" USING rtree(id, minx, maxx, miny, maxy)`);
    const placeholders = spec.fields.map(() => '?').join(', ');
    this.insertFeature = db.prepare(`INSERT INTO ${t} VALUES (?, ?, ${placeholders})`);
    this.insertRtree = db.prepare(`INSERT INTO "rtree_${spec.table}_geom" VALUES (?, ?, ?, ?, ?)`);
  }

  /**
   * Insert a batch; fids are 1..n in insertion order. The R-tree is filled here from the
   * envelopes PostGIS computed, because its standard triggers need SQL functions (ST_MinX…)
   * that only GDAL/SpatiaLite provide; the triggers are created in finish(), after the data.
   */
  insert(features: readonly GpkgFeature[]): void {
    for (const f of features) {
      const fid = ++this.count;
      if (f.values.length !== this.spec.fields.length) throw new Error(`feature ${fid}: ${f.values.length} values for ${this.spec.fields.length} fields`);
      this.insertFeature.run(fid, encodeGeoPackageBinary(f.wkb, this.spec.srsId, f.envelope), ...f.values);
      if (f.envelope) {
        const [minx, maxx, miny, maxy] = f.envelope;
        this.insertRtree.run(fid, minx, maxx, miny, maxy);
        this.growExtent(minx, maxx, miny, maxy);
      }
    }
  }

  /** Record the extent, register the R-tree extension and its triggers; returns the feature count. */
  finish(): number {
    const e = this.count > 0 && Number.isFinite(this.extent.minx) ? this.extent : null;
    this.db
      .prepare('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?')
      .run(e?.minx ?? null, e?.miny ?? null, e?.maxx ?? null, e?.maxy ?? null, this.spec.table);
    this.db
      .prepare('INSERT INTO gpkg_extensions VALUES (?, ?, ?, ?, ?)')
      .run(this.spec.table, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
    this.db.exec(rtreeTriggers(this.spec.table));
    return this.count;
  }

  private growExtent(minx: number, maxx: number, miny: number, maxy: number): void {
    const e = this.extent;
    e.minx = Math.min(e.minx, minx);
    e.maxx = Math.max(e.maxx, maxx);
    e.miny = Math.min(e.miny, miny);
    e.maxy = Math.max(e.maxy, maxy);
  }
}

/**
 * The six triggers of the RTree Spatial Indexes extension (GeoPackage 1.2, F.3) that keep the
 * index right when a user edits the file afterwards in QGIS or GDAL.
 */
export function rtreeTriggers(table: string): string {
  const t = quoteIdentifier(table);
  const r = `"rtree_${table}_geom"`;
  const name = (suffix: string): string => `"rtree_${table}_geom_${suffix}"`;
  const upsert = `INSERT OR REPLACE INTO ${r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));`;
  const nonEmpty = '(NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))';
  const empty = '(NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))';
  return `
CREATE TRIGGER ${name('insert')} AFTER INSERT ON ${t} WHEN ${nonEmpty}
BEGIN ${upsert} END;
CREATE TRIGGER ${name('update1')} AFTER UPDATE OF geom ON ${t} WHEN OLD.fid = NEW.fid AND ${nonEmpty}
BEGIN ${upsert} END;
CREATE TRIGGER ${name('update2')} AFTER UPDATE OF geom ON ${t} WHEN OLD.fid = NEW.fid AND ${empty}
BEGIN DELETE FROM ${r} WHERE id = OLD.fid; END;
CREATE TRIGGER ${name('update3')} AFTER UPDATE ON ${t} WHEN OLD.fid != NEW.fid AND ${nonEmpty}
BEGIN DELETE FROM ${r} WHERE id = OLD.fid; ${upsert} END;
CREATE TRIGGER ${name('update4')} AFTER UPDATE ON ${t} WHEN OLD.fid != NEW.fid AND ${empty}
BEGIN DELETE FROM ${r} WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER ${name('delete')} AFTER DELETE ON ${t} WHEN OLD.geom NOT NULL
BEGIN DELETE FROM ${r} WHERE id = OLD.fid; END;`;
}
