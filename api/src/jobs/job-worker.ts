/**
 * One step of an import job (analyse or load), run by the process that claimed it. Progress goes
 * to the job's row at most every `progressMs` (250 ms: ≤ 4 writes a second, each announced to every
 * process by the row's trigger); the step's result and the end of the claim go in one last write.
 * A write that finds the job cancelled (or its lease taken away) aborts the step.
 *
 * How a step ends:
 *   finished             the result is written (awaiting-mapping, done), the claim released
 *   cancelled / failed   written with the error that names the problem and where; upload removed
 *   shutdown             this process stops: the step goes back to the queue for another process
 *   lease lost           another process already failed the job (it thought this one dead)
 */
import { access } from 'node:fs/promises';
import type { FeatureCollection } from 'geojson';
import type { Pool } from '../db/pool.ts';
import { openSource } from '../ingest/formats/index.ts';
import { ImportInputError, type OpenedSource } from '../ingest/formats/types.ts';
import { importKlicAsReport } from '../ingest/klic/import-klic.ts';
import { ImportCancelled, loadSource } from '../ingest/load/load-layer.ts';
import { analyseSource } from './analyse.ts';
import { type ImportJob, TERMINAL, newJob, percent } from './import-job.ts';
import { type JobRow, type SaveOptions, releaseJob, saveJob } from './job-store.ts';
import { retryWhileUnavailable } from '../db/unavailable.ts';

/** Why a step's AbortController was aborted (its `reason`). */
export const ABORT = { shutdown: 'shutdown', cancelled: 'cancelled', leaseLost: 'lease-lost' } as const;

export interface StepDeps {
  pool: Pool;
  srid: number;
  /** this process's name in claimed_by */
  worker: string;
  removeUpload: (filePath: string) => Promise<void>;
  log?: ((msg: string) => void) | undefined;
  progressMs?: number | undefined;
}

export interface Saver {
  poke(): void;
  stop(): Promise<void>;
}

/** At most one write per `minMs`, the latest state always written last (trailing write). */
export function throttledSaver(save: () => Promise<boolean>, minMs: number, onLost: () => void): Saver {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  let inflight: Promise<void> | null = null;
  let dirty = false;
  let stopped = false;
  const run = (): void => {
    timer = null;
    if (stopped) return;
    dirty = false;
    last = Date.now();
    inflight = save()
      .then((ok) => (ok ? undefined : onLost()), () => undefined) // a failed progress write is not the job's failure
      .finally(() => {
        inflight = null;
        if (dirty) poke();
      });
  };
  const poke = (): void => {
    if (stopped) return;
    dirty = true;
    if (timer !== null || inflight !== null) return;
    timer = setTimeout(run, Math.max(0, last + minMs - Date.now()));
  };
  return {
    poke,
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await inflight;
    },
  };
}

async function openUpload(row: JobRow): Promise<OpenedSource> {
  try {
    await access(row.filePath);
  } catch {
    // our configuration, not the analyst's file: every API process must see the same upload directory
    throw new Error(`the uploaded file ${row.filePath} is not on this machine; SAMENHANG_UPLOAD_DIR must be a directory every API process shares`);
  }
  const workDir = `${row.filePath}.d`;
  return openSource(row.filePath, row.epsg === null ? { workDir } : { workDir, epsg: row.epsg });
}

async function analyse(deps: StepDeps, row: JobRow, job: ImportJob, signal: AbortSignal, progress: Saver, opened: OpenedSource | undefined): Promise<void> {
  const source = opened ?? (await openUpload(row));
  try {
    if (source.format === 'klic') {
      // a KLIC delivery needs no mapping: the KLIC importer loads it straight away
      job.format = 'klic';
      job.state = 'loading';
      job.progress = { phase: 'load', parsed: 0, loaded: 0, total: null, percent: 0 };
      progress.poke();
      const report = await importKlicAsReport(deps.pool, row.filePath, deps.srid);
      job.report = { ...report, fileName: job.fileName };
      job.progress = { phase: 'load', parsed: report.read, loaded: report.read, total: report.read, percent: 100 };
      job.state = 'done';
      return;
    }
    await analyseSource(deps.pool, source, job, deps.srid, () => progress.poke(), signal);
  } finally {
    await source.close();
  }
  // analyseSource stops early when aborted: what it has is not the whole file
  if (signal.aborted) throw new ImportCancelled();
  job.state = 'awaiting-mapping';
}

