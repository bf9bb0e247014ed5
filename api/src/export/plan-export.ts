/**
 * Works and moratoria out of the database as GeoJSON, CSV (with WKT) and GeoPackage (both layers
 * in one file), with the API's property names so that a file exported here imports again with
 * `npm run import -- --works`. Plans are small (thousands of rows), so one query per layer.
 * Only rows the caller may read (the row-security context of the pool) and, when asked, inside a
 * bbox and overlapping a time window.
 */
import type { Pool } from '../db/pool.ts';
import { moratoriumReadableSql, workReadableSql } from '../auth/policy.ts';
import { csvRecord, UTF8_BOM } from './csv.ts';
import type { ExportSrid } from './formats.ts';
import { envelopeOf } from './gpkg-binary.ts';
import { type GpkgFieldType, GeoPackageWriter } from './gpkg.ts';
import { srsFromPostgis } from './gpkg-export.ts';
import type { Bbox } from './query.ts';

export type PlanLayer = 'works' | 'moratoria';

interface PlanField {
  name: string;
  sql: string;
  type: GpkgFieldType;
  /** arrays: JSON arrays in GeoJSON, ';'-joined text in CSV and GeoPackage */
  list?: boolean;
  bool?: boolean;
}

const f = (name: string, sql: string, type: GpkgFieldType, extra: Partial<PlanField> = {}): PlanField => ({ name, sql, type, ...extra });

export const PLAN_FIELDS: Readonly<Record<PlanLayer, readonly PlanField[]>> = {
  works: [
    f('id', 'w.id', 'INTEGER'), f('sourceId', 'w.source_id', 'TEXT'), f('title', 'w.title', 'TEXT'), f('owner', 'o.slug', 'TEXT'),
    f('ownerName', 'o.name', 'TEXT'), f('kind', 'w.kind', 'TEXT'), f('systems', 'w.systems', 'TEXT', { list: true }), f('status', 'w.status', 'TEXT'),
    f('opensGround', 'w.opens_ground', 'INTEGER', { bool: true }), f('trenchWidth', 'w.trench_width', 'REAL'),
    f('earliestStart', 'w.earliest_start', 'DATE'), f('preferredStart', 'w.preferred_start', 'DATE'), f('preferredEnd', 'w.preferred_end', 'DATE'),
    f('latestEnd', 'w.latest_end', 'DATE'), f('costEstimate', 'w.cost_estimate::float8', 'REAL'), f('contact', 'w.contact', 'TEXT'),
    f('confidentiality', 'w.confidentiality', 'TEXT'), f('version', 'w.version', 'INTEGER'),
  ],
  moratoria: [
    f('id', 'm.id', 'INTEGER'), f('owner', 'o.slug', 'TEXT'), f('ownerName', 'o.name', 'TEXT'), f('from', 'm.valid_from', 'DATE'),
    f('until', 'm.valid_until', 'DATE'), f('reason', 'm.reason', 'TEXT'), f('exceptions', 'm.exceptions', 'TEXT', { list: true }),
    f('sourceWorkId', 'm.source_work_id', 'INTEGER'), f('confidentiality', 'm.confidentiality', 'TEXT'), f('version', 'm.version', 'INTEGER'),
  ],
};

/** The time a row covers: a work's window (earliest/preferred start .. latest/preferred end), a moratorium's period. */
export const PLAN_WINDOWS: Readonly<Record<PlanLayer, { start: string; end: string }>> = {
  works: { start: 'coalesce(w.earliest_start, w.preferred_start, w.start_date)', end: 'coalesce(w.latest_end, w.preferred_end, w.end_date)' },
  moratoria: { start: 'm.valid_from', end: 'm.valid_until' },
};

export interface PlanSelection {
  srid: ExportSrid;
  bbox: Bbox | null;
  /** ISO dates: works whose window (earliest/preferred start .. latest/preferred end), moratoria whose period, overlaps it */
  from: string | null;
  to: string | null;
  /** policy parameters (auth/policy.ts policyParams) */
  policy: readonly unknown[];
  /** a municipality (CBS code, e.g. GM1641): rows that touch it */
  municipality?: string | null;
}

export type PlanRow = Record<string, unknown> & { geojson: string; wkt: string; wkb: Buffer; minx: number; maxx: number; miny: number; maxy: number };

