/**
 * `npm run bench -- analysis`: the analysis of issue 6 (findings among planned works) on a
 * SYNTHETIC generated city, side by side in one run with the hand-written PostGIS floor:
 *  (a) ours through the real API server (mark stale + GET /api/analysis/findings), and refreshAll
 *      in-process (as the server's pool: samenhang_app under row security) and, for information,
 *      as the owner role;
 *  (b) the floor: the works-driven LATERAL joins that find the same candidates, count(*) only;
 *  (c) the same conditions as plain JOINs (information);
 *  (d) 50 PATCHes of one work through the API (incremental recompute);
 *  (e) the browser's what-if in headless Chromium.
 * One fresh database per run (dropped afterwards); results in .data/bench/analysis-<timestamp>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { refreshAll } from '../../api/src/analysis/store.ts';
import { type Pool, createPool } from '../../api/src/db/pool.ts';
import { asSystem, createAppPool, tenantPool } from '../../api/src/db/tenant-context.ts';
import { type ApiServer, type FullRun, benchTokens, findingsThroughApi, incrementalPatches, isComputed, ownerPool, request, startApi } from './analysis-api.ts';
import { runBrowserBench } from './analysis-browser.ts';
import { type AnalysisSummary, type Side, environment, formatReport, judge, side } from './analysis-report.ts';
import { FLOOR_QUERIES, type FloorForm, type FloorQuery, type FloorRun, floorSql, planSummary, runFloor } from './analysis-sql.ts';
import { benchServer, checkpoint, freshProductDatabase, withClient } from './bench-db.ts';
import { generateCity } from './generate-city.ts';
import { BENCH_DIR, ROOT } from './import.ts';
import { showCommand } from './measure.ts';

export interface AnalysisBenchOptions {
  size: number;
  repeat: number;
  seed: number;
  /** per-statement limit (s) on the bench database during the timed part */
  timeout: number;
  patches: number;
  shifts: number;
  viewWorks: number;
}

const log = (msg: string) => console.error(`[bench] ${msg}`);
const isTimeout = (err: unknown) => (err as { code?: string }).code === '57014' || /statement timeout/.test(String((err as Error).message ?? err));

interface Runs {
  api: { ms: number; serverMs: number | null; findings: number | null; bytes: number }[];
  apiTimedOut: boolean;
  /** GET /api/analysis/findings while they are computed (read + HTTP only) */
  apiRead: number[];
  apiReadTimedOut: boolean;
  inProcess: number[];
  inProcessTimedOut: boolean;
  owner: number[];
  ownerTimedOut: boolean;
  floor: FloorRun[];
  /** elapsed time of the attempt that hit the statement timeout, per side */
  timedOutAfter: Record<string, number>;
}

async function timedRefresh(pool: Pool): Promise<{ ms: number; timedOut: boolean }> {
  const started = performance.now();
  try {
    await refreshAll(pool);
    return { ms: performance.now() - started, timedOut: false };
  } catch (err) {
    if (!isTimeout(err)) throw err;
    return { ms: performance.now() - started, timedOut: true };
  }
}

interface Ctx { opts: AnalysisBenchOptions; api: ApiServer; owner: Pool; appPool: Pool; rawOwner: Pool; floor: pg.Client; token: string }

async function floorPass(ctx: Ctx, form: FloorForm, runs: Runs, repeat: number): Promise<void> {
  for (const q of FLOOR_QUERIES) {
    if (runs.floor.some((r) => r.form === form && r.query === q && r.timedOut)) continue;
    const r = await runFloor(ctx.floor, q, form);
    runs.floor.push(r);
    log(`#${repeat} floor ${form} ${q}: ${r.timedOut ? `timed out after ${(r.ms / 1000).toFixed(0)} s` : `${r.ms.toFixed(0)} ms, ${r.rows} rows`}`);
  }
}

