/**
 * Import jobs: upload → analyse → (analyst maps) → load → report, with progress pushed to
 * subscribers (SSE) and cancellation — whichever API process a request reaches (issue 9 §4).
 *
 * The job lives in PostgreSQL (job-store.ts, migration 019), which is also the queue: the process
 * that receives an upload analyses it (it has the file open already); a load posted to any process
 * is queued and claimed by the worker loop of any process (SKIP LOCKED), woken by NOTIFY and, as a
 * fallback, every `beatMs`. A worker renews its lease every `beatMs`; a lease older than `leaseMs`
 * (the process died) fails the job with an error that says so. Cancel is a row update whose notice
 * stops the worker wherever it runs. The data only ever reaches PostGIS through loadSource's single
 * transaction, so a lost job loses no data and never half-lands.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from '../db/pool.ts';
import { currentContext, runWithContext } from '../db/tenant-context.ts';
import { openSource } from '../ingest/formats/index.ts';
import type { LoadRequest } from '../model/asset-mapping.ts';
import { type ImportJob, newJob } from './import-job.ts';
import { JobEvents, type JobListener, type JobNotice } from './job-events.ts';
import {
  type JobRow, type KeyedAttempt, claimNext, expireLeases, forgetOldJobs, insertJob, jobUploads, latestKeyedJob, readJob, readOwnJob,
  renewLeases, requestCancel, requestLoad,
} from './job-store.ts';
import { ABORT, runStep } from './job-worker.ts';

export { JobConflict, isKeyTaken, type KeyedAttempt } from './job-store.ts';

export interface ImportJobsOptions {
  /** the tenant-aware pool (db/tenant-context.ts tenantPool) */
  pool: Pool;
  srid: number;
  /** uploads go here; every API process must see the same directory (one machine, or a shared volume) */
  uploadDir: string;
  /** this process's id (also its X-Samenhang-Process header) */
  instance: string;
  log?: (msg: string) => void;
  /** a claim without a heartbeat for this long belongs to a dead process (default 30 s) */
  leaseMs?: number;
  /** heartbeat and fallback poll (default leaseMs / 6) */
  beatMs?: number;
  /** steps this process's worker claims at once (default 2: one per core of the reference machine) */
  concurrency?: number;
  /** an upload directory no job names, untouched this long, is what a process killed mid-upload left (default 1 h) */
  strayUploadMs?: number;
}

interface Held {
  controller: AbortController;
  done: Promise<void>;
}

const HOUR = 3_600_000;

export class ImportJobs {
  readonly events: JobEvents;
  readonly uploadDir: string;
  readonly instance: string;
  /** claimed_by of this process: host/pid/instance, so an operator knows where a job ran */
  readonly worker: string;
  private readonly held = new Map<string, Held>();
  private readonly leaseMs: number;
  private readonly beatMs: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  private lastForget = 0;
  private closed = false;

  constructor(private readonly deps: ImportJobsOptions) {
    this.uploadDir = path.resolve(deps.uploadDir);
    this.instance = deps.instance;
    this.worker = `${hostname()}/${process.pid}/${deps.instance}`;
    this.leaseMs = deps.leaseMs ?? 30_000;
    this.beatMs = deps.beatMs ?? Math.max(100, Math.round(this.leaseMs / 6));
    this.concurrency = deps.concurrency ?? 2;
    this.events = new JobEvents((id) => readJob(deps.pool, id), (n) => this.onNotice(n));
  }

  /** Start the worker loop (heartbeats, lease sweep, fallback poll for queued steps). */
  startWorker(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setInterval(() => void this.tick(), this.beatMs);
    this.timer.unref();
    void this.tick();
  }

  /**
   * Stop: no new claims; steps running here are aborted and go back to the queue, where another
   * process (or this one after a restart) takes them up again from the upload.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.events.close();
    for (const h of this.held.values()) h.controller.abort(ABORT.shutdown);
    const settled = Promise.allSettled([...this.held.values()].map((h) => h.done));
    await Promise.race([settled, new Promise((r) => setTimeout(r, 15_000).unref())]);
    await this.claiming;
  }

  /**
   * A new job for an uploaded file (on disk in uploadDir, size-checked), analysed by this process.
   * Opening it — type allow-list, zip limits, headers — happens before this resolves, so those
   * problems answer the upload with a 4xx; problems found while reading the features fail the job.
   */
  async create(fileName: string, file: string, userId: number, epsg?: number, idempotencyKey?: string): Promise<ImportJob> {
    const job = newJob(randomUUID(), fileName);
    const source = await openSource(file, epsg === undefined ? { workDir: `${file}.d` } : { workDir: `${file}.d`, epsg });
    const context = currentContext();
    try {
      await insertJob(this.deps.pool, { job, userId, context, filePath: file, epsg: epsg ?? null, claimedBy: this.worker, idempotencyKey: idempotencyKey ?? null });
    } catch (err) {
      await source.close();
      throw err;
    }
    const row: JobRow = { id: job.id, userId, context, fileName, filePath: file, epsg: epsg ?? null, job: structuredClone(job),
      work: 'analyse', loadRequest: null, datasetOwnerId: null, claimedBy: this.worker };
    this.run(row, source);
    return job;
  }

  /** The caller's job, as the database has it now. */
  get(id: string, userId: number | null): Promise<ImportJob | null> {
    return readOwnJob(this.deps.pool, id, userId);
  }

  /** The caller's latest attempt under an Idempotency-Key (any state), or null. */
  keyed(userId: number, key: string): Promise<KeyedAttempt | null> {
    return latestKeyedJob(this.deps.pool, userId, key);
  }

