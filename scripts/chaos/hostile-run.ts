/**
 * One file through the real HTTP import path, as the browser drives it: POST /api/imports →
 * poll the job until it awaits a mapping or ends → POST the proposed mapping to /load → poll
 * until the end. The outcome is 'succeeded', 'rejected' (a 4xx with a reason, at upload or in the
 * job), 'failed' (a 500 or a job error without a reason: our fault), or 'hang' (no end in time).
 */
import type { Extra } from './hostile-corpus.ts';

export type OutcomeClass = 'succeeded' | 'rejected' | 'failed' | 'hang' | 'unreachable';

export interface Outcome {
  cls: OutcomeClass;
  /** the rejection's code and message, or what went wrong */
  reason: string;
  stage: 'upload' | 'analyse' | 'load' | 'check';
  ms: number;
  /** invalid geometries the analysis named */
  invalid: number;
  /** features the load wrote (null: no load) and features it rejected */
  loaded: number | null;
  rejectedFeatures: number;
  /** problems of the extra checks (csv-formula, invalid) */
  problems: string[];
}

interface JobError {
  code: string;
  message: string;
  status: number;
}

interface Job {
  id: string;
  state: string;
  proposedMapping: { mapping: Record<string, unknown> } | null;
  invalid: { count: number };
  report: { layer?: { datasetId: number }; loaded?: number; rejectedCount?: number } | null;
  error: JobError | null;
}

export interface RunContext {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  layerName: string;
}

const FALLBACK_MAPPING = {
  system: { value: 'overig' }, sourceId: null, assetClass: null, owner: null, material: null, diameterMm: null,
  inServiceYear: null, status: null, condition: null, replacementYear: null, label: null,
};

function headers(ctx: RunContext, json = false): Record<string, string> {
  return { authorization: `Bearer ${ctx.token}`, ...(json ? { 'content-type': 'application/json' } : { 'content-type': 'application/octet-stream' }) };
}

/** A 4xx with a code and a message is a reason; anything else is not. */
function reasonOf(e: Partial<JobError> | undefined): string | null {
  const message = e?.message?.trim() ?? '';
  if (message === '' || /^internal (server )?error$/i.test(message)) return null;
  return `${e?.code ?? '?'}: ${message}`;
}