/** GET /api/analysis/findings (after marking the findings stale: the full run); null when a statement hit the timeout. */
async function apiRun(ctx: Ctx, runs: Runs, markStale: boolean, repeat: number): Promise<FullRun | null> {
  const before = ctx.api.output().length;
  const what = markStale ? '(a) API: mark stale + GET' : 'API: GET, findings fresh (read only)';
  const r = await findingsThroughApi(ctx.api, ctx.owner, ctx.token, markStale);
  if (r.status === 200) {
    log(`#${repeat} ${what}: ${(r.ms / 1000).toFixed(2)} s, ${r.findings} findings shown, ${(r.bytes / 1024).toFixed(0)} kB`);
    return r;
  }
  const serverLog = ctx.api.output().slice(before);
  if (!/statement timeout/.test(serverLog) && !/statement timeout/.test(r.error ?? '')) {
    throw new Error(`GET /api/analysis/findings answered ${r.status}: ${r.error}\nserver log:\n${serverLog.slice(-3000)}`);
  }
  log(`#${repeat} ${what}: statement timeout after ${(r.ms / 1000).toFixed(0)} s (status ${r.status})`);
  runs.timedOutAfter[markStale ? 'api' : 'apiRead'] = r.ms;
  return null;
}

/** One repeat, sides interleaved so that drift on the machine hits all alike. */
async function oneRepeat(ctx: Ctx, runs: Runs, repeat: number): Promise<void> {
  if (!runs.ownerTimedOut) {
    const r = await timedRefresh(ctx.rawOwner);
    runs.ownerTimedOut = r.timedOut;
    if (r.timedOut) runs.timedOutAfter.owner = r.ms;
    else runs.owner.push(r.ms);
    log(`#${repeat} refreshAll as owner (info): ${r.timedOut ? 'statement timeout after ' : ''}${(r.ms / 1000).toFixed(2)} s`);
  }
  if (!runs.apiReadTimedOut && (await isComputed(ctx.owner))) {
    const r = await apiRun(ctx, runs, false, repeat);
    runs.apiReadTimedOut = r === null;
    if (r) runs.apiRead.push(r.ms);
  }
  if (!runs.apiTimedOut) {
    const r = await apiRun(ctx, runs, true, repeat);
    runs.apiTimedOut = r === null;
    if (r) runs.api.push({ ms: r.ms, serverMs: r.serverMs, findings: r.findings, bytes: r.bytes });
  }
  if (!runs.inProcessTimedOut) {
    const r = await timedRefresh(ctx.appPool);
    runs.inProcessTimedOut = r.timedOut;
    if (r.timedOut) runs.timedOutAfter.inProcess = r.ms;
    else runs.inProcess.push(r.ms);
    log(`#${repeat} (a) refreshAll in-process: ${r.timedOut ? 'statement timeout after ' : ''}${(r.ms / 1000).toFixed(2)} s`);
  }
  await floorPass(ctx, 'lateral', runs, repeat);
  await floorPass(ctx, 'plain', runs, repeat);
}

function floorSides(runs: FloorRun[], form: FloorForm, repeat: number): Record<FloorQuery | 'total', Side & { rows: number | null }> {
  const of = runs.filter((r) => r.form === form);
  const per = Object.fromEntries(FLOOR_QUERIES.map((q) => {
    const rs = of.filter((r) => r.query === q);
    return [q, { ...side(rs.filter((r) => !r.timedOut).map((r) => r.ms), rs.some((r) => r.timedOut), rs.find((r) => r.timedOut)?.ms ?? null), rows: rs.find((r) => r.rows !== null)?.rows ?? null }];
  })) as Record<FloorQuery, Side & { rows: number | null }>;
  const totals = Array.from({ length: repeat }, (_, i) => FLOOR_QUERIES.reduce((s, q) => s + (per[q].runsMs[i] ?? NaN), 0)).filter(Number.isFinite);
  return { ...per, total: { ...side(totals, FLOOR_QUERIES.some((q) => per[q].timedOut)), rows: null } };
}

