/**
 * The analysis benchmark's summary, goals and printed report (scripts/bench/analysis.ts runs it).
 * Goals are those of issue 6 and are judged as they are: a goal that is missed is printed NOT MET.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import type { BrowserResult } from './analysis-browser.ts';
import type { FloorQuery } from './analysis-sql.ts';
import type { PatchSummary } from './analysis-api.ts';
import { quantile } from './analysis-api.ts';
import type { CityStats } from './generate-city.ts';
import { median } from './measure.ts';

export const GOALS = { ratio: 1.5, patchP95Ms: 200, patchShareOfFull: 0.02, frameMs: 16 } as const;

/** Timed runs of one side; a run that hit the statement timeout counts as "more than the timeout". */
export interface Side { runsMs: number[]; timedOut: boolean; medianMs: number | null; timedOutAfterMs: number | null }

/** `timedOutAfterMs`: how long the attempt that hit the limit took (one statement each, so it may exceed the limit). */
export function side(runsMs: number[], timedOut: boolean, timedOutAfterMs: number | null = null): Side {
  return { runsMs, timedOut, medianMs: timedOut || runsMs.length === 0 ? null : median(runsMs), timedOutAfterMs: timedOut ? timedOutAfterMs : null };
}

export interface AnalysisSummary {
  api: Side & { findings: number | null; visible: number | null; serverMs: number | null; bytes: number | null };
  apiRead: Side;
  inProcess: Side;
  owner: Side;
  floor: Record<FloorQuery | 'total', Side & { rows: number | null }>;
  plain: Record<FloorQuery | 'total', Side & { rows: number | null; plan: string }>;
  stored: { byType: Record<string, number>; couplingAssets: number; by: string };
  checks: string[];
  patches: PatchSummary & { computedBy: string };
  browser: BrowserResult;
  goals: { name: string; measured: string; goal: string; met: boolean }[];
}

const fmtMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
const fmtInt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : Math.round(v).toLocaleString('en-US'));
const showSide = (s: Side, timeoutS: number): string =>
  (s.timedOut ? `> ${timeoutS} s (timed out${s.timedOutAfterMs === null ? '' : ` after ${fmtMs(s.timedOutAfterMs)}`})` : fmtMs(s.medianMs));
const showRuns = (s: Side): string => s.runsMs.map((m) => fmtMs(m)).join(', ') || '-';

