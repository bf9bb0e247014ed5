/**
 * The client benchmark's figures (issue 9, "Client" goal): long tasks per step of the journey,
 * tiles and GeoJSON seen on the network, the goals, the printed report, and the summary of the
 * Chromium trace of the --profile run (which code ran inside each long task).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { quantile } from './analysis-api.ts';
import type { CityStats } from './generate-city.ts';
import type { Goal } from './tiles-report.ts';

/** The goal's own limit: Chromium's long-task API reports exactly the tasks above it. */
export const LONG_TASK_MS = 50;
/** Above this many features a layer must come as vector tiles, never as GeoJSON (issue 9). */
export const GEOJSON_LIMIT = 100_000;

export type StepKind = 'load' | 'fit' | 'zoom' | 'move' | 'pan' | 'screenshot';
export interface StepRecord { name: string; kind: StepKind; zoom: number; ms: number; tiles: number; tileBytes: number }
export interface LongTask { step: string; start: number; duration: number; attribution: string[] }
export interface FrameScript { invoker: string; type: string; source: string; duration: number }
/** A long animation frame (LoAF): the frame's scripts say which callbacks ran in it. */
export interface LongFrame { step: string; start: number; duration: number; renderMs: number; scripts: FrameScript[] }
export interface FeatureCollectionSeen { path: string; features: number; networkFeatures: number; bytes: number }
export interface RunResult {
  run: number;
  steps: StepRecord[];
  tasks: LongTask[];
  frames: LongFrame[];
  /** per tile layer: tiles, their bytes, and the largest one's bytes */
  tiles: Record<string, { count: number; bytes: number; max: number }>;
  featureCollections: FeatureCollectionSeen[];
  /** requests under /tiles/ that were neither a .mvt tile nor a TileJSON */
  otherTileRequests: string[];
  pageErrors: string[];
  loadAverage: [number, number];
  /** frames the page put off while the GPU had not finished the one before (web/src/map/gpu-pacing.ts) */
  framesDeferred: number;
}

export interface StepRow {
  step: string; kind: StepKind; runs: number; meanMs: number; tiles: number; tileKb: number; longTasks: number; maxMs: number; p95Ms: number;
  /** long-task time per run, and the long animation frames (≥ 50 ms from first task to paint, idle gaps included) */
  blockedMs: number; longFrames: number; maxFrameMs: number;
}

/** Step names in journey order, one row each; the runs' figures pooled (tiles: mean per run). */
export function stepRows(runs: readonly RunResult[]): StepRow[] {
  const names = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.name)))];
  return names.map((name) => {
    const steps = runs.flatMap((r) => r.steps.filter((s) => s.name === name));
    const durations = runs.flatMap((r) => r.tasks.filter((t) => t.step === name).map((t) => t.duration));
    const frames = runs.flatMap((r) => r.frames.filter((f) => f.step === name));
    const per = Math.max(1, runs.filter((r) => r.steps.some((s) => s.name === name)).length);
    return {
      step: name, kind: steps[0]?.kind ?? 'pan', runs: per, meanMs: steps.reduce((a, s) => a + s.ms, 0) / Math.max(1, steps.length),
      tiles: steps.reduce((a, s) => a + s.tiles, 0) / per, tileKb: steps.reduce((a, s) => a + s.tileBytes, 0) / per / 1024,
      longTasks: durations.length, maxMs: durations.length ? Math.max(...durations) : 0, p95Ms: durations.length ? quantile(durations, 0.95) : NaN,
      blockedMs: durations.reduce((a, d) => a + d, 0) / per, longFrames: frames.length, maxFrameMs: Math.max(0, ...frames.map((f) => f.duration)),
    };
  });
}

/** The goal speaks of panning and zooming: page load and the bench's own screenshots are shown but not judged. */
const judged = (kind: StepKind) => kind !== 'load' && kind !== 'screenshot';

export function judgeClient(runs: readonly RunResult[], rows: readonly StepRow[]): Goal[] {
  const journey = rows.filter((r) => judged(r.kind));
  const max = Math.max(0, ...journey.map((r) => r.maxMs));
  const count = journey.reduce((a, r) => a + r.longTasks, 0);
  const fcs = runs.flatMap((r) => r.featureCollections);
  const biggest = Math.max(0, ...fcs.map((f) => f.features));
  const networkGeoJson = fcs.reduce((a, f) => a + f.networkFeatures, 0);
  const tiles = runs.reduce((a, r) => a + Object.values(r.tiles).reduce((b, t) => b + t.count, 0), 0);
  const other = runs.flatMap((r) => r.otherTileRequests).length;
  return [
    { name: 'no main-thread task over 50 ms while panning and zooming', measured: `max ${max.toFixed(0)} ms, ${count} long task(s) in ${runs.length} run(s)`, goal: `≤ ${LONG_TASK_MS} ms`, pass: count === 0 },
    { name: 'networks drawn from .mvt vector tiles only', measured: `${tiles} tiles; ${networkGeoJson} network features as GeoJSON; ${other} other /tiles requests`, goal: '0 as GeoJSON', pass: tiles > 0 && networkGeoJson === 0 && other === 0 },
    { name: 'largest GeoJSON response', measured: `${biggest.toLocaleString('en-US')} features`, goal: `≤ ${GEOJSON_LIMIT.toLocaleString('en-US')}`, pass: biggest <= GEOJSON_LIMIT },
  ];
}

