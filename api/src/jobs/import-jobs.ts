/**
 * Import jobs of this API process: upload → analyse → (analyst maps) → load → report, with
 * progress pushed to subscribers (SSE) and cancellation. Job state lives in memory; the data only
 * ever reaches PostGIS through loadSource's single transaction, so a lost job loses no data.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from '../db/pool.ts';
import { importKlicAsReport } from '../ingest/klic/import-klic.ts';
import { openSource } from '../ingest/formats/index.ts';
import { ImportInputError, type OpenedSource } from '../ingest/formats/types.ts';
import { ImportCancelled, loadSource } from '../ingest/load/load-layer.ts';
import type { LoadRequest } from '../model/asset-mapping.ts';
import { analyseSource } from './analyse.ts';
import { type ImportJob, TERMINAL, newJob, percent } from './import-job.ts';

type Listener = (job: ImportJob) => void;

interface Entry {
  job: ImportJob;
  file: string;
  /** the analyst's CRS for a file whose CRS is absent or wrong */
  epsg: number | undefined;
  controller: AbortController;
  listeners: Set<Listener>;
  /** the organisation of the user who loads it: the layer is theirs */
  datasetOwnerId?: number | undefined;
}

export class JobConflict extends Error {}

export class ImportJobs {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly deps: { pool: Pool; srid: number; log?: (m: string) => void }) {}

  get(id: string): ImportJob | undefined {
    return this.entries.get(id)?.job;
  }

  subscribe(id: string, listener: Listener): () => void {
    const entry = this.entries.get(id);
    if (!entry) return () => undefined;
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /**
   * Start analysing an uploaded file (already on disk, size-checked). Opening it — type allow-list,
   * zip limits, headers — happens before this resolves, so those problems answer the upload with
   * a 4xx; problems found while reading the features fail the job with the same kind of error.
   */
  async start(fileName: string, file: string, epsg?: number): Promise<ImportJob> {
    const id = randomUUID();
    const entry: Entry = { job: newJob(id, fileName), file, epsg, controller: new AbortController(), listeners: new Set() };
    const source = await this.open(entry);
    this.entries.set(id, entry);
    void this.run(entry, () => this.analyse(entry, source));
    return entry.job;
  }

  load(id: string, request: LoadRequest, datasetOwnerId?: number): ImportJob {
    const entry = this.entries.get(id);
    if (!entry) throw new JobConflict(`import ${id} not found`);
    if (entry.job.state !== 'awaiting-mapping') throw new JobConflict(`import ${id} is ${entry.job.state}, not awaiting a mapping`);
    entry.datasetOwnerId = datasetOwnerId;
    entry.job.state = 'loading';
    entry.job.progress = { phase: 'load', parsed: 0, loaded: 0, total: entry.job.featureCount, percent: 0 };
    this.emit(entry);
    void this.run(entry, () => this.loadLayer(entry, request));
    return entry.job;
  }

  cancel(id: string): ImportJob | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (!TERMINAL.has(entry.job.state)) {
      entry.controller.abort();
      entry.job.state = 'cancelled';
      this.emit(entry);
      void this.cleanup(entry);
    }
    return entry.job;
  }

  private emit(entry: Entry): void {
    for (const l of entry.listeners) l(entry.job);
  }

  private async open(entry: Entry): Promise<OpenedSource> {
    return openSource(entry.file, entry.epsg === undefined ? { workDir: `${entry.file}.d` } : { workDir: `${entry.file}.d`, epsg: entry.epsg });
  }

  private async analyse(entry: Entry, source: OpenedSource): Promise<void> {
    try {
      if (source.format === 'klic') {
        entry.job.format = 'klic';
        entry.job.state = 'loading';
        entry.job.progress = { phase: 'load', parsed: 0, loaded: 0, total: null, percent: 0 };
        this.emit(entry);
        await this.loadKlic(entry);
        return;
      }
      await analyseSource(this.deps.pool, source, entry.job, this.deps.srid, () => this.emit(entry), entry.controller.signal);
    } finally {
      await source.close();
    }
    if (entry.controller.signal.aborted) return;
    entry.job.state = 'awaiting-mapping';
  }

  private async loadKlic(entry: Entry): Promise<void> {
    const report = await importKlicAsReport(this.deps.pool, entry.file, this.deps.srid);
    entry.job.report = { ...report, fileName: entry.job.fileName };
    const read = report.read;
    entry.job.progress = { phase: 'load', parsed: read, loaded: read, total: read, percent: 100 };
    entry.job.state = 'done';
  }

  private async loadLayer(entry: Entry, request: LoadRequest): Promise<void> {
    const source = await this.open(entry);
    try {
      let last = 0;
      entry.job.report = await loadSource(this.deps.pool, source, {
        srid: this.deps.srid, mapping: request.mapping, layerName: request.layerName, invalid: request.invalid,
        ownerId: request.ownerId, datasetOwnerId: entry.datasetOwnerId, signal: entry.controller.signal,
        onProgress: (p) => {
          entry.job.progress = { phase: 'load', parsed: p.parsed, loaded: p.loaded, total: p.total ?? entry.job.featureCount,
            percent: p.phase === 'write' ? 100 : Math.min(95, percent(p.parsed, p.total ?? entry.job.featureCount, source.progress())) };
          if (Date.now() - last > 150 || p.phase === 'write') {
            last = Date.now();
            this.emit(entry);
          }
        },
      });
    } finally {
      await source.close();
    }
    entry.job.state = 'done';
    await this.cleanup(entry);
  }

  /** Run a step; errors become a failed job with a message that names the problem and where. */
  private async run(entry: Entry, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (err instanceof ImportCancelled || entry.job.state === 'cancelled') {
        entry.job.state = 'cancelled';
      } else if (err instanceof ImportInputError) {
        entry.job.state = 'failed';
        entry.job.error = { code: err.code, message: err.message, where: err.where, status: err.status };
      } else {
        entry.job.state = 'failed';
        const message = err instanceof Error ? err.message : String(err);
        entry.job.error = { code: 'import_failed', message: `${entry.job.fileName}: ${message}`, where: entry.job.fileName, status: 500 };
        this.deps.log?.(`[import ${entry.job.id}] ${err instanceof Error ? (err.stack ?? message) : message}`);
      }
      await this.cleanup(entry);
    }
    this.emit(entry);
  }

  private async cleanup(entry: Entry): Promise<void> {
    if (!TERMINAL.has(entry.job.state)) return;
    await rm(path.dirname(entry.file), { recursive: true, force: true }).catch(() => undefined);
  }
}
