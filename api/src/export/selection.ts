/**
 * The selection export (issue 8): several layers — vital systems (assets) and the plan (works,
 * moratoria) — for one area (a municipality or a WGS84 bbox) and time window, in one download:
 * a GeoPackage with a feature table per layer, one GeoJSON FeatureCollection whose features say
 * their `layer`, or CSV with WKT (one layer: a CSV; several: a ZIP with a CSV per layer).
 * Rows come from the existing export queries (query.ts for assets, with the bulk-export rule;
 * plan-export.ts for works and moratoria), so access and columns are those of the single-layer
 * exports. Assets have no time: the window filters works (by their window) and moratoria (by
 * their period) only. Assets stream from a cursor; the plan is small and read in one query.
 */
import type { Writable } from 'node:stream';
import { Writable as WritableStream } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';
import type { Pool } from '../db/pool.ts';
import { type SystemCode, getSystem, isSystemCode } from '../model/systems.ts';
import type { CellValue } from './columns.ts';
import { copyOut } from './copy-out.ts';
import { fetchInBatches } from './cursor.ts';
import { writeCsv } from './csv.ts';
import type { ExportFormat, ExportSrid } from './formats.ts';
import { featureCollectionOpening } from './geojson.ts';
import { srsFromPostgis, writeAssetTable } from './gpkg-export.ts';
import { GeoPackageWriter } from './gpkg.ts';
import { type PlanLayer, PLAN_TABLES, type PlanSelection, planCsv, planFeature, planRows, writePlanTable } from './plan-export.ts';
import { type Bbox, type ExportQueryOptions, assetColumns, csvQuery, geoJsonQuery } from './query.ts';
import { endStream, writeChunk } from './write-chunk.ts';

export type SelectionLayer = SystemCode | PlanLayer;

export const isSelectionLayer = (v: string): v is SelectionLayer => v === 'works' || v === 'moratoria' || isSystemCode(v);
const isPlan = (l: SelectionLayer): l is PlanLayer => l === 'works' || l === 'moratoria';

export interface Selection {
  format: ExportFormat;
  srid: ExportSrid;
  /** distinct, in the order asked */
  layers: readonly SelectionLayer[];
  /** at most one of municipality (CBS code) and bbox (WGS84); neither = everywhere */
  municipality: string | null;
  bbox: Bbox | null;
  /** ISO dates of the time window (works and moratoria only) */
  from: string | null;
  to: string | null;
}

/** The caller and the database a selection is read with. */
export interface SelectionSource {
  pool: Pool;
  workingSrid: number;
  /** policy parameters (auth/policy.ts policyParams) */
  policy: readonly unknown[];
}

/** The GeoPackage table, CSV file and GeoJSON `layer` name of a layer. */
export const layerTable = (l: SelectionLayer): string => (isPlan(l) ? PLAN_TABLES[l].table : l);

async function assetOptions(src: SelectionSource, s: Selection): Promise<(code: SystemCode) => ExportQueryOptions> {
  const columns = await assetColumns(src.pool);
  return (code) => ({
    scope: { kind: 'system', code }, targetSrid: s.srid, workingSrid: src.workingSrid, bbox: s.bbox, municipality: s.municipality,
    assetColumns: columns, policy: src.policy,
  });
}

const planSelection = (src: SelectionSource, s: Selection): PlanSelection => ({
  srid: s.srid, bbox: s.bbox, municipality: s.municipality, from: s.from, to: s.to, policy: src.policy,
});

/**
 * One FeatureCollection; every feature carries `layer`. Returns false when the client went away.
 * Asset layers stream straight from PostgreSQL (copy-out.ts): each row is `,<feature>\n`, and the
 * comma before the collection's first feature is dropped.
 */
export async function writeSelectionGeoJson(src: SelectionSource, s: Selection, out: Writable): Promise<boolean> {
  const options = await assetOptions(src, s);
  // the opening goes out with the first rows, so a query that fails at once can still be answered with a JSON error
  let head = featureCollectionOpening(s.srid, 'samenhang_selectie');
  let any = false;
  const writeFeatures = async (features: string[]): Promise<boolean> => {
    if (features.length === 0) return true;
    const ok = await writeChunk(out, head + (any ? ',\n' : '') + features.join(',\n') + '\n');
    head = '';
    any = true;
    return ok;
  };
  const writeRows = async (chunk: Buffer): Promise<boolean> => {
    const rows = any ? chunk : chunk.subarray(1);
    const ok = await writeChunk(out, head === '' ? rows : Buffer.concat([Buffer.from(head), rows]));
    head = '';
    any = true;
    return ok;
  };
  for (const layer of s.layers) {
    const name = layerTable(layer);
    if (isPlan(layer)) {
      const rows = await planRows(src.pool, layer, planSelection(src, s));
      const features = rows.map((r) => {
        const { type, geometry, properties } = planFeature(layer, r, { layer: name });
        return JSON.stringify({ type, geometry, properties });
      });
      if (!(await writeFeatures(features))) return false;
      continue;
    }
    // PostgreSQL writes each feature with `layer` and `id` as properties; Node passes the bytes on
    if (!(await copyOut(src.pool, geoJsonQuery(options(layer), name, ','), writeRows))) return false;
  }
  if (!(await writeChunk(out, `${head}]}\n`))) return false;
  await endStream(out);
  return true;
}