/** Where the long frames' time went, from their LoAF script entries: invoker → total ms; the rest is rendering or native work. */
export function frameCauses(runs: readonly RunResult[]): { name: string; ms: number; frames: number }[] {
  const by = new Map<string, { ms: number; frames: Set<LongFrame> }>();
  const add = (key: string, ms: number, f: LongFrame) => {
    const e = by.get(key) ?? { ms: 0, frames: new Set<LongFrame>() };
    e.ms += ms;
    e.frames.add(f);
    by.set(key, e);
  };
  for (const f of runs.flatMap((r) => r.frames).filter((f) => judged(kindOf(runs, f.step)))) {
    let scripted = 0;
    for (const s of f.scripts) {
      scripted += s.duration;
      add(`${s.type} ${s.invoker}${s.source ? ` (${s.source})` : ''}`, s.duration, f);
    }
    add('rendering (style, layout, paint: after renderStart)', f.renderMs, f);
    add('the rest: tasks without a script entry, GC, and idle gaps inside the frame (waiting for the GPU process)', Math.max(0, f.duration - scripted - f.renderMs), f);
  }
  return [...by].map(([name, e]) => ({ name, ms: e.ms, frames: e.frames.size })).sort((a, b) => b.ms - a.ms);
}

const kindOf = (runs: readonly RunResult[], step: string): StepKind => runs.flatMap((r) => r.steps).find((s) => s.name === step)?.kind ?? 'pan';

// ---- the Chromium trace of the --profile run --------------------------------------------------

export interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; id?: string; args?: { name?: string; data?: Record<string, unknown> } }
interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; parent?: number }
export interface Share { name: string; ms: number }
export interface TraceSummary {
  longTasks: { step: string; ms: number; top: string }[];
  /** per step of the journey: its long tasks, and the traced events and JS packages that took their time */
  steps: { step: string; tasks: number; ms: number; events: string; packages: string }[];
  /** top-level events inside the long tasks (FunctionCall, FireAnimationFrame, GC, Layout, …) */
  events: Share[];
  /** sampled self time inside the long tasks, per function (source-mapped) and per package */
  functions: Share[];
  packages: Share[];
  sampledMs: number;
}

