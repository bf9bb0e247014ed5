/**
 * Helpers every format reader shares: the reader context, errors that name the file, property
 * values, field types, CRS resolution (file → option override → guess) and batching.
 */
import type { Geometry, Position } from 'geojson';
import { collectPositions, guessCrsFromCoordinates } from '../crs/detect.ts';
import {
  type CrsInfo,
  DEFAULT_LIMITS,
  type FieldInfo,
  ImportInputError,
  type OpenOptions,
  type PropertyValue,
  type SourceFeature,
  type UploadLimits,
} from './types.ts';

export const DEFAULT_BATCH_SIZE = 1000;
/** features read at open time to guess the CRS and field types */
export const SAMPLE_FEATURES = 200;
const SAMPLE_POSITIONS = 10_000;

/** What a reader is told: the file to read, the name to report and the options. */
export interface ReaderContext {
  /** the file to read (inside the scratch directory for zipped sources) */
  path: string;
  /** the name the user gave (the zip's name for zipped sources) */
  fileName: string;
  /** names the dataset inside a zip in messages: 'data.zip: bomen.shp' */
  where: string;
  limits: UploadLimits;
  options: OpenOptions;
}

export function limitsOf(options: OpenOptions): UploadLimits {
  return options.limits ?? DEFAULT_LIMITS;
}

/** ImportInputError 400 whose message starts with where it happened. */
export function badInput(where: string, code: string, problem: string): ImportInputError {
  return new ImportInputError(`${where}: ${problem}`, 400, code, where);
}

export function tooLarge(where: string, code: string, problem: string): ImportInputError {
  return new ImportInputError(`${where}: ${problem}`, 413, code, where);
}

export function batchSizeOf(requested: number | undefined): number {
  return requested !== undefined && Number.isInteger(requested) && requested > 0 ? requested : DEFAULT_BATCH_SIZE;
}

/** One property value as the contract wants it: nested objects/arrays become JSON text. */
export function toPropertyValue(v: unknown): PropertyValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    default:
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return JSON.stringify(v);
  }
}

export function toProperties(raw: unknown): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw)) out[k] = toPropertyValue(v);
  return out;
}

function typeOfValue(v: PropertyValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return 'date';
  return typeof v;
}

/** Field list (in first-seen order) with a type per field, from sampled property records. */
export function inferFields(records: readonly Record<string, PropertyValue>[], order: readonly string[] = []): FieldInfo[] {
  const types = new Map<string, string | null>(order.map((name) => [name, null]));
  for (const rec of records) {
    for (const [name, v] of Object.entries(rec)) {
      const t = typeOfValue(v);
      const seen = types.get(name);
      if (seen === undefined || seen === null) types.set(name, t);
      else if (t !== null && t !== seen) types.set(name, seen === 'date' && t === 'string' ? 'string' : 'unknown');
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'unknown' }));
}

/**
 * The CRS to report: the analyst's override, else what the file says, else a guess from the
 * sampled coordinates.
 */
export function resolveCrs(
  fromFile: CrsInfo | null,
  options: OpenOptions,
  sample: () => Iterable<readonly number[]>,
  overrideSource: CrsInfo['source'] = 'option',
): CrsInfo {
  if (options.epsg !== undefined) {
    const was = fromFile ? ` (the file says ${fromFile.epsg === null ? 'nothing usable' : `EPSG:${fromFile.epsg}`})` : '';
    return { epsg: options.epsg, source: overrideSource, guessed: false, detail: `EPSG:${options.epsg} chosen by the analyst${was}` };
  }
  if (fromFile && fromFile.epsg !== null) return fromFile;
  const guessed = guessCrsFromCoordinates(sample());
  return fromFile ? { ...guessed, detail: `${fromFile.detail}; ${guessed.detail}` } : guessed;
}

/** Positions of the sampled features' geometries (for guessing the CRS). */
export function samplePositions(features: readonly SourceFeature[]): Position[] {
  const out: Position[] = [];
  for (const f of features) collectPositions(f.geometry, out, SAMPLE_POSITIONS);
  return out;
}

/** The first `max` features of a fresh feature stream (the stream is then abandoned). */
export async function takeFeatures(stream: AsyncIterable<SourceFeature[]>, max = SAMPLE_FEATURES): Promise<SourceFeature[]> {
  const out: SourceFeature[] = [];
  for await (const batch of stream) {
    out.push(...batch.slice(0, max - out.length));
    if (out.length >= max) break;
  }
  return out;
}

/** Re-chunk a stream of single features into arrays of at most `size`. */
export async function* rebatch(items: AsyncIterable<SourceFeature>, size: number): AsyncIterable<SourceFeature[]> {
  let batch: SourceFeature[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Guards `features()` against a second call (the contract allows one). */
export function once<A extends unknown[], T>(where: string, make: (...args: A) => T): (...args: A) => T {
  let used = false;
  return (...args: A) => {
    if (used) throw new Error(`${where}: features() may be called only once`);
    used = true;
    return make(...args);
  };
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

function isPosition(v: unknown): boolean {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

function nestedPositions(v: unknown, levels: number): boolean {
  if (!Array.isArray(v)) return false;
  if (levels === 0) return isPosition(v);
  return v.every((child) => nestedPositions(child, levels - 1));
}

const LEVELS: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** Type guard for a structurally sound GeoJSON geometry (coordinates nested as the type says). */
export function isGeometry(v: unknown, depth = 0): v is Geometry {
  if (v === null || typeof v !== 'object' || depth > 8) return false;
  const g = v as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (g.type === 'GeometryCollection') {
    return Array.isArray(g.geometries) && g.geometries.every((m) => isGeometry(m, depth + 1));
  }
  if (typeof g.type !== 'string' || !GEOMETRY_TYPES.has(g.type)) return false;
  return nestedPositions(g.coordinates, LEVELS[g.type] ?? 0);
}

/** The reason a geometry value is not usable, for SourceFeature.issue. */
export function describeBadGeometry(v: unknown): string {
  if (v === null || typeof v !== 'object') return `geometry is not an object (${JSON.stringify(v)?.slice(0, 40)})`;
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || (!GEOMETRY_TYPES.has(type) && type !== 'GeometryCollection')) {
    return `unknown geometry type ${JSON.stringify(type)?.slice(0, 40)}`;
  }
  return `${type} has malformed coordinates`;
}

/** A parsed GeoJSON-like feature → SourceFeature; a geometry that is not GeoJSON becomes an issue. */
export function featureFromGeoJson(
  raw: unknown,
  index: number,
  props: (raw: unknown) => Record<string, PropertyValue> = toProperties,
): SourceFeature {
  const f = (raw ?? {}) as { geometry?: unknown; properties?: unknown };
  const properties = props(f.properties);
  if (f.geometry === null || f.geometry === undefined) return { index, geometry: null, properties };
  if (isGeometry(f.geometry)) return { index, geometry: f.geometry, properties };
  return { index, geometry: null, properties, issue: describeBadGeometry(f.geometry) };
}
