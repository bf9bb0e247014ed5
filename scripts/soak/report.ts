/** Per class and phase: requests, achieved rate, latency percentiles, errors and what was shed; and the printed table. */
import type { PhaseRun, Recorder, Verdict } from './load.ts';

export interface ClassSummary {
  phase: string;
  class: string;
  targetRate: number;
  seconds: number;
  /** requests the generator was due to send */
  requests: number;
  answered: number;
  /** requests sent per second of the phase */
  achievedRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** answers that are neither 2xx/304 nor (in a spike) 429/503, plus socket errors and timeouts */
  errors: number;
  errorRate: number;
  /** of `errors`: answers with a status that is not allowed (the rest are timeouts and connection errors) */
  httpErrors: number;
  /** 429/503 answers where those are allowed (the spike) */
  shed: number;
  statuses: Record<string, number>;
  socketErrors: Record<string, number>;
  /** tile answers from the server's memory (X-Tile-Cache: hit) among those that said */
  cacheHitRatio: number | null;
  kinds: Record<string, { requests: number; errors: number; p95Ms: number }>;
  /** GETs sent again after a reset of a reused keep-alive connection (not errors: a browser does the same) */
  retriedResets: number;
  /** the generator's own lateness: sends more than 50 ms after their time, and the worst */
  lateSends: number;
  maxGeneratorLagMs: number;
}

/** Nearest-rank percentile of a list of milliseconds (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

const round = (v: number, digits = 1): number => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);
const sortedCopy = (v: readonly number[]): Float64Array => Float64Array.from(v).sort();

export function summarise(phase: string, run: PhaseRun, rates: ReadonlyMap<string, number>, verdict: (status: number) => Verdict): ClassSummary[] {
  return [...run.recorders.entries()].map(([name, rec]) => summariseClass(phase, name, rec, rates.get(name) ?? 0, run.seconds, verdict));
}

function summariseClass(phase: string, name: string, rec: Recorder, target: number, seconds: number, verdict: (status: number) => Verdict): ClassSummary {
  const lat = sortedCopy(rec.latencies);
  let httpErrors = 0;
  let shed = 0;
  for (const [status, n] of rec.statuses) {
    const v = verdict(status);
    if (v === 'error') httpErrors += n;
    else if (v === 'shed') shed += n;
  }
  const errors = httpErrors + [...rec.socketErrors.values()].reduce((s, n) => s + n, 0);
  const said = rec.cacheHits + rec.cacheMisses;
  const kinds: ClassSummary['kinds'] = {};
  for (const [k, c] of [...rec.kinds.entries()].sort()) kinds[k] = { requests: c.requests, errors: c.errors, p95Ms: round(percentile(sortedCopy(c.latencies), 95)) };
  return {
    phase, class: name, targetRate: target, seconds: round(seconds, 2), requests: rec.sent, answered: rec.completed,
    achievedRate: round(rec.sent / seconds), p50Ms: round(percentile(lat, 50)), p95Ms: round(percentile(lat, 95)),
    p99Ms: round(percentile(lat, 99)), maxMs: round(lat[lat.length - 1] ?? NaN),
    errors, errorRate: rec.sent === 0 ? 0 : round(errors / rec.sent, 6), httpErrors, shed,
    statuses: Object.fromEntries([...rec.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => [String(s), n])),
    socketErrors: Object.fromEntries(rec.socketErrors), cacheHitRatio: said === 0 ? null : round(rec.cacheHits / said, 3), kinds,
    retriedResets: rec.retried, lateSends: rec.lateSends, maxGeneratorLagMs: round(rec.maxLagMs),
  };
}

/** Statuses of a normal phase: anything but 2xx and 304 is an error. */
export const normalVerdict = (status: number): Verdict => ((status >= 200 && status < 300) || status === 304 ? 'ok' : 'error');
/** Statuses of the spike: 429 and 503 (load shed) are allowed. */
export const spikeVerdict = (status: number): Verdict => (status === 429 || status === 503 ? 'shed' : normalVerdict(status));

export function table(rows: readonly ClassSummary[]): string {
  const head = ['phase', 'class', 'target/s', 'sent/s', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'error %', 'shed', 'cache hit'];
  const body = rows.map((r) => [
    r.phase, r.class, String(r.targetRate), r.achievedRate.toFixed(1), String(r.requests), r.p50Ms.toFixed(1), r.p95Ms.toFixed(1),
    r.p99Ms.toFixed(1), r.maxMs.toFixed(0), String(r.errors), (r.errorRate * 100).toFixed(3), String(r.shed),
    r.cacheHitRatio === null ? '' : `${(r.cacheHitRatio * 100).toFixed(0)} %`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