/** The goals, judged on medians ((a)/(b)) and on nearest-rank p95 ((d), (e)). */
export function judge(s: Omit<AnalysisSummary, 'goals'>, timeoutS: number): AnalysisSummary['goals'] {
  const floor = s.floor.total.medianMs;
  const full = s.api.timedOut ? timeoutS * 1000 : s.api.medianMs;
  const ratio = full !== null && floor ? full / floor : NaN;
  const lower = s.api.timedOut ? '> ' : '';
  const share = full ? s.patches.p95 / full : NaN;
  const p95 = (xs: number[]) => quantile(xs, 0.95);
  return [
    { name: '(a)/(b) full analysis through the API ÷ PostGIS floor (LATERAL)', measured: `${lower}${ratio.toFixed(2)}x`, goal: `≤ ${GOALS.ratio}x`, met: !s.api.timedOut && ratio <= GOALS.ratio },
    { name: '(d) PATCH of one work, p95', measured: fmtMs(s.patches.p95), goal: `< ${GOALS.patchP95Ms} ms`, met: s.patches.stillComputed && s.patches.p95 < GOALS.patchP95Ms },
    // when (a) timed out, the timeout is a lower bound of (a), so the share is an upper bound
    { name: `(d) PATCH p95 ÷ full run (a)${s.api.timedOut ? ' (a ≥ the timeout)' : ''}`, measured: `${s.api.timedOut ? '< ' : ''}${(share * 100).toFixed(2)} %`, goal: `≤ ${GOALS.patchShareOfFull * 100} %`, met: s.patches.stillComputed && share <= GOALS.patchShareOfFull },
    { name: '(e) what-if as the app does it (whatIf, whole call, indexes per view), p95', measured: fmtMs(p95(s.browser.app)), goal: `≤ ${GOALS.frameMs} ms`, met: p95(s.browser.app) <= GOALS.frameMs && s.browser.mismatches === 0 },
    { name: '(e) what-if limited to the shifted work and what is within its reach, p95', measured: fmtMs(p95(s.browser.limited)), goal: `≤ ${GOALS.frameMs} ms`, met: p95(s.browser.limited) <= GOALS.frameMs && s.browser.mismatches === 0 },
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export interface ReportInput {
  city: CityStats;
  options: { repeat: number; timeout: number; patches: number; shifts: number; viewWorks: number };
  environment: Record<string, string | number | boolean>;
  summary: AnalysisSummary;
  commands: Record<string, string>;
}

export function formatReport({ city, options, environment, summary: s, commands }: ReportInput): string {
  const t = options.timeout;
  const full = [
    ['(a) ours: mark stale + GET /api/analysis/findings', showSide(s.api, t), showRuns(s.api),
      s.api.visible === null ? 'no answer (stored findings: below)' : `${fmtInt(s.api.findings)} findings stored, ${fmtInt(s.api.visible)} shown to the caller, ${fmtInt((s.api.bytes ?? 0) / 1024)} kB`],
    ['    GET while computed (read + HTTP only)', showSide(s.apiRead, t), showRuns(s.apiRead), 'no recompute: readFindings for the caller + JSON'],
    ['    refreshAll in-process (app role, row security)', showSide(s.inProcess, t), showRuns(s.inProcess), 'recompute + store, no HTTP, no read'],
    ['    refreshAll as the owner role (for information)', showSide(s.owner, t), showRuns(s.owner), `no row security: NOT how the server runs`],
    ...(['pairs', 'moratoria', 'couplings', 'total'] as const).map((q) => [q === 'pairs' ? `(b) floor LATERAL … OFFSET 0: ${q}` : `                              ${q}`,
      showSide(s.floor[q], t), showRuns(s.floor[q]), q === 'total' ? 'sum per repeat' : `${fmtInt(s.floor[q].rows)} candidate rows`]),
    ...(['pairs', 'moratoria', 'couplings', 'total'] as const).map((q) => [q === 'pairs' ? `(c) floor plain JOIN (info):   ${q}` : `                              ${q}`,
      showSide(s.plain[q], t), showRuns(s.plain[q]), q === 'total' ? 'sum per repeat' : `${fmtInt(s.plain[q].rows)} rows; plan ${s.plain[q].plan}`]),
  ];
  const pt = s.patches;
  const b = s.browser;
  const p95 = (xs: number[]) => quantile(xs, 0.95);
  const out = [
    '',
    `ANALYSIS BENCHMARK — SYNTHETIC city (scripts/bench/generate-city.ts, seed ${city.seed}; not real data): ${fmtInt(city.assets)} asset segments, ${fmtInt(city.trees)} trees,`,
    `  ${fmtInt(city.works)} works 2026–2031, ${fmtInt(city.moratoria)} moratoria, ${city.streets}×${city.streets} streets over ${(city.span / 1000).toFixed(1)} km; generated in ${fmtMs(city.generateMs)}, low-zoom overviews ${fmtMs(city.overviewMs)}, ANALYZE ${fmtMs(city.analyzeMs)}`,
    `median of ${options.repeat} repeat(s), interleaved; every statement limited to ${t} s (a side that hits it is not repeated)`,
    `environment: ${Object.entries(environment).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    '',
    'commands:', ...Object.entries(commands).map(([k, v]) => `  ${k}: ${v}`),
    '',
    table(['full analysis', 'median', 'runs', 'what'], full),
    '',
    `stored findings (${s.stored.by}): ${Object.entries(s.stored.byType).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ')}; assets in couplings ${fmtInt(s.stored.couplingAssets)}`,
    ...s.checks.map((c) => `  check: ${c}`),
    '',
    `(d) incremental: ${pt.runs.length} PATCH /api/works/:id (preferredStart/End ± 1–60 days, If-Match), findings computed by ${pt.computedBy}:`,
    `    p50 ${fmtMs(pt.p50)}, p95 ${fmtMs(pt.p95)}, max ${fmtMs(pt.max)}${pt.stillComputed ? '' : ' — a refresh after an edit FAILED (findings marked stale)'}`,
    `(e) browser what-if in ${b.chromium} (bundle ${b.bundleKb} kB): ${b.inputWorks} works in view, ${fmtInt(b.inputAssets)} dated assets, ${b.inputMoratoria} moratoria`,
    `    (${b.bboxKm2.toFixed(2)} km²; ${fmtInt(b.findingsInView)} findings in view); ${b.shifts} shifts of a random work by 3 months after ${b.warmup} untimed:`,
    `    full recompute of all works in view (info)   median ${fmtMs(median(b.full))}, p95 ${fmtMs(p95(b.full))}`,
    `    as the app does it (whatIf, whole call; its indexes built once per view in ${fmtMs(b.appPrepareMs)}) median ${fmtMs(median(b.app))}, p95 ${fmtMs(p95(b.app))}`,
    `    hand-made reference: the shifted work's reach only (a flatbush index per view, built in ${fmtMs(b.indexMs)},`,
    `      then on average ${b.subset.works.toFixed(1)} works, ${b.subset.assets.toFixed(1)} assets, ${b.subset.moratoria.toFixed(1)} moratoria) median ${fmtMs(median(b.limited))}, p95 ${fmtMs(p95(b.limited))}`,
    `    findings of the shifted work differ between the three: ${b.mismatches} of ${b.shifts + b.warmup}`,
    '',
    table(['goal', 'measured', 'goal', 'result'], s.goals.map((g) => [g.name, g.measured, g.goal, g.met ? 'met' : 'NOT MET'])),
  ];
  return out.join('\n');
}

function version(pkg: string): string {
  try {
    return (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return '?';
  }
}

export function environment(root: string, server: Record<string, string | boolean>): Record<string, string | number | boolean> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  return {
    node: process.version, ...server, esbuild: version('esbuild'), 'playwright-core': version('playwright-core'),
    cpu: cpus()[0]?.model ?? '?', cpus: cpus().length, memoryGb: Math.round(totalmem() / 1024 ** 3),
    commit: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--porcelain']) ? 'yes' : 'no',
  };
}