async function storedFindings(owner: Pool): Promise<{ byType: Record<string, number>; couplingAssets: number; pairs: number }> {
  const r = await asSystem(() => owner.query<{ type: string; n: number; assets: number }>(
    'SELECT type, count(*)::int AS n, coalesce(sum(cardinality(asset_ids)), 0)::int AS assets FROM finding GROUP BY type ORDER BY type'));
  const byType = Object.fromEntries(r.rows.map((x) => [x.type, x.n]));
  return {
    byType, couplingAssets: r.rows.find((x) => x.type === 'coupling')?.assets ?? 0,
    pairs: (byType.combine ?? 0) + (byType.clash ?? 0) + (byType.repeat_opening ?? 0),
  };
}

async function serverFacts(c: pg.Client): Promise<Record<string, string | boolean>> {
  const r = await c.query<Record<string, string | boolean>>(
    `SELECT current_setting('server_version') AS postgres, (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis,
       current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem, current_setting('jit') AS jit,
       (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) AS "benchRoleBypassesRowSecurity"`);
  return r.rows[0] ?? {};
}

export async function runAnalysisBench(opts: AnalysisBenchOptions): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const started = performance.now();
  const server = benchServer();
  const db = await freshProductDatabase(server);
  let api: ApiServer | null = null;
  const pools: Pool[] = [];
  const floor = new pg.Client({ connectionString: db.url, application_name: 'samenhang-bench-floor' });
  try {
    const city = await generateCity(db.url, opts.seed, opts.size, log);
    // from here on every new connection (the API server's, the pools', the floor's) gets the limit
    await withClient(db.url, (c) => c.query(`ALTER DATABASE ${db.name} SET statement_timeout = '${Math.trunc(opts.timeout)}s'`));
    await floor.connect();
    await floor.query(`SELECT set_config('samenhang.system', 'on', false)`);
    const env = environment(ROOT, await serverFacts(floor));
    const owner = ownerPool(db.url);
    const appPool = tenantPool(createAppPool(db.url, 10));
    const rawOwner = tenantPool(createPool(db.url, 10));
    pools.push(owner, appPool, rawOwner);
    const tokens = await benchTokens(owner);
    const orgId = (await asSystem(() => owner.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'syn-gemeente'"))).rows[0]?.id ?? 0;
    const token = tokens.get(orgId) ?? '';
    api = await startApi(ROOT, db.url);
    const ctx: Ctx = { opts, api, owner, appPool, rawOwner, floor, token };
    log(`API server up at ${api.baseUrl}; warming up (untimed): one pass of the floor queries, one authenticated request`);
    for (const q of FLOOR_QUERIES) await runFloor(floor, q, 'lateral');
    await request('GET', `${api.baseUrl}/api/analysis/rules`, { authorization: `Bearer ${token}` });
    await checkpoint(server);
    const runs: Runs = { api: [], apiTimedOut: false, apiRead: [], apiReadTimedOut: false, inProcess: [], inProcessTimedOut: false, owner: [], ownerTimedOut: false, floor: [], timedOutAfter: {} };
    for (let repeat = 1; repeat <= opts.repeat; repeat++) await oneRepeat(ctx, runs, repeat);
    const plans: Record<string, string> = {};
    for (const q of FLOOR_QUERIES) plans[q] = await planSummary(floor, q, 'plain');

    const stored = await storedFindings(owner);
    // each repeat refreshes as the owner first, then through the API, then in-process: the last one that completed wrote them
    const storedBy = !runs.inProcessTimedOut ? 'the last in-process refreshAll' : !runs.apiTimedOut ? 'the last full run through the API' : 'the owner-role refreshAll (ours timed out)';
    const floorSide = floorSides(runs.floor, 'lateral', opts.repeat);
    const checks = [
      `moratorium findings ${stored.byType.moratorium ?? 0} = floor moratoria rows ${floorSide.moratoria.rows}: ${stored.byType.moratorium === floorSide.moratoria.rows ? 'yes' : 'NO'}`,
      `assets in coupling findings ${stored.couplingAssets} = floor couplings rows ${floorSide.couplings.rows}: ${stored.couplingAssets === floorSide.couplings.rows ? 'yes' : 'NO'}`,
      `pair findings ${stored.pairs} ≤ floor pair candidates ${floorSide.pairs.rows} (candidates within reach; time decides which become findings): ${stored.pairs <= (floorSide.pairs.rows ?? -1) ? 'yes' : 'NO'}`,
    ];

    let computedBy = runs.apiTimedOut && runs.inProcessTimedOut ? 'the owner-role refreshAll (ours timed out)' : 'our full runs above';
    if (!(await isComputed(owner))) {
      computedBy = 'an owner-role refreshAll (no full run of ours completed)';
      await refreshAll(rawOwner);
    }
    log(`(d) ${opts.patches} PATCHes through the API`);
    const patches = { ...(await incrementalPatches(api, owner, tokens, opts.seed, opts.patches)), computedBy };
    log(`(d) p50 ${patches.p50.toFixed(0)} ms, p95 ${patches.p95.toFixed(0)} ms`);
    log(`(e) browser what-if: ${opts.viewWorks} works in view, ${opts.shifts} shifts`);
    const browser = await runBrowserBench(ROOT, floor, opts.seed, { works: opts.viewWorks, shifts: opts.shifts, warmup: 5 });
    env.chromium = browser.chromium;

    const last = runs.api.at(-1);
    const partial: Omit<AnalysisSummary, 'goals'> = {
      api: { ...side(runs.api.map((r) => r.ms), runs.apiTimedOut, runs.timedOutAfter.api ?? null), findings: stored.pairs + (stored.byType.moratorium ?? 0) + (stored.byType.coupling ?? 0),
        visible: last?.findings ?? null, serverMs: last?.serverMs ?? null, bytes: last?.bytes ?? null },
      apiRead: side(runs.apiRead, runs.apiReadTimedOut, runs.timedOutAfter.apiRead ?? null), inProcess: side(runs.inProcess, runs.inProcessTimedOut, runs.timedOutAfter.inProcess ?? null),
      owner: side(runs.owner, runs.ownerTimedOut, runs.timedOutAfter.owner ?? null),
      floor: floorSide,
      plain: Object.fromEntries(Object.entries(floorSides(runs.floor, 'plain', opts.repeat)).map(([q, s]) => [q, { ...s, plan: plans[q] ?? '' }])) as AnalysisSummary['plain'],
      stored: { byType: stored.byType, couplingAssets: stored.couplingAssets, by: storedBy }, checks, patches, browser,
    };
    const summary: AnalysisSummary = { ...partial, goals: judge(partial, opts.timeout) };
    const commands = {
      server: api.command,
      full: "DELETE FROM app_setting WHERE key = 'analysis_computed_at' (bench's own connection), then GET /api/analysis/findings with Bearer <write token of an administrator of syn-gemeente>",
      patch: 'GET /api/works/:id (ETag), then PATCH /api/works/:id with If-Match and {"preferredStart","preferredEnd"} (an administrator of the owner)',
      bench: showCommand('npm', ['run', 'bench', '--', 'analysis', '--size', String(opts.size), '--repeat', String(opts.repeat), '--seed', String(opts.seed), '--timeout', String(opts.timeout)]),
    };
    const floorText = Object.fromEntries(FLOOR_QUERIES.flatMap((q) => (['lateral', 'plain'] as const).map((f) => [`${f} ${q}`, floorSql(q, f)])));
    const totalMs = performance.now() - started;
    await mkdir(BENCH_DIR, { recursive: true });
    const json = path.join(BENCH_DIR, `analysis-${stamp}.json`);
    await writeFile(json, `${JSON.stringify({ bench: 'analysis', synthetic: true, startedAt: stamp, totalMs, options: opts, city, environment: env, commands, floorSql: floorText, runs, summary }, null, 2)}\n`);
    console.log(formatReport({ city, options: opts, environment: env, summary, commands }));
    console.log(`\nwhole benchmark: ${(totalMs / 60000).toFixed(1)} min; results: ${path.relative(ROOT, json)}`);
  } finally {
    await api?.stop();
    await floor.end().catch(() => undefined);
    for (const p of pools) await p.end().catch(() => undefined);
    await db.drop();
  }
}