  subscribe(id: string, listener: JobListener): () => void {
    return this.events.subscribe(id, listener);
  }

  /** Read a job again for this process's streams (one that may have missed a change). */
  refresh(id: string): void {
    this.events.touch(id);
  }

  /** Queue the load with the analyst's mapping; JobConflict when the job does not await one. */
  async load(id: string, userId: number, request: LoadRequest, datasetOwnerId: number | null): Promise<ImportJob | null> {
    const job = await requestLoad(this.deps.pool, id, userId, request, datasetOwnerId);
    if (job !== null) void this.claim(); // this process may well take it itself, without waiting for the notice
    return job;
  }

  async cancel(id: string, userId: number | null): Promise<ImportJob | null> {
    const c = await requestCancel(this.deps.pool, id, userId);
    if (c === null) return null;
    // a step running here stops now; one running elsewhere on the notice (or its next heartbeat)
    this.held.get(id)?.controller.abort(ABORT.cancelled);
    // nobody works on it: nobody else will remove the upload
    if (!c.claimed) await this.removeUpload(c.filePath);
    this.events.touch(id);
    return c.job;
  }

  private onNotice(n: JobNotice): void {
    if (n.queued) void this.claim();
    if (n.state === 'cancelled') this.held.get(n.id)?.controller.abort(ABORT.cancelled);
  }

  private run(row: JobRow, opened?: Parameters<typeof runStep>[3]): void {
    const controller = new AbortController();
    const held: Held = { controller, done: Promise.resolve() };
    this.held.set(row.id, held);
    const deps = { pool: this.deps.pool, srid: this.deps.srid, worker: this.worker, log: this.deps.log, removeUpload: (f: string) => this.removeUpload(f) };
    // the step reads (stored mappings) with the rights of the analyst who started the job
    held.done = runWithContext(row.context, () => runStep(deps, row, controller, opened))
      .catch((err: unknown) => this.deps.log?.(`[import ${row.id}] ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.held.delete(row.id);
        void this.claim(); // room for the next queued step
      });
  }

  /** Claim queued steps while there is room; one claimer at a time per process. */
  private claim(): Promise<void> {
    if (this.claiming !== null) {
      this.claimAgain = true;
      return this.claiming;
    }
    this.claiming = (async () => {
      do {
        this.claimAgain = false;
        while (!this.closed && this.held.size < this.concurrency) {
          const row = await claimNext(this.deps.pool, this.worker).catch(() => null);
          if (row === null) break;
          this.run(row);
        }
      } while (this.claimAgain && !this.closed);
    })().finally(() => {
      this.claiming = null;
    });
    return this.claiming;
  }

  /** Every beat: renew leases here, fail jobs of dead processes, forget old jobs (hourly), look for queued steps. */
  private async tick(): Promise<void> {
    if (this.closed) return;
    try {
      const ids = [...this.held.keys()];
      const still = await renewLeases(this.deps.pool, this.worker, ids);
      for (const id of ids) {
        const state = still.get(id);
        if (state === undefined) this.held.get(id)?.controller.abort(ABORT.leaseLost);
        else if (state === 'cancelled') this.held.get(id)?.controller.abort(ABORT.cancelled);
      }
      for (const o of await expireLeases(this.deps.pool, this.leaseMs, { worker: this.worker, ids: [...this.held.keys()] })) {
        this.deps.log?.(`[import ${o.id}] its process stopped answering: marked failed`);
        await this.removeUpload(o.filePath);
      }
      if (Date.now() - this.lastForget > HOUR) {
        this.lastForget = Date.now();
        for (const o of await forgetOldJobs(this.deps.pool)) await this.removeUpload(o.filePath);
        await this.removeStrayUploads();
      }
    } catch (err) {
      this.deps.log?.(`[imports] worker beat failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    await this.claim();
  }

  /**
   * At start and hourly: upload directories no job names and nobody wrote to for `strayUploadMs`
   * are what a process killed while receiving an upload (or before its job row was written) left.
   * A job's own upload goes with the job (runStep, expireLeases, cancel, forgetOldJobs).
   */
  private async removeStrayUploads(): Promise<void> {
    const entries = await readdir(this.uploadDir).catch(() => [] as string[]);
    const candidates = entries.filter((e) => e.startsWith('upload-'));
    if (candidates.length === 0) return;
    const named = new Set([...(await jobUploads(this.deps.pool))].map((f) => path.dirname(path.resolve(f))));
    const before = Date.now() - (this.deps.strayUploadMs ?? HOUR);
    for (const e of candidates) {
      const dir = path.join(this.uploadDir, e);
      if (named.has(dir)) continue;
      const inside = await readdir(dir).catch(() => [] as string[]);
      const times = await Promise.all([dir, ...inside.map((f) => path.join(dir, f))].map((f) => stat(f).then((s) => s.mtimeMs, () => 0)));
      if (Math.max(...times) >= before) continue; // still being written (an upload in progress)
      this.deps.log?.(`[imports] removing ${dir}: an upload no job names (its process stopped while receiving it)`);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Remove an upload's directory: only ever one directly inside the upload directory. */
  private async removeUpload(filePath: string): Promise<void> {
    const dir = path.dirname(path.resolve(filePath));
    if (path.dirname(dir) !== this.uploadDir) {
      this.deps.log?.(`[imports] not removing ${dir}: not in the upload directory ${this.uploadDir}`);
      return;
    }
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