async function poll(ctx: RunContext, id: string, until: readonly string[], deadline: number): Promise<Job | null> {
  while (Date.now() < deadline) {
    const res = await fetch(`${ctx.baseUrl}/api/imports/${id}`, { headers: headers(ctx), signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    const { job } = (await res.json()) as { job: Job };
    if (until.includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 60));
  }
  return null;
}

function ended(job: Job, stage: Outcome['stage']): Pick<Outcome, 'cls' | 'reason' | 'stage'> {
  if (job.state === 'done') return { cls: 'succeeded', reason: '', stage };
  if (job.state === 'failed') {
    const reason = reasonOf(job.error ?? undefined);
    const ours = (job.error?.status ?? 500) >= 500;
    return { cls: reason !== null && !ours ? 'rejected' : 'failed', reason: `${job.error?.status ?? '?'} ${reason ?? 'no reason given'}`, stage };
  }
  return { cls: 'failed', reason: `job ended ${job.state}`, stage };
}

/** Upload and follow to the end; throws only when the server cannot be reached at all. */
async function journey(ctx: RunContext, name: string, bytes: Uint8Array, query: string, extra: Extra | undefined): Promise<Omit<Outcome, 'ms' | 'problems' | 'loaded' | 'rejectedFeatures'> & { job: Job | null }> {
  const deadline = Date.now() + ctx.timeoutMs;
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  const q = `name=${encodeURIComponent(name)}${query ? `&${query}` : ''}`;
  const up = await fetch(`${ctx.baseUrl}/api/imports?${q}`, { method: 'POST', body: new Blob([new Uint8Array(bytes)]), headers: headers(ctx), signal });
  const body = (await up.json().catch(() => ({}))) as { job?: Job; error?: JobError };
  if (up.status !== 202 || !body.job) {
    const reason = reasonOf(body.error);
    const cls = up.status >= 400 && up.status < 500 && reason !== null ? 'rejected' : 'failed';
    return { cls, reason: `${up.status} ${reason ?? 'no reason given'}`, stage: 'upload', invalid: 0, job: null };
  }
  const analysed = await poll(ctx, body.job.id, ['awaiting-mapping', 'done', 'failed', 'cancelled'], deadline);
  if (!analysed) return { cls: 'hang', reason: `no end of the analysis within ${ctx.timeoutMs} ms`, stage: 'analyse', invalid: 0, job: body.job };
  const invalid = analysed.invalid.count;
  if (analysed.state !== 'awaiting-mapping') return { ...ended(analysed, 'analyse'), invalid, job: analysed };
  const mapping = { ...(analysed.proposedMapping?.mapping ?? FALLBACK_MAPPING) };
  if (extra?.kind === 'csv-formula') Object.assign(mapping, { label: { field: extra.labelField }, material: { field: 'OPMERKING' } });
  const load = await fetch(`${ctx.baseUrl}/api/imports/${analysed.id}/load`, {
    method: 'POST', headers: headers(ctx, true), signal, body: JSON.stringify({ mapping, layerName: ctx.layerName, invalid: 'skip' }),
  });
  if (load.status !== 202) {
    const e = ((await load.json().catch(() => ({}))) as { error?: JobError }).error;
    return { cls: 'failed', reason: `load request answered ${load.status} ${reasonOf(e) ?? ''}`, stage: 'load', invalid, job: analysed };
  }
  const done = await poll(ctx, analysed.id, ['done', 'failed', 'cancelled'], deadline);
  if (!done) return { cls: 'hang', reason: `no end of the load within ${ctx.timeoutMs} ms`, stage: 'load', invalid, job: analysed };
  return { ...ended(done, 'load'), invalid, job: done };
}

/** Split one RFC 4180 CSV text into cells (quotes, doubled quotes, CRLF). */
export function csvCells(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && (c === ',' || c === '\n')) {
      cells.push(cell.replace(/\r$/, ''));
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '') cells.push(cell);
  return cells;
}

/** The layer's CSV export must show every formula cell as text: no cell may start with = + - @ TAB CR unless it is a number. */
async function checkCsvExport(ctx: RunContext, job: Job, marker: string): Promise<string[]> {
  const id = job.report?.layer?.datasetId;
  if (id === undefined) return ['csv-formula: the load report names no dataset'];
  const res = await fetch(`${ctx.baseUrl}/api/datasets/${id}/export?format=csv`, { headers: headers(ctx), signal: AbortSignal.timeout(ctx.timeoutMs) });
  if (!res.ok) return [`csv-formula: export answered ${res.status}`];
  const cells = csvCells((await res.text()).replace(/^\uFEFF/, ''));
  const live = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !Number.isFinite(Number(c)));
  const problems = live.map((c) => `csv-formula: exported cell ${JSON.stringify(c.slice(0, 60))} would run as a formula`);
  if (!cells.some((c) => c.includes(marker))) problems.push(`csv-formula: no exported cell holds the marker ${marker} (the formula cells were not loaded)`);
  return problems;
}

export async function runFile(ctx: RunContext, name: string, bytes: Uint8Array, query = '', extra?: Extra): Promise<Outcome> {
  const started = Date.now();
  try {
    const r = await journey(ctx, name, bytes, query, extra);
    const problems: string[] = [];
    if (extra?.kind === 'invalid') {
      if (r.invalid < extra.min) problems.push(`invalid: the analysis named ${r.invalid} invalid geometries, expected at least ${extra.min}`);
    }
    if (extra?.kind === 'csv-formula' && r.cls === 'succeeded' && r.job) problems.push(...(await checkCsvExport(ctx, r.job, extra.marker)));
    const report = r.job?.report;
    return { cls: r.cls, reason: r.reason, stage: r.stage, invalid: r.invalid, loaded: report?.loaded ?? null, rejectedFeatures: report?.rejectedCount ?? 0, ms: Date.now() - started, problems };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const message = err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
    return { cls: timedOut ? 'hang' : 'unreachable', reason: message, stage: 'upload', invalid: 0, loaded: null, rejectedFeatures: 0, ms: Date.now() - started, problems: [] };
  }
}
