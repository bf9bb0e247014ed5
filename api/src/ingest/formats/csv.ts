/**
 * CSV reader: @loaders.gl/csv (papaparse) in batches, with the delimiter taken from the header
 * line, geometry from a WKT column or x/y columns, and every other column kept as a property.
 *
 * loaders.gl's CSV streamer pulls its input as fast as it can and queues every parsed batch, so a
 * slow consumer would end up with the whole file in memory. The input here is therefore gated (see
 * Gate). Errors
 * are never thrown into the parser (it would swallow them and never finish); the input just ends
 * and the consumer throws.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CSVLoader } from '@loaders.gl/csv';
import { type ReaderContext, badInput, batchSizeOf, inferFields, once, resolveCrs, samplePositions, takeFeatures, tooLarge } from './common.ts';
import { type Delimiter, type GeometryColumns, cellValue, detectDelimiter, findGeometryColumns, rowGeometry } from './csv-columns.ts';
import { type ByteProgress, readChunks, readHead } from './file-io.ts';
import type { OpenedSource, PropertyValue, SourceFeature } from './types.ts';

const HEAD_BYTES = 64 * 1024;

interface CsvPlan {
  delimiter: Delimiter;
  encoding: 'utf-8' | 'windows-1252';
  columns: string[];
  geometry: GeometryColumns;
}

/**
 * Backpressure between the file and the parser, counted in lines: the input waits while it is
 * more than `lagRows` lines ahead of the rows the consumer has taken — unless the consumer is
 * itself waiting on an empty queue (still waiting one macrotask later), which happens when quoted
 * newlines make lines outnumber rows.
 */
class Gate {
  consumerWaiting = false;
  stopped = false;
  error: Error | null = null;
  linesYielded = 0;
  rowsConsumed = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly lagRows: number) {}

  notify(): void {
    this.wake?.();
    this.wake = null;
  }

  async pass(): Promise<void> {
    for (;;) {
      if (this.stopped || this.linesYielded - this.rowsConsumed <= this.lagRows) return;
      if (this.consumerWaiting) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.consumerWaiting) return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }
}

/** Newlines in the chunk and the longest line, given the bytes of the line carried in. */
function scanLines(chunk: Buffer, carried: number): { newlines: number; longest: number; trailing: number } {
  let newlines = 0;
  let longest = 0;
  let lineStart = -carried;
  for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, nl + 1)) {
    newlines++;
    longest = Math.max(longest, nl - lineStart);
    lineStart = nl + 1;
  }
  const trailing = chunk.length - lineStart;
  return { newlines, longest: Math.max(longest, trailing), trailing };
}

/** File chunks for the parser: checks the line length, respects the gate, never throws. */
async function* gatedInput(ctx: ReaderContext, gate: Gate, progress: ByteProgress): AsyncGenerator<Uint8Array> {
  let carried = 0;
  try {
    for await (const chunk of readChunks(ctx.path, progress)) {
      const lines = scanLines(chunk, carried);
      if (lines.longest > ctx.limits.maxLineBytes) {
        gate.error = tooLarge(ctx.where, 'line_too_long', `a line is longer than ${ctx.limits.maxLineBytes} bytes (near byte ${progress.bytesRead})`);
        return;
      }
      carried = lines.trailing;
      yield chunk;
      gate.linesYielded += lines.newlines;
      await gate.pass();
      if (gate.stopped) return;
    }
  } catch (err) {
    gate.error = err as Error;
  }
}

interface CsvBatch {
  data: Record<string, unknown>[];
}

function toFeature(row: Record<string, unknown>, index: number, plan: CsvPlan, propertyColumns: readonly string[]): SourceFeature {
  const decimalComma = plan.delimiter === ';';
  const properties: Record<string, PropertyValue> = {};
  for (const c of propertyColumns) properties[c] = cellValue(row[c], decimalComma);
  const g = rowGeometry(row, plan.geometry);
  return g.issue === undefined ? { index, geometry: g.geometry, properties } : { index, geometry: g.geometry, properties, issue: g.issue };
}

