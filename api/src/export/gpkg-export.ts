/**
 * Assets from PostgreSQL into a GeoPackage file: rows arrive through a cursor in batches and go
 * straight into the SQLite transaction, so memory holds one batch whatever the layer size.
 */
import type { Pool } from '../db/pool.ts';
import { ASSET_COLUMNS, type ColumnType } from './columns.ts';
import { fetchInBatches } from './cursor.ts';
import type { ExportSrid } from './formats.ts';
import { envelopeOf } from './gpkg-binary.ts';
import { type GpkgField, type GpkgFieldType, type GpkgSrs, GeoPackageWriter } from './gpkg.ts';
import { type ExportQueryOptions, type GpkgSourceRow, gpkgQuery } from './query.ts';

const FIELD_TYPES: Readonly<Record<ColumnType, GpkgFieldType>> = {
  integer: 'INTEGER',
  real: 'REAL',
  text: 'TEXT',
  date: 'DATE',
  json: 'TEXT',
};

export const ASSET_FIELDS: readonly GpkgField[] = ASSET_COLUMNS.map((c) => ({ name: c.name, type: FIELD_TYPES[c.type] }));

/**
 * The CRS row with its WKT from PostGIS's spatial_ref_sys, the same definition the data was
 * transformed with. The name is the WKT's own (e.g. "Amersfoort / RD New").
 */
export async function srsFromPostgis(pool: Pool, srid: ExportSrid): Promise<GpkgSrs> {
  const r = await pool.query<{ srtext: string }>("SELECT srtext FROM spatial_ref_sys WHERE auth_name = 'EPSG' AND auth_srid = $1", [srid]);
  const wkt = r.rows[0]?.srtext;
  if (!wkt) throw new Error(`EPSG:${srid} is missing from spatial_ref_sys`);
  const wktName = /^[A-Z]+\["([^"]+)"/.exec(wkt)?.[1] ?? `EPSG:${srid}`;
  return {
    id: srid,
    name: srid === 4326 ? 'WGS 84 geodetic' : wktName,
    organization: 'EPSG',
    organizationId: srid,
    definition: wkt,
    description: srid === 4326 ? 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid' : null,
  };
}

export interface GpkgLayer {
  /** Feature table name: a slug, [a-z_][a-z0-9_]*. */
  table: string;
  identifier: string;
  description: string;
}

/**
 * Write `file` (new) with one feature table; returns the number of features written. `signal`
 * stops a long export between batches when nobody is waiting for it any more.
 */
export async function writeGeoPackageExport(
  pool: Pool,
  opts: ExportQueryOptions,
  layer: GpkgLayer,
  file: string,
  signal?: AbortSignal,
): Promise<number> {
  const srsList = await Promise.all([srsFromPostgis(pool, 4326), srsFromPostgis(pool, opts.targetSrid)]);
  const gpkg = GeoPackageWriter.create(file);
  try {
    srsList.forEach((s) => gpkg.addSrs(s));
    const count = await writeAssetTable(pool, gpkg, opts, layer, signal);
    gpkg.commit();
    return count;
  } finally {
    gpkg.abort();
  }
}

/**
 * One feature table of assets in an open GeoPackage (whose SRS rows the caller added); rows come
 * through the cursor batch by batch. Returns the number of features written.
 */
export async function writeAssetTable(pool: Pool, gpkg: GeoPackageWriter, opts: ExportQueryOptions, layer: GpkgLayer, signal?: AbortSignal): Promise<number> {
  const table = gpkg.addFeatureTable({ ...layer, srsId: opts.targetSrid, fields: ASSET_FIELDS });
  for await (const rows of fetchInBatches<GpkgSourceRow>(pool, gpkgQuery(opts))) {
    signal?.throwIfAborted();
    table.insert(
      rows.map((r) => ({
        values: ASSET_COLUMNS.map((c) => cellOf(r[c.name])),
        wkb: r.wkb,
        envelope: envelopeOf(r),
      })),
    );
  }
  return table.finish();
}

function cellOf(value: string | number | Buffer | null | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}