const sorted = (m: Map<string, number>): Share[] => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000 }));
const bump = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/** url:line:col of the served bundle → original source (through the bundle's map, then a dependency's own map). */
export function sourceResolver(distDir: string, root: string): (url: string, line: number, col: number) => string | null {
  const maps = new Map<string, SourceMap | null>();
  const load = (file: string): SourceMap | null => {
    if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as never) : null);
    return maps.get(file) ?? null;
  };
  const through = (file: string, line: number, col: number, depth: number): string | null => {
    const map = load(file);
    const e = map?.findEntry(line, col) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (!e?.originalSource) return null;
    const src = e.originalSource.startsWith('file://') ? new URL(e.originalSource).pathname : path.resolve(path.dirname(file), e.originalSource);
    // minified dependencies (maplibre-gl's dist) carry their own map: one more hop names their sources
    const deeper = depth === 0 ? through(src, e.originalLine ?? 0, e.originalColumn ?? 0, 1) : null;
    return deeper ?? `${path.relative(root, src)}:${(e.originalLine ?? 0) + 1}`;
  };
  return (url, line, col) => {
    const m = /^https?:\/\/[^/]+(\/assets\/[^?#]+\.js)/.exec(url);
    return m?.[1] ? through(path.join(distDir, m[1]), line, col, 0) : null;
  };
}

function packageOf(where: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (nm?.[1]) return nm[1];
  if (where.startsWith('web/src/')) return where.split(':')[0] ?? where;
  return where;
}

/** Long RunTasks (> 50 ms) on the renderer's main thread, what ran inside them, and the JS samples that fall inside. */
export function analyseTrace(events: readonly TraceEvent[], resolve: (url: string, line: number, col: number) => string | null): TraceSummary {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => mains.has(`${e.pid}:${e.tid}`));
  const marks = onMain.filter((e) => e.name.startsWith('bench:')).sort((a, b) => a.ts - b.ts);
  const stepAt = (ts: number) => marks.filter((m) => m.ts <= ts).at(-1)?.name.slice(6) ?? 'load';
  const complete = onMain.filter((e) => e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts);
  const tasks: TraceEvent[] = [];
  for (const e of complete) {
    if ((e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask') || (e.dur ?? 0) <= LONG_TASK_MS * 1000) continue;
    const last = tasks.at(-1);
    if (!last || e.ts >= last.ts + (last.dur ?? 0)) tasks.push(e);
  }
  const eventsIn = new Map<string, number>();
  const perTask: TraceSummary['longTasks'] = [];
  const bySteps = new Map<string, { tasks: number; us: number; events: Map<string, number>; packages: Map<string, number> }>();
  const stepOf = (name: string) => {
    const st = bySteps.get(name) ?? { tasks: 0, us: 0, events: new Map<string, number>(), packages: new Map<string, number>() };
    bySteps.set(name, st);
    return st;
  };
  const top3 = (m: Map<string, number>) => sorted(m).slice(0, 3).map((x) => `${x.name} ${x.ms.toFixed(0)} ms`).join(', ');
  for (const t of tasks) {
    const end = t.ts + (t.dur ?? 0);
    const inside = new Map<string, number>();
    let coveredUntil = t.ts;
    for (const c of complete) {
      if (c === t || c.ts < t.ts || c.ts + (c.dur ?? 0) > end || c.name.includes('RunTask') || c.ts < coveredUntil) continue;
      coveredUntil = c.ts + (c.dur ?? 0);
      const d = c.args?.data ?? {};
      const detail = typeof d.type === 'string' ? ` ${d.type}` : typeof d.functionName === 'string' && d.functionName ? ` ${d.functionName}` : '';
      bump(inside, `${c.name}${detail}`, c.dur ?? 0);
    }
    const st = stepOf(stepAt(t.ts));
    for (const [k, v] of inside) {
      bump(eventsIn, k, v);
      bump(st.events, k, v);
    }
    st.tasks++;
    st.us += t.dur ?? 0;
    perTask.push({ step: stepAt(t.ts), ms: (t.dur ?? 0) / 1000, top: top3(inside) || '(no traced child events)' });
  }
  // the JS sampler: Profile gives the start time, ProfileChunks the (incremental) nodes, samples and time deltas
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let sampled = 0;
  const profiles = new Map<string, { t: number; nodes: Map<number, ProfileNode>; main: boolean }>();
  const inTask = (ts: number) => tasks.some((t) => ts >= t.ts && ts <= t.ts + (t.dur ?? 0));
  const resolved = new Map<number, string>();
  for (const e of events) {
    const d = e.args?.data ?? {};
    const key = `${e.pid}:${e.id ?? ''}`;
    if (e.name === 'Profile') profiles.set(key, { t: Number(d.startTime ?? e.ts), nodes: new Map(), main: mains.has(`${e.pid}:${e.tid}`) });
    if (e.name !== 'ProfileChunk') continue;
    const p = profiles.get(key);
    const cpu = d.cpuProfile as { nodes?: ProfileNode[]; samples?: number[] } | undefined;
    if (!p || !cpu) continue;
    for (const n of cpu.nodes ?? []) p.nodes.set(n.id, n);
    const deltas = (d.timeDeltas as number[] | undefined) ?? [];
    (cpu.samples ?? []).forEach((id, i) => {
      const dt = deltas[i] ?? 0;
      p.t += dt;
      const next = deltas[i + 1] ?? 0;
      if (!p.main || !inTask(p.t) || next <= 0) return;
      const f = p.nodes.get(id)?.callFrame;
      if (!f) return;
      if (!resolved.has(id)) resolved.set(id, f.url ? (resolve(f.url, f.lineNumber, f.columnNumber) ?? f.url.replace(/^https?:\/\/[^/]+/, '')) : '');
      const where = resolved.get(id) ?? '';
      sampled += next;
      bump(functions, `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`, next);
      const pkg = where ? packageOf(where) : `(native) ${f.functionName}`;
      bump(packages, pkg, next);
      bump(stepOf(stepAt(p.t)).packages, pkg, next);
    });
  }
  const steps = [...bySteps].filter(([, st]) => st.tasks > 0)
    .map(([step, st]) => ({ step, tasks: st.tasks, ms: st.us / 1000, events: top3(st.events), packages: top3(st.packages) }));
  return { longTasks: perTask, steps, events: sorted(eventsIn), functions: sorted(functions), packages: sorted(packages), sampledMs: sampled / 1000 };
}

// ---- the printed report ------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');

export interface ClientReportInput {
  city: CityStats;
  options: { repeat: number };
  environment: Record<string, string | number | boolean>;
  runs: RunResult[];
  rows: StepRow[];
  goals: Goal[];
  commands: Record<string, string>;
  trace: (TraceSummary & { file: string }) | null;
  screenshots: string | null;
}

export function formatClientReport(input: ClientReportInput): string {
  const { city, options, environment, runs, rows, goals, commands, trace } = input;
  const steps = table(['step', 'kind', 'mean ms to idle', 'tiles/run', 'tile KB/run', 'long tasks', 'max ms', 'p95 ms', 'blocked ms/run', 'long frames', 'max frame ms'],
    rows.map((r) => [r.step, r.kind, n0(r.meanMs), n0(r.tiles), n0(r.tileKb), String(r.longTasks), r.longTasks ? n0(r.maxMs) : '-', n0(r.p95Ms),
      n0(r.blockedMs), String(r.longFrames), r.longFrames ? n0(r.maxFrameMs) : '-']));
  const perRun = table(['run', 'long tasks (journey)', 'max ms', 'tiles', 'tile MB', 'GeoJSON responses (features)', 'page errors', 'frames put off (GPU behind)', 'load avg before/after'],
    runs.map((r) => {
      const j = r.tasks.filter((t) => judged(kindOf(runs, t.step)));
      const tiles = Object.values(r.tiles);
      return [String(r.run), String(j.length), j.length ? n0(Math.max(...j.map((t) => t.duration))) : '-', n0(tiles.reduce((a, t) => a + t.count, 0)),
        (tiles.reduce((a, t) => a + t.bytes, 0) / 1024 ** 2).toFixed(1), r.featureCollections.map((f) => `${f.path} ${n0(f.features)}`).join(', ') || '-',
        String(r.pageErrors.length), n0(r.framesDeferred), r.loadAverage.map((v) => v.toFixed(2)).join(' / ')];
    }));
  const layers = [...new Set(runs.flatMap((r) => Object.keys(r.tiles)))].sort();
  const tileTable = table(['tile layer', 'tiles/run', 'KB/run', 'mean KB', 'largest KB'], layers.map((l) => {
    const t = runs.map((r) => r.tiles[l] ?? { count: 0, bytes: 0, max: 0 });
    const c = t.reduce((a, x) => a + x.count, 0);
    const b = t.reduce((a, x) => a + x.bytes, 0);
    return [l, n0(c / runs.length), n0(b / runs.length / 1024), (b / Math.max(1, c) / 1024).toFixed(1), n0(Math.max(0, ...t.map((x) => x.max)) / 1024)];
  }));
  const causes = frameCauses(runs).slice(0, 10);
  const out = [
    '',
    `CLIENT BENCHMARK — SYNTHETIC city: ${city.assets.toLocaleString('en-US')} segments, ${city.trees.toLocaleString('en-US')} trees, ${city.works.toLocaleString('en-US')} works (seed ${city.seed})`,
    `${options.repeat} journey(s) through the real app in headless Chromium, each in a fresh browser context; long tasks from PerformanceObserver('longtask')`,
    `environment: ${Object.entries(environment).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    'the result depends on the machine: WebGL runs on SwiftShader (software, on the CPU), and the server, PostgreSQL and Chromium share its cores',
    '', 'commands:', ...Object.entries(commands).map(([k, v]) => `  ${k}: ${v}`),
    '', steps, '', perRun, '', tileTable, '',
    causes.length ? `where the long animation frames of the journey went (LoAF script entries, all runs; a frame counts from its first task to its paint):\n${causes.map((c) => `  ${n0(c.ms).padStart(7)} ms in ${String(c.frames).padStart(3)} frame(s)  ${c.name}`).join('\n')}` : 'no long animation frames during the journey',
  ];
  if (trace) {
    out.push('', `--profile: one untimed journey under a Chromium trace with the JS sampler (${trace.file}); ${trace.longTasks.length} long task(s)`,
      table(['step', 'long tasks', 'ms', 'top traced events', 'top JS packages (samples)'], trace.steps.map((t) => [t.step, String(t.tasks), n0(t.ms), t.events, t.packages])),
      'traced events inside the long tasks:', ...trace.events.slice(0, 12).map((s) => `  ${n0(s.ms).padStart(7)} ms  ${s.name}`),
      `JS samples inside the long tasks (${n0(trace.sampledMs)} ms), self time by package:`, ...trace.packages.slice(0, 12).map((s) => `  ${n0(s.ms).padStart(7)} ms  ${s.name}`),
      'by function:', ...trace.functions.slice(0, 20).map((s) => `  ${n0(s.ms).padStart(7)} ms  ${s.name}`));
  }
  if (input.screenshots) out.push('', `screenshots of the first run's zoom steps: ${input.screenshots}`);
  out.push('', table(['goal', 'measured', 'target', 'result'], goals.map((g) => [g.name, g.measured, g.goal, g.pass ? 'PASS' : 'FAIL'])));
  return out.join('\n');
}
