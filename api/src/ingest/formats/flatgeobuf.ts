/**
 * FlatGeobuf reader: header (CRS, columns, count) read by fgb-header.ts, features streamed by
 * @loaders.gl/flatgeobuf (which skips the spatial index and yields features in file order).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { FlatGeobufLoader } from '@loaders.gl/flatgeobuf';
import { epsgFromWkt } from '../crs/prj.ts';
import { type ReaderContext, badInput, featureFromGeoJson, batchSizeOf, once, resolveCrs, samplePositions, takeFeatures } from './common.ts';
import { type FgbHeader, fgbHeaderLength, parseFgbHeader } from './fgb-header.ts';
import { type ByteProgress, readHead } from './file-io.ts';
import type { CrsInfo, FieldInfo, OpenedSource, SourceFeature } from './types.ts';

/** A header larger than this is refused as corrupt (real headers are a few kB, with WKT). */
const MAX_HEADER_BYTES = 10 * 1024 * 1024;

const COLUMN_TYPES: readonly string[] = [
  'number', 'number', 'boolean', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number',
  'string', 'string', 'date', 'unknown',
];

async function readHeader(ctx: ReaderContext): Promise<FgbHeader> {
  try {
    const length = fgbHeaderLength(await readHead(ctx.path, 12));
    if (length > MAX_HEADER_BYTES) throw new Error(`header of ${length} bytes`);
    const header = parseFgbHeader(await readHead(ctx.path, length));
    // the flatgeobuf library sizes such an index in a loop that never ends (hostile-files chaos
    // run, issue 10: a fuzzed header hung the server); a file without a count has no index
    if (header.featuresCount === 0 && header.indexNodeSize > 0) throw new Error('a spatial index over a feature count of 0');
    return header;
  } catch (err) {
    throw badInput(ctx.where, 'corrupt_file', `not a readable FlatGeobuf file (${(err as Error).message})`);
  }
}

function crsOfHeader(header: FgbHeader): CrsInfo | null {
  const crs = header.crs;
  if (!crs) return null;
  const org = crs.org ?? 'EPSG';
  if (org.toUpperCase() === 'EPSG' && crs.code > 0) {
    return { epsg: crs.code, source: 'flatgeobuf', guessed: false, detail: `FlatGeobuf header EPSG:${crs.code}${crs.name ? ` (${crs.name})` : ''}` };
  }
  const fromWkt = crs.wkt ? epsgFromWkt(crs.wkt) : null;
  if (fromWkt) return { epsg: fromWkt.epsg, source: 'flatgeobuf', guessed: false, detail: `FlatGeobuf header WKT: ${fromWkt.detail}` };
  return { epsg: null, source: 'unknown', guessed: false, detail: `FlatGeobuf header CRS ${org}:${crs.code} is not recognised` };
}

function countingStream(path: string, progress: ByteProgress): Readable {
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      progress.bytesRead += chunk.length;
      done(null, chunk);
    },
  });
  return createReadStream(path, { highWaterMark: 1024 * 1024 }).pipe(counter);
}

async function* streamFeatures(ctx: ReaderContext, progress: ByteProgress, batchSize: number): AsyncGenerator<SourceFeature[]> {
  const node = countingStream(ctx.path, progress);
  const features = FlatGeobufLoader.parseInBatchesFromStream(Readable.toWeb(node), { flatgeobuf: { shape: 'geojson-table' } }) as AsyncIterable<unknown>;
  let batch: SourceFeature[] = [];
  let index = 0;
  try {
    for await (const raw of features) {
      batch.push(featureFromGeoJson(raw, ++index));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    throw badInput(ctx.where, 'corrupt_file', `FlatGeobuf feature ${index + 1} cannot be read (${(err as Error).message})`);
  } finally {
    node.destroy();
  }
  if (batch.length > 0) yield batch;
}

export async function openFlatGeobuf(ctx: ReaderContext): Promise<OpenedSource> {
  const header = await readHeader(ctx);
  const fromFile = crsOfHeader(header);
  const env = header.envelope;
  const needGuess = ctx.options.epsg === undefined && (fromFile?.epsg ?? null) === null;
  let sample: number[][] = [];
  if (needGuess && env && env.length >= 4) sample = [[env[0] ?? NaN, env[1] ?? NaN], [env[2] ?? NaN, env[3] ?? NaN]];
  else if (needGuess) sample = samplePositions(await takeFeatures(streamFeatures(ctx, { bytesRead: 0, bytesTotal: 0 }, 50)));
  const crs = resolveCrs(fromFile, ctx.options, () => sample);
  const fields: FieldInfo[] = header.columns.map((c) => ({ name: c.name, type: COLUMN_TYPES[c.type] ?? 'unknown' }));
  const progress = { bytesRead: 0, bytesTotal: (await stat(ctx.path)).size };
  return {
    format: 'flatgeobuf',
    fileName: ctx.fileName,
    layerName: header.name || basename(ctx.path, extname(ctx.path)),
    crs,
    fields,
    featureCountHint: header.featuresCount > 0 ? header.featuresCount : null,
    features: once(ctx.where, (batchSize?: number) => streamFeatures(ctx, progress, batchSizeOf(batchSize))),
    progress: () => ({ ...progress }),
    close: async () => undefined,
  };
}
