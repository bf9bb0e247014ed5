/**
 * GeoJSON reader (FeatureCollection, single Feature/geometry, or newline-delimited features),
 * streamed with the depth- and size-limited scanner in json-scanner.ts.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { epsgFromCrsName } from '../crs/names.ts';
import {
  type ReaderContext,
  badInput,
  batchSizeOf,
  describeBadGeometry,
  inferFields,
  isGeometry,
  once,
  resolveCrs,
  samplePositions,
  takeFeatures,
  tooLarge,
} from './common.ts';
import { type ByteProgress, readChunks } from './file-io.ts';
import { geoJsonRanges } from './geojson-ranges.ts';
import { GeoJsonScanner, JsonScanError, SKIPPED } from './json-scanner.ts';
import { type CrsInfo, type OpenedSource, type PropertyValue, type Share, type SourceFeature, inShare } from './types.ts';

function scanError(ctx: ReaderContext, err: JsonScanError): Error {
  switch (err.kind) {
    case 'too_deep':
      return badInput(ctx.where, 'too_deep', err.message);
    case 'line_too_long':
      return tooLarge(ctx.where, 'line_too_long', err.message);
    case 'not_geojson':
      return badInput(ctx.where, 'not_geojson', err.message);
    default:
      return badInput(ctx.where, 'bad_json', err.message);
  }
}

/** The legacy `crs` member: {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}}. */
export function crsFromMember(crs: unknown): CrsInfo | null {
  if (crs === null || typeof crs !== 'object') return null;
  const { type, properties } = crs as { type?: unknown; properties?: { name?: unknown; code?: unknown } | null };
  const name = properties?.name;
  if (type === 'name' && typeof name === 'string') {
    const epsg = epsgFromCrsName(name);
    const detail = `GeoJSON crs member ${JSON.stringify(name)}`;
    return epsg === null ? { epsg: null, source: 'unknown', guessed: false, detail: `${detail} is not understood` } : { epsg, source: 'geojson-crs', guessed: false, detail };
  }
  const code = properties?.code;
  if (type === 'EPSG' && (typeof code === 'number' || (typeof code === 'string' && /^\d+$/.test(code)))) {
    return { epsg: Number(code), source: 'geojson-crs', guessed: false, detail: `GeoJSON crs member EPSG ${code}` };
  }
  return { epsg: null, source: 'unknown', guessed: false, detail: `GeoJSON crs member of type ${JSON.stringify(type)} is not understood` };
}

/**
 * The properties of a feature fresh from JSON.parse, made contract values in place (nested values
 * become JSON text): no copy per feature. JSON holds no undefined, NaN or Infinity, and an own
 * `__proto__` key stays an ordinary property because nothing is assigned to a new object.
 */
function ownProperties(raw: unknown): Record<string, PropertyValue> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const props = raw as Record<string, unknown>;
  for (const k of Object.keys(props)) {
    const v = props[k];
    if (v !== null && typeof v === 'object') props[k] = JSON.stringify(v);
  }
  return props as Record<string, PropertyValue>;
}

/** One parsed `features` element → SourceFeature; a bad geometry becomes null with an issue. */
export function toSourceFeature(raw: unknown, index: number): SourceFeature {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { index, geometry: null, properties: {}, issue: 'the feature is not a JSON object' };
  }
  const f = raw as { id?: unknown; geometry?: unknown; properties?: unknown };
  const properties = ownProperties(f.properties);
  if (f.id !== undefined && f.id !== null && !('id' in properties)) properties.id = typeof f.id === 'number' ? f.id : String(f.id);
  if (f.geometry === null || f.geometry === undefined) return { index, geometry: null, properties };
  if (isGeometry(f.geometry)) return { index, geometry: f.geometry, properties };
  return { index, geometry: null, properties, issue: describeBadGeometry(f.geometry) };
}

interface ScanResult {
  scanner: GeoJsonScanner;
  features: AsyncIterable<SourceFeature[]>;
}

function scanFile(ctx: ReaderContext, progress: ByteProgress, batchSize: number, share?: Share): ScanResult {
  // another share's features are scanned (to count them and find where they end) but not parsed
  const skip = share === undefined ? undefined : (n: number) => !inShare(share, n);
  const scanner = new GeoJsonScanner({ maxDepth: ctx.limits.maxJsonDepth, maxItemBytes: ctx.limits.maxLineBytes }, skip);
  async function* features(): AsyncIterable<SourceFeature[]> {
    let index = 0;
    let pending: SourceFeature[] = [];
    const drain = (): void => {
      for (const raw of scanner.features) {
        index++;
        if (raw !== SKIPPED) pending.push(toSourceFeature(raw, index));
      }
      scanner.features.length = 0;
    };
    const flush = function* (all: boolean): Generator<SourceFeature[]> {
      while (pending.length >= batchSize || (all && pending.length > 0)) {
        yield pending.slice(0, batchSize);
        pending = pending.slice(batchSize);
      }
    };
    try {
      for await (const chunk of readChunks(ctx.path, progress)) {
        scanner.write(chunk);
        drain();
        yield* flush(false);
      }
      scanner.end();
      drain();
      yield* flush(true);
    } catch (err) {
      throw err instanceof JsonScanError ? scanError(ctx, err) : err;
    }
  }
  return { scanner, features: features() };
}

/** Open a GeoJSON file: read the first features to learn the CRS, name and fields. */
export async function openGeoJson(ctx: ReaderContext): Promise<OpenedSource> {
  const bytesTotal = (await stat(ctx.path)).size;
  const peekProgress = { bytesRead: 0, bytesTotal };
  const peek = scanFile(ctx, peekProgress, 50);
  const sample = await takeFeatures(peek.features);
  const members = peek.scanner.members;
  const fromFile = members.has('crs') ? crsFromMember(members.get('crs')) : null;
  const crs = resolveCrs(fromFile, ctx.options, () => samplePositions(sample));
  const name = members.get('name');
  const progress = { bytesRead: 0, bytesTotal };
  const ranges = geoJsonRanges(ctx, toSourceFeature, (err) => scanError(ctx, err), progress);
  return {
    format: 'geojson',
    fileName: ctx.fileName,
    layerName: typeof name === 'string' && name.trim() !== '' ? name : basename(ctx.path, extname(ctx.path)),
    crs,
    fields: inferFields(sample.map((f) => f.properties)),
    featureCountHint: null,
    features: once(ctx.where, (batchSize?: number, share?: Share) => scanFile(ctx, progress, batchSizeOf(batchSize), share).features),
    ranges: { locate: ranges.locate, read: ranges.read },
    progress: () => ({ ...progress }),
    close: () => ranges.close(),
  };
}
