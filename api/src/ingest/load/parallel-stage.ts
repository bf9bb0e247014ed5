/**
 * Staging on several cores: the per-feature work of a load (reading, reprojecting, checking,
 * mapping, writing COPY rows) split over worker threads by chunks of the file (chunk c goes to
 * worker c mod n), the rows written to PostgreSQL by this thread in file order. The load stays one
 * COPY in one transaction: workers never touch the database; what needs it (a new owner) they ask
 * for. Everything the single-thread path records (rejected and repaired features, what PostGIS must
 * judge, whether a source id may repeat) is merged back in file order, so the report is the same.
 * docs/architecture.md, decision 110.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportInputError, type OpenedSource } from '../formats/types.ts';
import type { RepeatDetector } from './repeat-detector.ts';
import { type StageContext, type StagePlan, mergeDbChecks } from './stage-features.ts';
import type { ChunkOut, FromWorker, SerializedError, ToWorker, WorkerInit } from './stage-protocol.ts';

/** Set by the bundled command-line import (scripts/lib/cli-bundle.mjs): the worker's bundled entry. */
declare const __SAMENHANG_STAGE_WORKER__: string | undefined;

/** features per chunk: a chunk is one message from a worker */
export const CHUNK_SIZE = 2000;
/** chunks a worker may have waiting to be written (memory: ~0.5 MB each at 1,000,000-segment rows) */
const CREDITS = 4;
/** chunks per worker the load's thread may have located ahead of what is written (GeoJSON: OpenedSource.ranges) */
const AHEAD = 8;
/** below this many features (or bytes, when the count is unknown) the threads cost more than they give */
const MIN_FEATURES = 50_000;
const MIN_BYTES = 16 * 1024 * 1024;

/** How many workers a load of this source gets: 0 means staging on the load's own thread. */
export function stageWorkers(source: OpenedSource, requested: number | undefined): number {
  if (source.reopen === undefined) return 0;
  if (requested !== undefined) return requested;
  const cores = availableParallelism();
  if (cores < 2) return 0;
  const big = source.featureCountHint !== null ? source.featureCountHint >= MIN_FEATURES : source.progress().bytesTotal >= MIN_BYTES;
  return big ? Math.min(cores, 4) : 0;
}

function workerScript(): { url: URL; execArgv: string[] } {
  if (typeof __SAMENHANG_STAGE_WORKER__ === 'string') return { url: pathToFileURL(__SAMENHANG_STAGE_WORKER__), execArgv: [] };
  return { url: new URL('./stage-worker-tsx.mjs', import.meta.url), execArgv: [] };
}

