/**
 * `npm run bench -- scale`: the same requests on the SYNTHETIC city (issue 9 §4), side by side in
 * one run:
 *   a) one API process (as `npm start` runs it), wrk straight at it;
 *   b) two API processes behind nginx (round robin, scale-nginx.ts), one PostgreSQL;
 *   c) as b, with DATABASE_REPLICA_URL pointing at a streaming replica the benchmark makes of the
 *      bench database's server (pg_basebackup + hot standby on the same machine, replica-cluster.ts).
 * Workloads: uncached z14 and z16 tiles (SAMENHANG_TILE_CACHE_MB=0), cached z14 tiles (every
 * process's cache filled first), and OGC API items pages (bbox of each z15 tile, limit 1000); the
 * same paths on every side, signed in (access control on). Reported: req/s, p50/p99, b/a and c/a.
 * Checked during the run, not assumed: requests alternate between the processes (X-Samenhang-Process
 * in order, the nginx access log per load run), the replica side reads from the replica
 * (X-Read-From, and transactions counted on the replica vs the primary), every answer is 2xx.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ApiServer, startApi } from './analysis-api.ts';
import { environment } from './analysis-report.ts';
import { withClient } from './bench-db.ts';
import { BENCH_SYSTEM, cityFixture } from './city-fixture.ts';
import { tileBbox } from './features.ts';
import { BENCH_DIR, ROOT } from './import.ts';
import { showCommand } from './measure.ts';
import { type ReplicaCluster, startReplica } from './replica-cluster.ts';
import { type Nginx, ensureNginx, startNginx } from './scale-nginx.ts';
import { SIDES, type ScaleRun, type SideChecks, type SideKey, type WorkloadKey, formatScaleReport, summarise } from './scale-report.ts';
import { type Tile, innerTiles } from './tiles-sql.ts';
import { type WrkResult, ensureWrk, runWrk, wrkCommand } from './wrk.ts';

export interface ScaleBenchOptions {
  size: number;
  repeat: number;
  seed: number;
  seconds: number;
  connections: number;
}

type Side = (typeof SIDES)[number];
const log = (msg: string) => console.error(`[bench] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tilePath = (t: Tile) => `/tiles/${BENCH_SYSTEM}/${t.z}/${t.x}/${t.y}.mvt`;

/** What wrk talks to: one process, or nginx in front of several. */
interface Stack {
  target: string;
  processes: ApiServer[];
  nginx: Nginx | null;
  stop(): Promise<void>;
}

async function startStack(side: Side, databaseUrl: string, env: Record<string, string>): Promise<Stack> {
  const processes: ApiServer[] = [];
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(processes.map((p) => p.stop()));
  };
  let nginx: Nginx | null = null;
  try {
    for (let i = 0; i < side.processes; i++) processes.push(await startApi(ROOT, databaseUrl, env));
    if (side.processes > 1) nginx = await startNginx(processes.map((p) => p.baseUrl));
  } catch (err) {
    await stop();
    throw err;
  }
  return { target: nginx?.baseUrl ?? processes[0]?.baseUrl ?? '', processes, nginx, stop };
}

/** Committed + rolled back transactions of the database so far (pg_stat_database of that server). */
async function transactions(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]?.n ?? NaN));
}

interface Answer { status: number; process: string | null; readFrom: string | null; cache: string | null }

async function fetchOnce(url: string, auth: string): Promise<Answer> {
  const res = await fetch(url, { headers: { authorization: auth, accept: 'application/geo+json, */*' } });
  await res.arrayBuffer();
  return { status: res.status, process: res.headers.get('x-samenhang-process'), readFrom: res.headers.get('x-read-from'), cache: res.headers.get('x-tile-cache') };
}

/** One sequential pass; every answer must be 200 (or 204 for an empty tile). */
async function pass(baseUrl: string, paths: readonly string[], auth: string): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const p of paths) {
    const a = await fetchOnce(baseUrl + p, auth);
    if (a.status !== 200 && a.status !== 204) throw new Error(`${baseUrl}${p} answered ${a.status}`);
    out.push(a);
  }
  return out;
}