function propertyColumnsOf(plan: CsvPlan): string[] {
  const g = plan.geometry;
  const used = new Set(g.kind === 'wkt' ? [g.wkt] : [g.x, g.y]);
  return plan.columns.filter((c) => !used.has(c));
}

async function* streamCsv(ctx: ReaderContext, plan: CsvPlan, progress: ByteProgress, batchSize: number): AsyncGenerator<SourceFeature[]> {
  const gate = new Gate(Math.max(4 * batchSize, 20_000));
  // header: true, delimiter and encoding reach papaparse unchanged but are missing from
  // CSVLoaderOptions' type; the batch size must be under `core` (else one batch per file)
  const csv = { header: true, delimiter: plan.delimiter, dynamicTyping: false, skipEmptyLines: true, shape: 'object-row-table', encoding: plan.encoding };
  const options = { csv, core: { batchSize }, worker: false };
  const batches = CSVLoader.parseInBatches(gatedInput(ctx, gate, progress), options as unknown as Parameters<typeof CSVLoader.parseInBatches>[1]);
  const it = batches[Symbol.asyncIterator]();
  const propertyColumns = propertyColumnsOf(plan);
  let index = 0;
  try {
    for (;;) {
      gate.consumerWaiting = true;
      gate.notify();
      const next = await it.next();
      gate.consumerWaiting = false;
      if (gate.error) throw gate.error;
      if (next.done) break;
      const batch = next.value as unknown as CsvBatch;
      gate.rowsConsumed += batch.data.length;
      yield batch.data.map((row) => toFeature(row, ++index, plan, propertyColumns));
    }
  } finally {
    gate.stopped = true;
    gate.notify();
  }
}

async function planCsv(ctx: ReaderContext): Promise<CsvPlan> {
  const head = await readHead(ctx.path, HEAD_BYTES);
  const utf8 = isUtf8(head);
  const text = (utf8 ? head.toString('utf8') : new TextDecoder('windows-1252').decode(head)).replace(/^\uFEFF/, '');
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = ctx.options.csv?.delimiter ?? detectDelimiter(headerLine);
  const columns = dedupe(splitHeader(headerLine, delimiter));
  const geometry = findGeometryColumns(columns, ctx.options.csv);
  if (!geometry) {
    throw badInput(ctx.where, 'no_geometry_column', `no geometry column found among ${columns.map((c) => JSON.stringify(c)).join(', ')}; expected a WKT column (wkt, geom, geometry, the_geom) or x/y columns (x/y, lon/lat, longitude/latitude), or choose them`);
  }
  return { delimiter, encoding: utf8 ? 'utf-8' : 'windows-1252', columns, geometry };
}

/** Header cells (quotes removed); enough for naming columns, the parser does the real work. */
function splitHeader(line: string, delimiter: Delimiter): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

/** The same renaming loaders.gl applies to repeated header names (X, X.1, X.2, ...). */
function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const count = seen.get(n) ?? 0;
    seen.set(n, count + 1);
    return count === 0 ? n : `${n}.${count}`;
  });
}

function isUtf8(head: Buffer): boolean {
  try {
    // a multi-byte character cut off at the end of the head is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export async function openCsv(ctx: ReaderContext): Promise<OpenedSource> {
  const plan = await planCsv(ctx);
  const bytesTotal = (await stat(ctx.path)).size;
  const sample = await takeFeatures(streamCsv(ctx, plan, { bytesRead: 0, bytesTotal }, 200));
  const crs = resolveCrs(null, ctx.options, () => samplePositions(sample), 'csv-option');
  const progress = { bytesRead: 0, bytesTotal };
  return {
    format: 'csv',
    fileName: ctx.fileName,
    layerName: basename(ctx.path, extname(ctx.path)),
    crs,
    fields: inferFields(sample.map((f) => f.properties), propertyColumnsOf(plan)),
    encoding: plan.encoding,
    featureCountHint: null,
    features: once(ctx.where, (batchSize?: number) => streamCsv(ctx, plan, progress, batchSizeOf(batchSize))),
    progress: () => ({ ...progress }),
    close: async () => undefined,
  };
}
