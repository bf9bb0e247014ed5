/**
 * Area report jobs (issue 8). A job lives in the memory of the API process (like the import jobs,
 * architecture decision 20): the data stays in PostGIS, a job only holds the finished HTML and PDF
 * of one user's report for a while. Jobs expire (default 30 minutes after they finish), at most
 * `maxJobs` are kept (the oldest finished one makes room; when all are running a new one is
 * refused) and one user runs at most `maxPerUser` at a time. A job belongs to the user who asked:
 * `get` answers nobody else. Each job runs in its requester's row-security context, so every query
 * sees what that user may read and nothing more.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import type { Pool } from '../db/pool.ts';
import { runWithContext } from '../db/tenant-context.ts';
import { contextOf } from '../http/auth.ts';
import { type ReportRequest, collectAnalysis, collectPlan } from './collect.ts';
import { drawTimelines, renderReport } from './html.ts';
import { detailExtents, drawMap, mapExtent } from './map.ts';
import { renderPdf } from './pdf.ts';

export const STEPS = {
  queued: 'In de wachtrij',
  collect: 'Gegevens verzamelen',
  analysis: 'Analyse: bundels, botsingen, graafrust en meekoppelkansen',
  map: 'Kaart tekenen',
  timeline: 'Tijdlijn tekenen',
  html: 'HTML opmaken',
  pdf: 'PDF maken (Chromium)',
  done: 'Klaar',
  failed: 'Mislukt',
} as const;

/** The share of the work done when a step starts (the PDF is the slowest step). */
const PROGRESS: Record<keyof typeof STEPS, number> = { queued: 0, collect: 0.05, analysis: 0.2, map: 0.4, timeline: 0.55, html: 0.6, pdf: 0.65, done: 1, failed: 1 };

export interface ReportJob {
  id: string;
  userId: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  step: keyof typeof STEPS;
  error: string | null;
  title: string;
  fileName: string;
  html: string | null;
  pdf: Buffer | null;
  createdAt: number;
  finishedAt: number | null;
  /** milliseconds until the HTML and until the PDF were ready */
  ms: { html: number | null; pdf: number | null };
}

export interface JobView { id: string; status: ReportJob['status']; progress: number; step: string; error?: string; ms: ReportJob['ms'] }

export class ReportLimitError extends Error {}

export interface ReportJobsOptions { maxJobs?: number; maxPerUser?: number; ttlMs?: number; log?: (msg: string) => void }

export class ReportJobs {
  private readonly jobs = new Map<string, ReportJob>();
  private readonly maxJobs: number;
  private readonly maxPerUser: number;
  private readonly ttlMs: number;
  private readonly log: (msg: string) => void;

  constructor(private readonly pool: Pool, opts: ReportJobsOptions = {}) {
    this.maxJobs = opts.maxJobs ?? 50;
    this.maxPerUser = opts.maxPerUser ?? 2;
    this.ttlMs = opts.ttlMs ?? 30 * 60_000;
    this.log = opts.log ?? console.error;
  }

  /** Start a report for this user; throws ReportLimitError when the limits say no. */
  start(p: Principal & { userId: number }, req: ReportRequest): ReportJob {
    this.expire();
    const mine = [...this.jobs.values()].filter((j) => j.userId === p.userId && (j.status === 'queued' || j.status === 'running'));
    if (mine.length >= this.maxPerUser) throw new ReportLimitError(`you have ${mine.length} reports in the making already; wait until one is done`);
    if (this.jobs.size >= this.maxJobs) {
      const oldest = [...this.jobs.values()].filter((j) => j.finishedAt !== null).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0))[0];
      if (!oldest) throw new ReportLimitError('too many reports are being made; try again in a minute');
      this.jobs.delete(oldest.id);
    }
    const job: ReportJob = {
      id: randomUUID(), userId: p.userId, status: 'queued', step: 'queued', error: null, title: 'Gebiedsrapport', fileName: 'gebiedsrapport',
      html: null, pdf: null, createdAt: Date.now(), finishedAt: null, ms: { html: null, pdf: null },
    };
    this.jobs.set(job.id, job);
    void runWithContext(contextOf(p), () => this.run(job, p, req));
    return job;
  }

  /** The job when it is this user's (and not expired), else null. */
  get(id: string, userId: number | null): ReportJob | null {
    this.expire();
    const job = this.jobs.get(id);
    return job && userId !== null && job.userId === userId ? job : null;
  }

  view(job: ReportJob): JobView {
    return { id: job.id, status: job.status, progress: PROGRESS[job.step], step: STEPS[job.step], ...(job.error ? { error: job.error } : {}), ms: job.ms };
  }

  private expire(now = Date.now()): void {
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > this.ttlMs) this.jobs.delete(id);
  }

  private async run(job: ReportJob, p: Principal, req: ReportRequest): Promise<void> {
    const started = performance.now();
    const step = (s: ReportJob['step']) => {
      job.step = s;
      job.status = 'running';
    };
    try {
      step('collect');
      const plan = await collectPlan(this.pool, p, req);
      if (!plan) throw new Error('the area was not found');
      step('analysis');
      const data = { ...plan, ...(await collectAnalysis(this.pool, p, plan)) };
      job.title = `Gebiedsrapport ${data.area.name}`;
      job.fileName = `gebiedsrapport-${(data.area.code ?? 'kaartuitsnede').toLowerCase()}-${data.today}`;
      step('map');
      const details = detailExtents(data);
      const map = await drawMap(this.pool, p, data, mapExtent(data), { key: 'map', details, inset: true });
      const detailMaps: string[] = [];
      for (const [i, extent] of details.entries()) detailMaps.push(await drawMap(this.pool, p, data, extent, { key: `detail-${i + 1}` }));
      step('timeline');
      const timelines = drawTimelines(data);
      step('html');
      job.html = renderReport(data, { map, details: detailMaps, timelines });
      job.ms.html = Math.round(performance.now() - started);
      step('pdf');
      job.pdf = await renderPdf(job.html, job.title);
      job.ms.pdf = Math.round(performance.now() - started);
      job.step = 'done';
      job.status = 'done';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log(`[samenhang] area report ${job.id} failed in step ${job.step}: ${err instanceof Error ? (err.stack ?? message) : message}`);
      // the client hears the step, the log gets the reason (it may name tables and queries)
      job.error = `het rapport kon niet gemaakt worden in de stap "${STEPS[job.step]}"${job.html ? '; de HTML-versie is er wel' : ''}`;
      job.step = 'failed';
      job.status = 'failed';
    } finally {
      job.finishedAt = Date.now();
    }
  }
}
