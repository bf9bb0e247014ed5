/**
 * ESRI Shapefile reader (.shp with .shx, .dbf and optional .prj/.cpg beside it, any case):
 * streams the .shp and .dbf side by side, one record of each per feature.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { epsgFromWkt, looksLikeWkt } from '../crs/prj.ts';
import { type ReaderContext, badInput, batchSizeOf, once, resolveCrs, samplePositions, takeFeatures, tooLarge } from './common.ts';
import {
  DBF_PREFIX_BYTES,
  type DbfField,
  type TextDecodeFn,
  dbfFieldInfo,
  decodeDbfRecord,
  isDeletedRecord,
  parseDbfFields,
  parseDbfPrefix,
} from './dbf.ts';
import { type ByteProgress, SequentialReader, readHead } from './file-io.ts';
import { parseShape, shapeWkb } from './shp-geometry.ts';
import { LazyWkbFeature } from './wkb.ts';
import { encodingFromCpg, encodingFromLanguageDriver, makeDecoder } from './text-encoding.ts';
import { type CrsInfo, type OpenedSource, type Share, type SourceFeature, inShare } from './types.ts';

const SHP_HEADER_BYTES = 100;

interface Sidecars {
  shx: string | null;
  dbf: string | null;
  prj: string | null;
  cpg: string | null;
}

/** The .shx/.dbf/.prj/.cpg beside `shpPath`, matched case-insensitively on the base name. */
async function findSidecars(shpPath: string): Promise<Sidecars> {
  const dir = dirname(shpPath);
  const stem = basename(shpPath, extname(shpPath)).toLowerCase();
  const names = await readdir(dir);
  const find = (ext: string) => {
    const hit = names.find((n) => n.toLowerCase() === `${stem}.${ext}`);
    return hit === undefined ? null : join(dir, hit);
  };
  return { shx: find('shx'), dbf: find('dbf'), prj: find('prj'), cpg: find('cpg') };
}

interface ShpHeader {
  shapeType: number;
  bbox: [number, number, number, number];
}

async function readShpHeader(ctx: ReaderContext): Promise<ShpHeader> {
  const head = await readHead(ctx.path, SHP_HEADER_BYTES);
  if (head.length < SHP_HEADER_BYTES || head.readInt32BE(0) !== 9994) {
    throw badInput(ctx.where, 'corrupt_file', 'not a valid .shp file (bad header)');
  }
  return { shapeType: head.readInt32LE(32), bbox: [head.readDoubleLE(36), head.readDoubleLE(44), head.readDoubleLE(52), head.readDoubleLE(60)] };
}

interface DbfInfo {
  recordCount: number;
  headerLength: number;
  recordLength: number;
  fields: DbfField[];
  encoding: string;
}

async function readDbfInfo(ctx: ReaderContext, dbfPath: string, cpgPath: string | null): Promise<DbfInfo> {
  const dbfName = basename(dbfPath);
  const prefixBuf = await readHead(dbfPath, DBF_PREFIX_BYTES);
  if (prefixBuf.length < DBF_PREFIX_BYTES) throw badInput(ctx.where, 'corrupt_file', `${dbfName} is truncated (no header)`);
  const prefix = parseDbfPrefix(prefixBuf);
  const cpg = cpgPath ? encodingFromCpg(await readFile(cpgPath, 'latin1')) : null;
  const encoding = cpg ?? encodingFromLanguageDriver(prefix.languageDriver);
  const header = await readHead(dbfPath, prefix.headerLength);
  if (header.length < prefix.headerLength || prefix.recordLength < 1) throw badInput(ctx.where, 'corrupt_file', `${dbfName} has a corrupt header`);
  const fields = parseDbfFields(header, makeDecoder(encoding));
  return { ...prefix, fields, encoding };
}

