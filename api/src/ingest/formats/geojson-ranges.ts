/**
 * GeoJSON read by two kinds of thread (load/parallel-stage.ts, decision 113): the load's thread
 * scans the file ONCE to find where each feature is (json-scanner.ts, nothing parsed), and hands the
 * places out by chunks; a staging worker reads a chunk's bytes and parses them. Before, every worker
 * scanned the whole file to find its share. The features, their numbers and every error are those
 * the one-thread reader gives: the same scanner checks depth, size and structure, and a feature
 * that JSON.parse refuses fails with the same message.
 */
import { isAscii } from 'node:buffer';
import { type FileHandle, open } from 'node:fs/promises';
import type { ReaderContext } from './common.ts';
import { type ByteProgress, readChunks } from './file-io.ts';
import { CLOSE_ARRAY, GeoJsonScanner, JsonScanError, OPEN_ARRAY, SKIPPED } from './json-scanner.ts';
import type { FeatureRanges, OpenedSource, SourceFeature } from './types.ts';

/** a chunk's bytes are read at once up to this span; past it (huge features), feature by feature */
const MAX_SPAN = 64 * 1024 * 1024;

type Ranges = NonNullable<OpenedSource['ranges']>;

class ChunkBuilder {
  readonly at: Float64Array;
  count = 0;
  private array = -1;
  oneArray = true;
  readonly values: [number, unknown][] = [];

  constructor(
    readonly first: number,
    size: number,
  ) {
    this.at = new Float64Array(2 * size);
  }

  add(start: number, end: number, array: number): void {
    this.at[2 * this.count] = start;
    this.at[2 * this.count + 1] = end;
    if (this.array >= 0 && array !== this.array) this.oneArray = false;
    this.array = array;
    this.count++;
  }

  addValue(value: unknown): void {
    this.at[2 * this.count] = Number.NaN;
    this.at[2 * this.count + 1] = Number.NaN;
    this.values.push([this.count, value]);
    this.oneArray = false;
    this.count++;
  }

  done(): FeatureRanges {
    const at = this.count * 2 === this.at.length ? this.at : this.at.slice(0, this.count * 2);
    return { first: this.first, count: this.count, at, oneArray: this.oneArray, values: this.values };
  }
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) throw new Error('the file became shorter while it was read');
    got += bytesRead;
  }
}

/**
 * `locate` and `read` of a GeoJSON file. `toFeature` makes a parsed element a SourceFeature;
 * `fail` turns a scanner error into the reader's own; `progress` counts the bytes the scan has
 * passed (the source's progress: the scan runs only a few chunks ahead of the load).
 */
export function geoJsonRanges(
  ctx: ReaderContext,
  toFeature: (raw: unknown, index: number) => SourceFeature,
  fail: (err: JsonScanError) => Error,
  progress: ByteProgress,
): Ranges & { close(): Promise<void> } {
  let fh: FileHandle | null = null;
  // one buffer for every chunk's bytes (read() runs one chunk at a time): a new one per chunk was
  // fresh memory the kernel zeroes each time
  let span = Buffer.alloc(0);
  const spanBuffer = (bytes: number): Buffer => {
    if (span.length < bytes) span = Buffer.allocUnsafe(Math.min(Math.max(bytes, span.length * 2), MAX_SPAN + 2));
    return span.subarray(0, bytes);
  };

  async function* locate(size: number): AsyncIterable<FeatureRanges> {
    const places: number[] = [];
    const scanner = new GeoJsonScanner({ maxDepth: ctx.limits.maxJsonDepth, maxItemBytes: ctx.limits.maxLineBytes }, () => true, (s, e, a) => places.push(s, e, a));
    let index = 0;
    let chunk = new ChunkBuilder(1, size);
    const drain = function* (): Generator<FeatureRanges> {
      let p = 0;
      for (const raw of scanner.features) {
        index++;
        if (raw === SKIPPED) {
          chunk.add(places[p] ?? 0, places[p + 1] ?? 0, places[p + 2] ?? 0);
          p += 3;
        } else chunk.addValue(raw);
        if (chunk.count === size) {
          yield chunk.done();
          chunk = new ChunkBuilder(index + 1, size);
        }
      }
      scanner.features.length = 0;
      places.length = 0;
    };
    let failure: unknown = null;
    try {
      for await (const bytes of readChunks(ctx.path, progress)) {
        scanner.write(bytes);
        yield* drain();
      }
      scanner.end();
    } catch (err) {
      failure = err;
    }
    // the features found before a scan error are still handed out: one of them may fail first (in
    // file order, as on one thread, where JSON.parse of each feature runs as the scan reaches its end)
    yield* drain();
    if (chunk.count > 0) yield chunk.done();
    if (failure !== null) throw failure instanceof JsonScanError ? fail(failure) : failure;
  }

  const parseOne = (text: string, index: number, end: number): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw fail(new JsonScanError(`invalid JSON in feature ${index} (${(err as Error).message})`, 'bad_json', end));
    }
  };

  let reading = false;
  async function read(r: FeatureRanges): Promise<SourceFeature[]> {
    if (reading) throw new Error('GeoJSON chunks are read one at a time (their bytes share one buffer)');
    reading = true;
    try {
      return await readChunk(r);
    } finally {
      reading = false;
    }
  }

  async function readChunk(r: FeatureRanges): Promise<SourceFeature[]> {
    const out: SourceFeature[] = new Array<SourceFeature>(r.count);
    for (const [k, value] of r.values) out[k] = toFeature(value, r.first + k);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < r.count; k++) {
      const s = r.at[2 * k] ?? Number.NaN;
      if (Number.isNaN(s)) continue;
      lo = Math.min(lo, s);
      hi = Math.max(hi, r.at[2 * k + 1] ?? s);
    }
    if (hi <= lo) return out;
    fh ??= await open(ctx.path, 'r');
    // the span is read between one byte before and one after, where "[" and "]" go: the chunk decodes
    // to the text of one array without a second string (a concatenation JSON.parse would flatten)
    const spanned = hi - lo <= MAX_SPAN ? spanBuffer(hi - lo + 2) : null;
    const whole = spanned?.subarray(1, hi - lo + 1) ?? null;
    if (whole !== null) await readFully(fh, whole, lo);
    let parsed: unknown[] | null = null;
    if (spanned !== null && r.oneArray && r.values.length === 0) {
      spanned[0] = OPEN_ARRAY;
      spanned[spanned.length - 1] = CLOSE_ARRAY;
      try {
        // ASCII (most files) decodes the same as Latin-1, which is a plain copy: ~40 % less than UTF-8's check
        const a: unknown = JSON.parse(spanned.toString(isAscii(spanned) ? 'latin1' : 'utf8'));
        if (Array.isArray(a) && a.length === r.count) parsed = a;
      } catch {
        // a feature JSON.parse refuses: found (and named) one by one below
      }
    }
    for (let k = 0; k < r.count; k++) {
      const s = r.at[2 * k] ?? Number.NaN;
      const e = r.at[2 * k + 1] ?? Number.NaN;
      if (Number.isNaN(s)) continue;
      let raw: unknown;
      if (parsed !== null) raw = parsed[k];
      else if (whole !== null) raw = parseOne(whole.toString('utf8', s - lo, e - lo), r.first + k, e);
      else {
        const one = Buffer.allocUnsafe(e - s);
        await readFully(fh, one, s);
        raw = parseOne(one.toString('utf8'), r.first + k, e);
      }
      out[k] = toFeature(raw, r.first + k);
    }
    return out;
  }

  return {
    locate,
    read,
    close: async () => {
      await fh?.close();
      fh = null;
    },
  };
}