export async function planRows(pool: Pool, layer: PlanLayer, s: PlanSelection): Promise<PlanRow[]> {
  const fields = PLAN_FIELDS[layer];
  const [alias, table, readable] = layer === 'works' ? ['w', 'work', workReadableSql(5)] : ['m', 'moratorium', moratoriumReadableSql(5)];
  const { start, end } = PLAN_WINDOWS[layer];
  const g = `ST_Force2D(ST_Transform(${alias}.geom, $1::int))`;
  const r = await pool.query<PlanRow>(
    `SELECT ${fields.map((x) => `${x.sql} AS "${x.name}"`).join(', ')},
       ST_AsGeoJSON(${g}, CASE WHEN $1::int = 4326 THEN 7 ELSE 3 END) AS geojson, ST_AsText(${g}) AS wkt,
       ST_AsBinary(${g}, 'NDR') AS wkb, ST_XMin(${g}) AS minx, ST_XMax(${g}) AS maxx, ST_YMin(${g}) AS miny, ST_YMax(${g}) AS maxy
     FROM ${table} ${alias} LEFT JOIN organisation o ON o.id = ${alias}.owner_id
     WHERE ${readable}
       AND ($2::float8[] IS NULL OR ${alias}.geom && ST_Transform(ST_Segmentize(ST_MakeEnvelope(($2::float8[])[1], ($2::float8[])[2], ($2::float8[])[3], ($2::float8[])[4], 4326), 0.001), ST_SRID(${alias}.geom)))
       AND ($3::date IS NULL OR ${end} IS NULL OR ${end} >= $3::date)
       AND ($4::date IS NULL OR ${start} IS NULL OR ${start} <= $4::date)
       AND ($10::text IS NULL OR EXISTS (SELECT 1 FROM municipality g WHERE g.code = $10::text AND ST_Intersects(g.geom, ${alias}.geom)))
       -- a bulk download: never C3 rows of others (auth/policy.ts canExport)
       AND (${alias}.confidentiality <> 'C3' OR ${alias}.owner_id = $6::int)
     ORDER BY ${alias}.id`,
    [s.srid, s.bbox, s.from, s.to, ...s.policy, s.municipality ?? null]);
  return r.rows;
}

function flatValue(field: PlanField, v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (field.list && Array.isArray(v)) return v.join(';');
  if (field.bool) return v === true ? 1 : 0;
  return typeof v === 'number' || typeof v === 'string' ? v : String(v);
}

/** One GeoJSON Feature of a row; `extra` properties come first (the selection export's `layer`). */
export function planFeature(layer: PlanLayer, r: PlanRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Feature', id: r.id, geometry: JSON.parse(r.geojson) as unknown,
    properties: { ...extra, ...Object.fromEntries(PLAN_FIELDS[layer].map((x) => [x.name, r[x.name] ?? null])) },
  };
}

export function planGeoJson(layer: PlanLayer, rows: readonly PlanRow[], srid: ExportSrid): string {
  const crs = srid === 4326 ? '' : `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${srid}"}},`;
  const features = rows.map((r) => JSON.stringify(planFeature(layer, r)));
  return `{"type":"FeatureCollection","name":"${layer}",${crs}"features":[\n${features.join(',\n')}\n]}\n`;
}

export function planCsv(layer: PlanLayer, rows: readonly PlanRow[]): string {
  const fields = PLAN_FIELDS[layer];
  const opens = (x: PlanField, v: unknown) => (x.bool ? (v === true ? 'true' : v === false ? 'false' : null) : flatValue(x, v));
  return UTF8_BOM + csvRecord([...fields.map((x) => x.name), 'wkt'])
    + rows.map((r) => csvRecord([...fields.map((x) => opens(x, r[x.name])), r.wkt])).join('');
}

/** One GeoPackage with a feature table per layer given (werken, graafrust). */
export async function writePlanGeoPackage(pool: Pool, file: string, layers: readonly { layer: PlanLayer; rows: readonly PlanRow[] }[], srid: ExportSrid): Promise<void> {
  const srs = await Promise.all([srsFromPostgis(pool, 4326), srsFromPostgis(pool, srid)]);
  const gpkg = GeoPackageWriter.create(file);
  try {
    srs.forEach((x) => gpkg.addSrs(x));
    for (const { layer, rows } of layers) writePlanTable(gpkg, layer, rows, srid);
    gpkg.commit();
  } finally {
    gpkg.abort();
  }
}

/** The GeoPackage table of a plan layer. */
export const PLAN_TABLES: Readonly<Record<PlanLayer, { table: string; identifier: string }>> = {
  works: { table: 'werken', identifier: 'Geplande werken' },
  moratoria: { table: 'graafrust', identifier: 'Graafrust' },
};

/** One feature table (werken or graafrust) in an open GeoPackage whose SRS rows the caller added; returns the count. */
export function writePlanTable(gpkg: GeoPackageWriter, layer: PlanLayer, rows: readonly PlanRow[], srid: ExportSrid): number {
  const fields = PLAN_FIELDS[layer];
  const table = gpkg.addFeatureTable({
    ...PLAN_TABLES[layer], description: `Samenhang export: ${layer}`, srsId: srid, fields: fields.map((x) => ({ name: x.name, type: x.type })),
  });
  table.insert(rows.map((r) => ({ values: fields.map((x) => flatValue(x, r[x.name])), wkb: r.wkb, envelope: envelopeOf(r) })));
  return table.finish();
}