async function crsFromPrj(prjPath: string | null): Promise<CrsInfo | null> {
  if (!prjPath) return null;
  const text = (await readFile(prjPath, 'utf8')).slice(0, 64 * 1024);
  const name = basename(prjPath);
  const match = epsgFromWkt(text);
  if (match) return { epsg: match.epsg, source: 'prj', guessed: false, detail: `${name}: ${match.detail}` };
  const what = looksLikeWkt(text) ? 'names a coordinate system that is not recognised' : 'does not hold WKT';
  return { epsg: null, source: 'unknown', guessed: false, detail: `${name} ${what} (${JSON.stringify(text.trim().slice(0, 60))})` };
}

interface ReadState {
  shp: SequentialReader;
  dbf: SequentialReader;
  info: DbfInfo;
  decode: TextDecodeFn;
  shapeType: number;
  shpDone: boolean;
}

type NextShape = Pick<SourceFeature, 'geometry' | 'issue'> | { wkb: Uint8Array };

/** The record at the reader's position, which holds `length` bytes of content. */
function takeShape(s: ReadState, length: number): NextShape {
  const wkb = shapeWkb(s.shp.buf, s.shp.pos + 8, length, s.shapeType);
  const shape = wkb === null ? parseShape(s.shp.buf, s.shp.pos + 8, length, s.shapeType) : null;
  s.shp.pos += 8 + length;
  if (shape === null) return { wkb: wkb ?? new Uint8Array() };
  return shape.issue === undefined ? { geometry: shape.geometry } : { geometry: shape.geometry, issue: shape.issue };
}

function contentLength(ctx: ReaderContext, s: ReadState): number {
  const length = s.shp.buf.readInt32BE(s.shp.pos + 4) * 2;
  if (length > ctx.limits.maxLineBytes) throw tooLarge(ctx.where, 'record_too_large', `a .shp record of ${length} bytes is larger than ${ctx.limits.maxLineBytes}`);
  return length;
}

/** The next record when it is already in the buffer (the usual case: no promise per record), else null. */
function bufferedShape(ctx: ReaderContext, s: ReadState): NextShape | null {
  if (s.shpDone || s.shp.available < 8) return null;
  const length = contentLength(ctx, s);
  return length >= 0 && s.shp.available >= 8 + length ? takeShape(s, length) : null;
}

async function nextShape(ctx: ReaderContext, s: ReadState): Promise<NextShape> {
  if (s.shpDone || !(await s.shp.need(8))) {
    s.shpDone = true;
    return { geometry: null, issue: 'no shape record in the .shp for this row' };
  }
  const length = contentLength(ctx, s);
  if (length < 0 || !(await s.shp.need(8 + length))) throw badInput(ctx.where, 'corrupt_file', 'the .shp file is truncated');
  return takeShape(s, length);
}

/** Pass over the record at the reader's position when it is in the buffer (no promise per record); false when it is not. */
function skipBuffered(ctx: ReaderContext, s: ReadState): boolean {
  if (s.shpDone || s.shp.available < 8) return false;
  const length = contentLength(ctx, s);
  if (length < 0 || s.shp.available < 8 + length) return false;
  s.shp.pos += 8 + length;
  return true;
}

/** Pass over the record at the reader's position without decoding it (another share's). */
async function skipShape(ctx: ReaderContext, s: ReadState): Promise<void> {
  if (s.shpDone || (s.shp.available < 8 && !(await s.shp.need(8)))) {
    s.shpDone = true;
    return;
  }
  const length = contentLength(ctx, s);
  if (length < 0 || (s.shp.available < 8 + length && !(await s.shp.need(8 + length)))) throw badInput(ctx.where, 'corrupt_file', 'the .shp file is truncated');
  s.shp.pos += 8 + length;
}