async function load(deps: StepDeps, row: JobRow, job: ImportJob, signal: AbortSignal, progress: Saver): Promise<void> {
  const request = row.loadRequest;
  if (request === null) throw new Error(`import ${row.id} has no mapping to load with`);
  const source = await openUpload(row);
  try {
    job.report = await loadSource(deps.pool, source, {
      srid: deps.srid, mapping: request.mapping, layerName: request.layerName, invalid: request.invalid,
      ownerId: request.ownerId, datasetOwnerId: row.datasetOwnerId ?? undefined, signal,
      onProgress: (p) => {
        job.progress = { phase: 'load', parsed: p.parsed, loaded: p.loaded, total: p.total ?? job.featureCount,
          percent: p.phase === 'write' ? 100 : Math.min(95, percent(p.parsed, p.total ?? job.featureCount, source.progress())) };
        progress.poke();
      },
    });
  } finally {
    await source.close();
  }
  job.state = 'done';
}

/** The error a failed step leaves on its job: 4xx = the file, 500 = us (logged with its stack). */
function failWith(deps: StepDeps, job: ImportJob, err: unknown): void {
  job.state = 'failed';
  if (err instanceof ImportInputError) {
    job.error = { code: err.code, message: err.message, where: err.where, status: err.status };
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  job.error = { code: 'import_failed', message: `${job.fileName}: ${message}`, where: job.fileName, status: 500 };
  deps.log?.(`[import ${job.id}] ${err instanceof Error ? (err.stack ?? message) : message}`);
}

/**
 * Run the claimed step of `row`. `opened`: the upload, already opened by the process that
 * received it (its analysis). Never throws: every outcome is written to the job.
 */
export async function runStep(deps: StepDeps, row: JobRow, controller: AbortController, opened?: OpenedSource): Promise<void> {
  // an analysis handed back by a process that stopped starts again from an empty document
  const job = row.work === 'load' ? row.job : newJob(row.id, row.fileName);
  const signal = controller.signal;
  const save = (o?: SaveOptions): Promise<boolean> => saveJob(deps.pool, deps.worker, job, o);
  const progress = throttledSaver(() => save(), deps.progressMs ?? 250, () => controller.abort(ABORT.cancelled));
  let written = false;
  try {
    if (row.work === 'load') await load(deps, row, job, signal, progress);
    else await analyse(deps, row, job, signal, progress, opened);
    await progress.stop();
    const preview: FeatureCollection | null | undefined = row.work === 'load' ? undefined : job.preview;
    // false: cancelled in the last moment (a load that committed then still counts as cancelled);
    // tried again while the database restarts (≈ 30 s), so a finished step is not failed for a blip
    written = await retryWhileUnavailable(() => save({ finish: true, preview }));
  } catch (err) {
    await progress.stop();
    if (signal.reason === ABORT.shutdown) {
      await releaseJob(deps.pool, deps.worker, row.id, true).catch(() => undefined);
      return;
    }
    if (signal.reason === ABORT.leaseLost) return; // the process that failed the job removed its upload
    if (err instanceof ImportCancelled || signal.aborted) job.state = 'cancelled';
    else failWith(deps, job, err);
    written = await save({ finish: true }).catch(() => false);
  }
  if (!written || TERMINAL.has(job.state)) await deps.removeUpload(row.filePath);
  // a write that found the job cancelled left the claim in place
  if (!written) await releaseJob(deps.pool, deps.worker, row.id, false).catch(() => undefined);
}
