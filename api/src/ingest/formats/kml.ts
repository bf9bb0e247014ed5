/**
 * KML reader: @loaders.gl/kml (togeojson) on the whole document, which is read at once — so the
 * file size limit is checked first, and so is the element nesting (togeojson recurses through
 * folders). KML is WGS 84 longitude/latitude by definition.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { KMLLoader } from '@loaders.gl/kml';
import { type ReaderContext, badInput, featureFromGeoJson, batchSizeOf, inferFields, once, resolveCrs, tooLarge } from './common.ts';
import { parseNumber } from './csv-columns.ts';
import type { CrsInfo, OpenedSource, PropertyValue, SourceFeature } from './types.ts';

/** KML is parsed as one string: beyond this it cannot be held (V8 strings) — convert it first. */
const MAX_KML_BYTES = 256 * 1024 * 1024;

/** Deeper element nesting than this is refused before parsing (real KML nests a few levels). */
export const MAX_XML_DEPTH = 256;

/** Styling properties togeojson adds; they describe the symbol, not the object. */
const STYLE_KEYS = new Set([
  'styleUrl', 'styleHash', 'styleMapHash', 'stroke', 'stroke-opacity', 'stroke-width', 'fill', 'fill-opacity',
  'icon', 'icon-scale', 'icon-color', 'icon-opacity', 'icon-heading', 'icon-offset', 'icon-offset-units',
  'label-scale', 'label-color', 'label-opacity', 'visibility',
]);

const KML_CRS: CrsInfo = { epsg: 4326, source: 'kml', guessed: false, detail: 'KML coordinates are WGS 84 longitude/latitude' };

/** Element nesting depth, counted without building a tree (comments and CDATA are skipped). */
export function xmlDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const tags = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<(\/?)[^\s/>]+[^>]*?(\/?)>/g;
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    if (m[1] === undefined) continue;
    if (m[1] === '/') depth--;
    else if (m[2] !== '/') {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    }
  }
  return max;
}

function toProperties(raw: unknown): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  if (raw === null || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw)) {
    if (STYLE_KEYS.has(k)) continue;
    if (typeof v === 'string') out[k] = parseNumber(v, false) ?? v;
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
    else if (v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
}

async function readKml(ctx: ReaderContext): Promise<SourceFeature[]> {
  const size = (await stat(ctx.path)).size;
  const limit = Math.min(ctx.limits.maxFileBytes, MAX_KML_BYTES);
  if (size > limit) throw tooLarge(ctx.where, 'file_too_large', `the KML file is ${size} bytes (limit for KML ${limit})`);
  const text = await readFile(ctx.path, 'utf8');
  if (xmlDepth(text, MAX_XML_DEPTH) > MAX_XML_DEPTH) throw badInput(ctx.where, 'too_deep', `XML nested deeper than ${MAX_XML_DEPTH} levels`);
  let table: unknown;
  try {
    table = KMLLoader.parseTextSync(text, { kml: { shape: 'geojson-table' } });
  } catch (err) {
    throw badInput(ctx.where, 'bad_kml', `not readable KML (${(err as Error).message})`);
  }
  const features = (table as { features?: unknown[] }).features ?? [];
  return features.map((f, i) => featureFromGeoJson(f, i + 1, toProperties));
}

export async function openKml(ctx: ReaderContext): Promise<OpenedSource> {
  const all = await readKml(ctx);
  const bytesTotal = (await stat(ctx.path)).size;
  let delivered = 0;
  return {
    format: 'kml',
    fileName: ctx.fileName,
    layerName: basename(ctx.path, extname(ctx.path)),
    crs: resolveCrs(KML_CRS, ctx.options, () => []),
    fields: inferFields(all.slice(0, 1000).map((f) => f.properties)),
    featureCountHint: all.length,
    features: once(ctx.where, async function* (batchSize?: number) {
      const size = batchSizeOf(batchSize);
      for (let i = 0; i < all.length; i += size) {
        delivered = Math.min(all.length, i + size);
        yield all.slice(i, i + size);
      }
    }),
    progress: () => ({ bytesRead: all.length > 0 ? Math.round((bytesTotal * delivered) / all.length) : bytesTotal, bytesTotal }),
    close: async () => undefined,
  };
}