export async function runScaleBench(opts: ScaleBenchOptions): Promise<void> {
  ensureWrk();
  ensureNginx();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(BENCH_DIR, `scale-${stamp}`);
  await mkdir(dir, { recursive: true });
  const fx = await cityFixture(opts.size, opts.seed, log);
  let replica: ReplicaCluster | null = null;
  let stack: Stack | null = null;
  try {
    // the replica gets the primary's memory and cost settings (given on the primary's command line, not copied by a base backup)
    const tuning = (await fx.sql.query<{ sb: string; ecs: string; rpc: string }>(
      "SELECT current_setting('shared_buffers') AS sb, current_setting('effective_cache_size') AS ecs, current_setting('random_page_cost') AS rpc")).rows[0];
    const settings = tuning ? [`shared_buffers=${tuning.sb}`, `effective_cache_size=${tuning.ecs}`, `random_page_cost=${tuning.rpc}`] : [];
    replica = await startReplica(fx.db.url, { settings, log });
    await replica.caughtUp();
    const replicaUrl = replica.url(fx.db.name);
    const lists: Record<WorkloadKey, string[]> = {
      z14: innerTiles(fx.bbox, 14).map(tilePath),
      z16: innerTiles(fx.bbox, 16).map(tilePath),
      'z14-cached': innerTiles(fx.bbox, 14).map(tilePath),
      items: innerTiles(fx.bbox, 15).map(tileBbox).map((b) => `/ogc/collections/${BENCH_SYSTEM}/items?f=json&limit=1000&bbox=${b.join(',')}`),
    };
    log(`${lists.z14.length} z14 tiles, ${lists.z16.length} z16 tiles, ${lists.items.length} items boxes inside the city`);

    const runs: ScaleRun[] = [];
    const checks: SideChecks[] = [];
    let answered = 0;
    const timed = async (side: Side, s: Stack, workload: WorkloadKey, repeat: number): Promise<void> => {
      await s.nginx?.take(); // what came before this run is not counted
      const r: WrkResult = await runWrk({ baseUrl: s.target, paths: lists[workload], connections: opts.connections, seconds: opts.seconds, authorization: fx.auth, dir });
      if (r.errors > 0 || r.non2xx > 0) throw new Error(`${side.key} ${workload}: ${r.errors} socket errors, ${r.non2xx} non-2xx answers`);
      answered += r.requests;
      const ports = new Map(s.processes.map((p, i) => [new URL(p.baseUrl).host, `p${i + 1}`]));
      const logged = await s.nginx?.take();
      const split = logged ? Object.fromEntries([...logged.upstreams].map(([upstream, n]) => [ports.get(upstream) ?? upstream, n])) : { p1: r.requests };
      const readFrom = logged?.readFrom ?? null;
      if (side.replica && workload !== 'z14-cached' && (readFrom?.replica ?? 0) === 0) throw new Error(`${side.key} ${workload}: no answer under load was read from the replica (${JSON.stringify(readFrom)})`);
      runs.push({ side: side.key, workload, repeat, r, split, readFrom });
      log(`${side.key} #${repeat} ${workload}: ${r.rps.toFixed(1)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms; split ${JSON.stringify(split)}${readFrom ? `; X-Read-From ${JSON.stringify(readFrom)}` : ''}`);
    };
    /**
     * pg_stat_database of the bench database on the primary and the replica. A busy backend reports
     * its counts at most once a second and an idle one may wait 10 s, but every backend reports when
     * it ends: read with the API processes stopped, the totals are complete.
     */
    const txCounts = async (replicaToo: boolean) => ({ primary: await transactions(fx.db.url), replica: replicaToo ? await transactions(replicaUrl) : null });

    for (const side of SIDES) {
      const env: Record<string, string> = side.replica ? { DATABASE_REPLICA_URL: replicaUrl } : {};
      const txBefore = await txCounts(side.replica);
      answered = 0;
      log(`${side.label}: cache off`);
      stack = await startStack(side, fx.db.url, { ...env, SAMENHANG_TILE_CACHE_MB: '0' });
      const sequence: string[] = [];
      for (let i = 0; i < 10; i++) sequence.push((await fetchOnce(`${stack.target}/api/health`, fx.auth)).process ?? '?');
      const strictlyAlternating = side.processes > 1 ? new Set(sequence).size === side.processes && sequence.every((p, i) => i === 0 || p !== sequence[i - 1]) : null;
      if (strictlyAlternating === false) throw new Error(`${side.key}: requests through nginx did not alternate between the processes: ${sequence.join(' ')}`);
      // untimed: warms PostgreSQL's (and the replica's) caches and says where every read came from
      const answers = [...await pass(stack.target, lists.z14, fx.auth), ...await pass(stack.target, lists.z16, fx.auth), ...await pass(stack.target, lists.items, fx.auth)];
      const readFrom = {
        replica: answers.filter((a) => a.readFrom === 'replica').length, primary: answers.filter((a) => a.readFrom === 'primary').length,
        none: answers.filter((a) => a.readFrom === null).length,
      };
      answered += sequence.length + answers.length;
      if (side.replica && readFrom.replica === 0) throw new Error(`${side.key}: no request was read from the replica (${JSON.stringify(readFrom)}):\n${stack.processes.map((p) => p.output()).join('\n')}`);
      if (!side.replica && readFrom.none !== answers.length) throw new Error(`${side.key}: X-Read-From without a replica`);
      log(`${side.key}: processes ${[...new Set(sequence)].join(', ')}; X-Read-From ${JSON.stringify(readFrom)}`);
      for (let repeat = 1; repeat <= opts.repeat; repeat++) {
        for (const w of ['z14', 'z16', 'items'] as const) await timed(side, stack, w, repeat);
      }
      await stack.stop();

      log(`${side.label}: cache on (default size), filled in every process`);
      stack = await startStack(side, fx.db.url, env);
      for (const p of stack.processes) await pass(p.baseUrl, lists['z14-cached'], fx.auth);
      const through = await pass(stack.target, lists['z14-cached'], fx.auth);
      const hits = through.filter((a) => a.cache === 'hit').length;
      if (hits !== through.length) throw new Error(`${side.key}: ${through.length - hits} of ${through.length} filled tiles were not cache hits`);
      answered += lists['z14-cached'].length * (stack.processes.length + 1);
      for (let repeat = 1; repeat <= opts.repeat; repeat++) await timed(side, stack, 'z14-cached', repeat);
      await stack.stop();
      stack = null;
      await sleep(500); // the backends of the stopped processes report as they exit
      const txAfter = await txCounts(side.replica);
      // each count is itself a transaction, read before it committed: -1 per server
      const tx = {
        primary: txAfter.primary - txBefore.primary - 1,
        replica: txAfter.replica === null || txBefore.replica === null ? null : txAfter.replica - txBefore.replica - 1, requests: answered,
      };
      checks.push({ side: side.key, sequence, strictlyAlternating, readFrom, cachedHits: [hits, through.length], tx });
      log(`${side.key}: ${tx.requests} requests, SQL transactions primary ${tx.primary}${tx.replica === null ? '' : `, replica ${tx.replica}`}`);
    }

    const rows = summarise(runs);
    const env = environment(ROOT, {});
    const sideOf = (k: SideKey) => SIDES.find((s) => s.key === k);
    const commands = {
      api: 'DATABASE_URL=<bench db> [DATABASE_REPLICA_URL=<replica>/<bench db> on side c] [SAMENHANG_TILE_CACHE_MB=0 uncached] node --max-semi-space-size=32 --import tsx api/src/main.ts',
      balancer: `nginx, ${sideOf('two')?.processes ?? 2} upstreams: worker_processes 1; round robin; keepalive 32; proxy_buffers 16 64k (scripts/bench/scale-nginx.ts)`,
      replica: `pg_basebackup -h <host> -p <port> -U <user> -D <tmp>/data -R -X stream -c fast --no-sync --no-manifest; pg_ctl -D <tmp>/data -o "-p <free port> -c hot_standby=on ${settings.map((x) => `-c ${x}`).join(' ')}" start`,
      load: wrkCommand(opts),
      items: `GET /ogc/collections/${BENCH_SYSTEM}/items?f=json&limit=1000&bbox=<w,s,e,n of a z15 tile> with Bearer <token of the municipality's administrator>`,
      bench: showCommand('npm', ['run', 'bench', '--', 'scale', '--size', String(opts.size), '--repeat', String(opts.repeat), '--seed', String(opts.seed), '--seconds', String(opts.seconds), '--connections', String(opts.connections)]),
    };
    const counts = Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, v.length])) as Record<WorkloadKey, number>;
    const json = path.join(BENCH_DIR, `scale-${stamp}.json`);
    await writeFile(json, `${JSON.stringify({ bench: 'scale', synthetic: true, startedAt: stamp, options: opts, city: fx.city, environment: env, commands, replica: { backupSeconds: replica.backupSeconds, settings }, lists: counts, checks, runs, rows }, null, 2)}\n`);
    console.log(formatScaleReport({
      city: fx.city, system: BENCH_SYSTEM, options: opts, environment: env, commands, lists: counts, rows, checks, replica: { backupSeconds: replica.backupSeconds, settings },
    }));
    console.log(`results: ${path.relative(ROOT, json)}`);
  } finally {
    await stack?.stop();
    // the replica first: it holds a copy of the bench database that is dropped next
    await replica?.remove();
    await fx.close();
  }
}