async function* readFeatures(ctx: ReaderContext, s: ReadState, batchSize: number, share?: Share): AsyncGenerator<SourceFeature[]> {
  const { recordLength, recordCount } = s.info;
  let batch: SourceFeature[] = [];
  for (let record = 1; record <= recordCount; record++) {
    if (s.dbf.available < recordLength && !(await s.dbf.need(recordLength))) {
      throw badInput(ctx.where, 'corrupt_file', `the .dbf file is truncated (record ${record} of ${recordCount})`);
    }
    if (!inShare(share, record)) {
      s.dbf.pos += recordLength;
      if (!skipBuffered(ctx, s)) await skipShape(ctx, s);
      continue;
    }
    const deleted = isDeletedRecord(s.dbf.buf, s.dbf.pos);
    const properties = deleted ? {} : decodeDbfRecord(s.dbf.buf, s.dbf.pos, s.info.fields, s.decode);
    s.dbf.pos += recordLength;
    const shape = bufferedShape(ctx, s) ?? (await nextShape(ctx, s));
    if (deleted) continue;
    batch.push('wkb' in shape ? new LazyWkbFeature(record, properties, shape.wkb) : { index: record, properties, ...shape });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* streamShapefile(ctx: ReaderContext, paths: { dbf: string }, info: DbfInfo, shapeType: number, progress: ByteProgress, batchSize: number, share?: Share): AsyncGenerator<SourceFeature[]> {
  const shp = await SequentialReader.open(ctx.path, progress);
  const dbf = await SequentialReader.open(paths.dbf, progress);
  try {
    await shp.need(SHP_HEADER_BYTES);
    shp.pos = SHP_HEADER_BYTES;
    await dbf.need(info.headerLength);
    dbf.pos = info.headerLength;
    const state: ReadState = { shp, dbf, info, decode: makeDecoder(info.encoding), shapeType, shpDone: false };
    yield* readFeatures(ctx, state, batchSize, share);
  } finally {
    await shp.close();
    await dbf.close();
  }
}

/** Coordinates to guess the CRS from: the header's bounding box, or the first shapes when it is empty. */
async function guessSample(ctx: ReaderContext, header: ShpHeader, info: DbfInfo, dbfPath: string): Promise<number[][]> {
  const [minX, minY, maxX, maxY] = header.bbox;
  const usable = [minX, minY, maxX, maxY].every(Number.isFinite) && minX <= maxX && minY <= maxY && (minX !== 0 || maxX !== 0 || minY !== 0 || maxY !== 0);
  if (usable) return [[minX, minY], [maxX, maxY]];
  const first = await takeFeatures(streamShapefile(ctx, { dbf: dbfPath }, info, header.shapeType, { bytesRead: 0, bytesTotal: 0 }, 200));
  return samplePositions(first);
}

function missing(ctx: ReaderContext, ext: string): Error {
  const name = `${basename(ctx.path, extname(ctx.path))}.${ext}`;
  return badInput(ctx.where, 'missing_sidecar', `${name} is missing: a shapefile needs its .shp, .shx and .dbf files together`);
}

export async function openShapefile(ctx: ReaderContext): Promise<OpenedSource> {
  const sidecars = await findSidecars(ctx.path);
  if (!sidecars.dbf) throw missing(ctx, 'dbf');
  if (!sidecars.shx) throw missing(ctx, 'shx');
  const header = await readShpHeader(ctx);
  const info = await readDbfInfo(ctx, sidecars.dbf, sidecars.cpg);
  const dbfPath = sidecars.dbf;
  const fromFile = await crsFromPrj(sidecars.prj);
  const needGuess = ctx.options.epsg === undefined && (fromFile?.epsg ?? null) === null;
  const sample = needGuess ? await guessSample(ctx, header, info, dbfPath) : [];
  const crs = resolveCrs(fromFile, ctx.options, () => sample);
  const progress = { bytesRead: 0, bytesTotal: (await stat(ctx.path)).size + (await stat(dbfPath)).size };
  return {
    format: 'shapefile',
    fileName: ctx.fileName,
    layerName: basename(ctx.path, extname(ctx.path)),
    crs,
    fields: dbfFieldInfo(info.fields),
    encoding: info.encoding,
    featureCountHint: info.recordCount,
    features: once(ctx.where, (batchSize?: number, share?: Share) => streamShapefile(ctx, { dbf: dbfPath }, info, header.shapeType, progress, batchSizeOf(batchSize), share)),
    progress: () => ({ ...progress }),
    close: async () => undefined,
  };
}