/** One layer's CSV (RFC 4180 with WKT, formula cells escaped by csv.ts) into `out`, which is ended. */
async function writeLayerCsv(src: SelectionSource, s: Selection, layer: SelectionLayer, out: Writable, options: (code: SystemCode) => ExportQueryOptions): Promise<boolean> {
  if (!isPlan(layer)) return writeCsv(fetchInBatches<Record<string, CellValue>>(src.pool, csvQuery(options(layer))), out);
  const text = planCsv(layer, await planRows(src.pool, layer, planSelection(src, s)));
  if (!(await writeChunk(out, text))) return false;
  await endStream(out);
  return true;
}

/** CSV: the one layer's file. */
export async function writeSelectionCsv(src: SelectionSource, s: Selection, out: Writable): Promise<boolean> {
  const [layer] = s.layers;
  if (layer === undefined) throw new Error('a selection has at least one layer');
  return writeLayerCsv(src, s, layer, out, await assetOptions(src, s));
}

/**
 * A ZIP entry as a Writable: what is written is deflated into `zip`, whose output goes to `sink`;
 * a write waits while `sink` needs draining, so a slow client slows the database reads down. When
 * the client goes away the entry closes (without an error), and the writer stops (writeChunk).
 */
function zipEntry(zip: Zip, name: string, sink: Writable): Writable {
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  const entry: Writable = new WritableStream({
    write(chunk: Buffer, _encoding, callback) {
      file.push(chunk);
      if (!sink.writableNeedDrain) return callback();
      const settle = (gone: boolean): void => {
        sink.off('drain', onDrain);
        sink.off('close', onClose);
        callback();
        if (gone) entry.destroy();
      };
      const onDrain = (): void => settle(false);
      const onClose = (): void => settle(true);
      sink.on('drain', onDrain);
      sink.on('close', onClose);
    },
    final(callback) {
      file.push(new Uint8Array(0), true);
      callback();
    },
  });
  return entry;
}

/** CSV of several layers: a ZIP with `<layer>.csv` per layer. */
export async function writeSelectionZip(src: SelectionSource, s: Selection, out: Writable): Promise<boolean> {
  const options = await assetOptions(src, s);
  let failed: Error | null = null;
  const zip = new Zip((err, data, final) => {
    if (err) failed = err;
    if (err || out.destroyed) return;
    out.write(data);
    if (final) out.end();
  });
  const finished = new Promise<void>((resolve) => {
    if (out.writableFinished) resolve();
    out.once('finish', () => resolve());
    out.once('close', () => resolve());
  });
  for (const layer of s.layers) {
    const entry = zipEntry(zip, `${layerTable(layer)}.csv`, out);
    if (!(await writeLayerCsv(src, s, layer, entry, options))) return false;
    if (failed) throw failed;
  }
  zip.end();
  await finished;
  return out.writableFinished;
}

/** A GeoPackage file (new) with one feature table per layer; returns the features per layer. */
export async function writeSelectionGeoPackage(src: SelectionSource, s: Selection, file: string, signal?: AbortSignal): Promise<Record<string, number>> {
  const options = await assetOptions(src, s);
  const srs = await Promise.all([srsFromPostgis(src.pool, 4326), srsFromPostgis(src.pool, s.srid)]);
  const counts: Record<string, number> = {};
  const gpkg = GeoPackageWriter.create(file);
  try {
    srs.forEach((x) => gpkg.addSrs(x));
    for (const layer of s.layers) {
      const table = layerTable(layer);
      if (isPlan(layer)) {
        counts[table] = writePlanTable(gpkg, layer, await planRows(src.pool, layer, planSelection(src, s)), s.srid);
      } else {
        const names = { table, identifier: getSystem(layer).labelNl, description: `Samenhang export: ${layer}` };
        counts[table] = await writeAssetTable(src.pool, gpkg, options(layer), names, signal);
      }
    }
    gpkg.commit();
    return counts;
  } finally {
    gpkg.abort();
  }
}
