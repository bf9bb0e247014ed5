/**
 * First pass over an uploaded file: format, CRS, fields, a sample for the attribute table, a
 * WGS84 preview for the map, the proposed mapping, and every invalid geometry with the reason
 * (our pre-parse checks plus PostGIS ST_IsValidDetail). Nothing is written.
 */
import type { Feature, Geometry } from 'geojson';
import type { Pool } from '../db/pool.ts';
import { reprojectGeometry } from '../ingest/crs/reproject.ts';
import type { OpenedSource, SourceFeature } from '../ingest/formats/types.ts';
import { ewkbHex, geometryEncoder } from '../ingest/load/encode-geometry.ts';
import { firstPosition } from '../ingest/load/geometry-checks.ts';
import { proposeMapping } from '../ingest/mapping/presets.ts';
import { storedLayer } from '../ingest/mapping/stored-mapping.ts';
import { type ImportJob, percent } from './import-job.ts';

const PREVIEW_MAX = 500;
const SAMPLE_MAX = 20;
const EXAMPLES_MAX = 50;

interface Pending {
  index: number;
  ewkb: string;
  where: [number, number] | null;
}

function toWgs84(g: Geometry, from: number): Geometry | null {
  try {
    return from === 4326 ? g : reprojectGeometry(g, from, 4326);
  } catch {
    return null;
  }
}

async function postgisReasons(pool: Pool, batch: Pending[], job: ImportJob): Promise<void> {
  if (batch.length === 0) return;
  const r = await pool.query<{ i: number; reason: string }>(
    `SELECT t.i, d.reason FROM unnest($1::int[], $2::text[]) AS t(i, w), LATERAL ST_IsValidDetail(t.w::geometry) d
     WHERE NOT d.valid ORDER BY t.i`,
    [batch.map((b) => b.index), batch.map((b) => b.ewkb)],
  );
  const where = new Map(batch.map((b) => [b.index, b.where]));
  for (const row of r.rows) addInvalid(job, row.i, row.reason, where.get(row.i) ?? null);
}

function addInvalid(job: ImportJob, index: number, reason: string, location: [number, number] | null): void {
  job.invalid.count++;
  if (job.invalid.examples.length < EXAMPLES_MAX) job.invalid.examples.push({ index, reason, location });
}

type Encode = ReturnType<typeof geometryEncoder>;

function inspect(job: ImportJob, f: SourceFeature, epsg: number, srid: number, encode: Encode, pending: Pending[], preview: Feature[]): void {
  if (job.sample.length < SAMPLE_MAX) job.sample.push(f.properties);
  const wgs = f.geometry ? toWgs84(f.geometry, epsg) : null;
  const where = firstPosition(wgs);
  let working: Geometry | null = null;
  try {
    working = f.geometry && epsg !== srid ? reprojectGeometry(f.geometry, epsg, srid) : f.geometry;
  } catch {
    working = f.geometry;
  }
  const enc = f.geometry === null && f.issue ? null : encode(working);
  const problem = enc === null ? { reason: f.issue ?? 'Feature has no geometry' } : enc.ok ? null : enc.problem;
  if (problem) addInvalid(job, f.index, problem.reason, where);
  // only what the encoder could not judge goes to PostGIS (polygons, lines without two distinct points)
  else if (enc?.ok && enc.dbCheck !== 'none') pending.push({ index: f.index, ewkb: ewkbHex(enc), where });
  if (wgs && !problem && preview.length < PREVIEW_MAX) {
    preview.push({ type: 'Feature', geometry: wgs, properties: { ...f.properties, __index: f.index } });
  }
}

export async function analyseSource(pool: Pool, source: OpenedSource, job: ImportJob, srid: number, onUpdate: () => void, signal: AbortSignal): Promise<void> {
  job.format = source.format;
  const stored = await storedLayer(pool, source.layerName);
  job.layerName = stored?.layerName ?? source.layerName;
  job.crs = source.crs;
  job.fields = source.fields;
  job.proposedMapping = stored ? { preset: 'stored', mapping: stored.mapping } : proposeMapping(source.fields.map((f) => f.name), source.layerName);
  const preview: Feature[] = [];
  const epsg = source.crs.epsg;
  const idRef = job.proposedMapping.mapping.sourceId;
  const idField = idRef && 'field' in idRef ? idRef.field : null;
  const ids = new Set<string>();
  let duplicates = 0;
  let count = 0;
  const encode = geometryEncoder(srid, false);
  for await (const batch of source.features(1000)) {
    if (signal.aborted) return;
    const pending: Pending[] = [];
    for (const f of batch) {
      if (idField !== null) {
        const id = String(f.properties[idField] ?? '');
        if (ids.has(id)) duplicates++;
        else ids.add(id);
      }
      if (epsg !== null) inspect(job, f, epsg, srid, encode, pending, preview);
      else if (job.sample.length < SAMPLE_MAX) job.sample.push(f.properties);
    }
    await postgisReasons(pool, pending, job);
    count += batch.length;
    job.progress = { phase: 'analyse', parsed: count, loaded: 0, total: source.featureCountHint, percent: percent(count, source.featureCountHint, source.progress()) };
    onUpdate();
  }
  job.featureCount = count;
  if (idField !== null && duplicates > 0) {
    // An id that repeats cannot identify features on a re-import: do not propose it.
    job.proposedMapping = { ...job.proposedMapping, mapping: { ...job.proposedMapping.mapping, sourceId: null } };
    job.warnings.push(`${idField} is not unique (${duplicates} repeated values), so it is not proposed as the source id; features are identified by their number in the file`);
  }
  job.preview = { type: 'FeatureCollection', features: preview };
  job.progress = { phase: 'analyse', parsed: count, loaded: 0, total: count, percent: 100 };
}