function deserialize(e: SerializedError): Error {
  if (e.input) return new ImportInputError(e.message, e.input.status, e.input.code, e.input.where);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export interface ParallelIo {
  /** write COPY rows (in file order) */
  write(rows: Buffer): Promise<void>;
  /** make organisations of these references; afterwards ctx.ownerIds and ctx.ownerNames hold them */
  createOwners(refs: string[]): Promise<void>;
  onChunk(read: number, staged: number): void;
  signal?: AbortSignal | undefined;
  cancelled(): Error;
}

/**
 * The staging workers of one load, started as soon as the load begins (each opens its source and
 * waits while the load makes its dataset and table: ~0.1 s of a worker's start is spent meanwhile).
 */
export class StagingWorkers {
  private readonly workers: Worker[] = [];
  private readonly queues: ChunkOut[][] = [];
  private readonly done: boolean[] = [];
  private readonly ownerRequests: { worker: Worker; refs: string[] }[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  /** chunks located and sent (feed) and chunks written (run): the scan stays at most AHEAD chunks in front */
  private sent = 0;
  private written = 0;
  private feedWake: (() => void) | null = null;
  /** what the scan of the load's thread (feed) failed with */
  private scanFailure: Error | null = null;

  constructor(
    private readonly source: OpenedSource,
    count: number,
    private readonly size: number,
  ) {
    const reopen = source.reopen;
    if (reopen === undefined) throw new Error(`${source.fileName}: this source cannot be read in parallel`);
    const script = workerScript();
    for (let i = 0; i < count; i++) {
      const data: WorkerInit = { reopen, share: { index: i, count, size }, ranged: source.ranges !== undefined };
      const w = new Worker(script.url, { workerData: data, execArgv: script.execArgv, resourceLimits: { maxYoungGenerationSizeMb: 128 } });
      this.queues.push([]);
      this.done.push(false);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'chunk') this.queues[i]?.push(m);
        else if (m.type === 'owners') this.ownerRequests.push({ worker: w, refs: m.refs });
        else if (m.type === 'done') this.done[i] = true;
        else this.failure ??= deserialize(m.error);
        this.notify();
      });
      w.on('error', (err) => {
        this.failure ??= err;
        this.notify();
      });
      w.on('exit', (code) => {
        if (!this.done[i]) this.failure ??= new Error(`staging worker ${i} stopped (exit code ${code}) before it had read its share`);
        this.notify();
      });
      this.workers.push(w);
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = null;
  }

  /** Find the features on this thread (one scan of the file) and send each chunk's places to its worker. */
  private async feed(): Promise<void> {
    const ranges = this.source.ranges;
    if (ranges === undefined) return;
    try {
      for await (const chunk of ranges.locate(this.size)) {
        while (!this.stopped && this.sent - this.written >= AHEAD * this.workers.length) await new Promise<void>((r) => (this.feedWake = r));
        if (this.stopped || this.failure !== null) return;
        this.sent++;
        const worker = this.workers[Math.floor((chunk.first - 1) / this.size) % this.workers.length];
        worker?.postMessage({ type: 'ranges', ranges: chunk } satisfies ToWorker, [chunk.at.buffer as ArrayBuffer]);
      }
    } catch (err) {
      // raised once everything found before it is staged: a worker may meet an earlier error first
      this.scanFailure = err instanceof Error ? err : new Error(String(err));
    }
    if (!this.stopped) for (const w of this.workers) w.postMessage({ type: 'ranges', ranges: null } satisfies ToWorker);
  }

  /** Stage every feature on the workers (io.onChunk counts them, chunk by chunk in file order). */
  async run(ctx: StageContext, repeats: RepeatDetector, plan: StagePlan, io: ParallelIo): Promise<void> {
    const go: ToWorker = { type: 'go', stage: { ...plan, ownerIds: [...ctx.ownerIds], ownerNames: [...ctx.ownerNames] }, credits: CREDITS };
    for (const w of this.workers) w.postMessage(go);
    const feeding = this.feed();
    const onAbort = (): void => this.notify();
    io.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (this.failure !== null) throw this.failure;
        if (io.signal?.aborted) throw io.cancelled();
        // owner requests are answered one after another, between writes (the COPY is paused for them)
        const request = this.ownerRequests.shift();
        if (request !== undefined) {
          await io.createOwners(request.refs);
          request.worker.postMessage({ type: 'owners', ids: [...ctx.ownerIds], names: [...ctx.ownerNames] } satisfies ToWorker);
          continue;
        }
        const next = nextChunk(this.queues, this.done);
        if (next === 'wait') {
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        if (next === 'end') {
          if (this.scanFailure !== null) throw this.scanFailure;
          return;
        }
        const [worker, chunk] = next;
        this.workers[worker]?.postMessage({ type: 'ack' } satisfies ToWorker);
        if (chunk.rowsLength > 0) await io.write(Buffer.from(chunk.rows, 0, chunk.rowsLength));
        this.written++;
        this.feedWake?.();
        this.feedWake = null;
        ctx.rejected.merge(chunk.rejected);
        ctx.repaired.merge(chunk.repaired);
        mergeDbChecks(ctx, chunk.suspects, chunk.checkAll);
        const h = new Uint32Array(chunk.idHashes);
        for (let k = 0; k + 1 < h.length; k += 2) repeats.addHash(h[k] ?? 0, h[k + 1] ?? 0);
        io.onChunk(chunk.read, chunk.staged);
      }
    } finally {
      io.signal?.removeEventListener('abort', onAbort);
      this.stopped = true;
      this.feedWake?.();
      await feeding;
    }
  }

  /** stop every worker (after the run, or when the load failed before it) */
  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The chunk that comes next in file order: the lowest among the workers' first waiting chunks,
 * once every worker that is still reading has one waiting (each worker's chunks come in order).
 */
function nextChunk(queues: ChunkOut[][], done: boolean[]): [number, ChunkOut] | 'wait' | 'end' {
  let best = -1;
  for (let i = 0; i < queues.length; i++) {
    const head = queues[i]?.[0];
    if (head === undefined) {
      if (!done[i]) return 'wait';
      continue;
    }
    if (best < 0 || head.chunk < (queues[best]?.[0]?.chunk ?? Infinity)) best = i;
  }
  if (best < 0) return 'end';
  const chunk = queues[best]?.shift();
  return chunk === undefined ? 'end' : [best, chunk];
}
