/**
 * `npm run bench -- tiles`: vector tiles of one vital system of the SYNTHETIC city (issue 9), side by
 * side in one run with the anchors started here:
 *   - MapServer 8 (Debian cgi-mapserver) under FastCGI behind lighttpd, same PostGIS tables, the
 *     transform to Web Mercator done by PostGIS in its DATA query (mapserver.ts);
 *   - the bare SQL of each tile measured inside PostgreSQL (tiles-sql.ts).
 * Ours is the real API server (`npm start`'s command) with a signed-in caller (access control on),
 * first with the tile cache off (SAMENHANG_TILE_CACHE_MB=0), then on. Load: wrk on loopback.
 * One fresh database per run (dropped afterwards); results in .data/bench/tiles-<timestamp>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ApiServer, startApi } from './analysis-api.ts';
import { WARM_ALLOCATOR } from '../../api/src/db/pool.ts';
import { environment } from './analysis-report.ts';
import { withClient } from './bench-db.ts';
import { BENCH_SYSTEM, cityFixture } from './city-fixture.ts';
import { BENCH_DIR, ROOT } from './import.ts';
import { type MapServerAnchor, ensureMapServer, startMapServer } from './mapserver.ts';
import { median, showCommand } from './measure.ts';
import { type Tile, bareTileMs, innerTiles, tilesOver } from './tiles-sql.ts';
import { type TilesSummary, formatTilesReport, judgeTiles } from './tiles-report.ts';
import { type WrkResult, ensureWrk, runWrk, wrkCommand } from './wrk.ts';

export interface TilesBenchOptions {
  size: number;
  repeat: number;
  seed: number;
  /** seconds of load per wrk run */
  seconds: number;
  connections: number;
}

const TIMED_ZOOMS = [14, 16] as const;
const SWEEP_ZOOMS = [10, 11, 12, 13] as const;
const log = (msg: string) => console.error(`[bench] ${msg}`);

const ourPath = (t: Tile) => `/tiles/${BENCH_SYSTEM}/${t.z}/${t.x}/${t.y}.mvt`;

interface Fetched { status: number; bytes: number; ms: number; cache: string | null; merged: string | null }

async function fetchOnce(baseUrl: string, p: string, auth?: string): Promise<Fetched> {
  const started = performance.now();
  const res = await fetch(baseUrl + p, { headers: auth ? { authorization: auth } : {} });
  const body = await res.arrayBuffer();
  return { status: res.status, bytes: body.byteLength, ms: performance.now() - started, cache: res.headers.get('x-tile-cache'), merged: res.headers.get('x-tile-merged') };
}

/** One sequential pass: every answer must be a tile (200) or empty (204); returns what came back. */
async function pass(baseUrl: string, paths: readonly string[], who: string, auth?: string): Promise<Fetched[]> {
  const out: Fetched[] = [];
  for (const p of paths) {
    const f = await fetchOnce(baseUrl, p, auth);
    if (f.status !== 200 && f.status !== 204) throw new Error(`${who}: ${p} answered ${f.status}`);
    out.push(f);
  }
  return out;
}

async function transactions(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]?.n ?? NaN));
}

export async function runTilesBench(opts: TilesBenchOptions): Promise<void> {
  ensureMapServer();
  ensureWrk();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(BENCH_DIR, `tiles-${stamp}`);
  await mkdir(dir, { recursive: true });
  const fx = await cityFixture(opts.size, opts.seed, log);
  const { db, city, sql, auth, bbox } = fx;
  let api: ApiServer | null = null;
  let ms: MapServerAnchor | null = null;
  try {
    const timed = Object.fromEntries(TIMED_ZOOMS.map((z) => [z, innerTiles(bbox, z)])) as Record<number, Tile[]>;
    log(`${BENCH_SYSTEM}: ${TIMED_ZOOMS.map((z) => `${timed[z]?.length ?? 0} tiles at z${z}`).join(', ')} (inside the city)`);

    ms = await startMapServer(path.join(dir, 'mapserver'), db.url, BENCH_SYSTEM, 2);
    const anchor = ms;
    api = await startApi(ROOT, db.url, { SAMENHANG_TILE_CACHE_MB: '0' });
    log(`MapServer (${anchor.version}) at ${anchor.baseUrl}, our API (cache off) at ${api.baseUrl}; one untimed pass each`);
    const oursFirst: Record<number, Fetched[]> = {};
    const msFirst: Record<number, Fetched[]> = {};
    for (const z of TIMED_ZOOMS) {
      oursFirst[z] = await pass(api.baseUrl, (timed[z] ?? []).map(ourPath), 'ours', auth);
      msFirst[z] = await pass(anchor.baseUrl, (timed[z] ?? []).map((t) => anchor.tilePath(t.z, t.x, t.y)), 'MapServer');
    }

    log(`sweep z10–z16 over the whole city on our side (every tile, 5 times at z10–z13)`);
    // every tile of zoom z over the city, 5 times at z10–z13: the largest answer and the p95
    const server = api;
    const sweepZoom = async (z: number, tilePath: (t: Tile) => string, who: string) => {
      const tiles = tilesOver(bbox, z);
      const passes = z <= 13 ? 5 : 1;
      const got: Fetched[] = [];
      for (let i = 0; i < passes; i++) got.push(...(await pass(server.baseUrl, tiles.map(tilePath), who, auth)));
      const sorted = got.map((r) => r.ms).sort((a, b) => a - b);
      const p95Ms = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? NaN;
      return { row: { z, tiles: tiles.length, maxBytes: Math.max(...got.map((r) => r.bytes)), p95Ms }, got, passes };
    };
    const sweep: TilesSummary['sweep'] = [];
    for (const z of [...SWEEP_ZOOMS, ...TIMED_ZOOMS]) {
      sweep.push((await sweepZoom(z, ourPath, 'ours')).row);
    }

    // what the web map fetches: every system of the city in one networks tile (decisions 120–121)
    const systems = (await sql.query<{ system: string }>('SELECT DISTINCT system FROM asset ORDER BY system')).rows.map((r) => r.system);
    const networksPath = (t: Tile) => `/tiles/networks/${t.z}/${t.x}/${t.y}.mvt?layers=${systems.join(',')}`;
    // a networks tile runs its layers' queries side by side: one untimed pass opens the pool's
    // connections (a running server has them; each new backend first loads PROJ, ~40 ms)
    log(`sweep z10–z16 of the networks tileset (${systems.join(', ')}) over the whole city (5 times at z10–z13), after one untimed pass at z13`);
    await pass(server.baseUrl, tilesOver(bbox, 13).map(networksPath), 'ours (networks)', auth);
    const networksSweep: TilesSummary['networksSweep'] = [];
    for (const z of [...SWEEP_ZOOMS, ...TIMED_ZOOMS]) {
      const { row, got, passes } = await sweepZoom(z, networksPath, 'ours (networks)');
      networksSweep.push({ ...row, merged: got.filter((r) => r.merged !== null).length / passes });
    }

    const load = async (baseUrl: string, paths: string[], a?: string, connections = opts.connections, seconds = opts.seconds): Promise<WrkResult> => {
      const r = await runWrk({ baseUrl, paths, connections, seconds, authorization: a, dir });
      if (r.errors > 0 || r.non2xx > 0) throw new Error(`wrk against ${baseUrl}: ${r.errors} socket errors, ${r.non2xx} non-2xx answers`);
      return r;
    };
    const runs: { side: 'mapserver' | 'ours' | 'ours-cached'; z: number; repeat: number; r: WrkResult }[] = [];
    for (let repeat = 1; repeat <= opts.repeat; repeat++) {
      for (const z of TIMED_ZOOMS) {
        const list = timed[z] ?? [];
        const m = await load(anchor.baseUrl, list.map((t) => anchor.tilePath(t.z, t.x, t.y)));
        runs.push({ side: 'mapserver', z, repeat, r: m });
        const o = await load(api.baseUrl, list.map(ourPath), auth);
        runs.push({ side: 'ours', z, repeat, r: o });
        log(`#${repeat} z${z}: MapServer ${m.rps.toFixed(0)} req/s, ours ${o.rps.toFixed(0)} req/s (p50 ${o.p50Ms.toFixed(1)} ms under ${opts.connections} connections)`);
      }
    }
    // latency side by side with the bare SQL: the machine's speed drifts by ±20 % within minutes, so
    // each repeat measures the bare SQL of the tiles, then ours at one connection, then the bare SQL
    // again; the goal compares the medians of the same minutes
    log('latency: bare SQL of each tile inside PostgreSQL (EXPLAIN ANALYZE, planning + execution) and ours at one connection, interleaved');
    // the bare SQL's connection with its allocator as the API's connections have theirs (decision 117;
    // the fixture's ANALYZE already did as much: a fresh backend runs a z14 tile ~3.5 ms slower)
    await sql.query(WARM_ALLOCATOR);
    const latencyRuns: Record<number, WrkResult[]> = {};
    const bareRuns: Record<number, number[]> = {};
    for (let repeat = 1; repeat <= opts.repeat; repeat++) {
      for (const z of TIMED_ZOOMS) {
        (bareRuns[z] ??= []).push(await bareTileMs(sql, BENCH_SYSTEM, timed[z] ?? []));
        (latencyRuns[z] ??= []).push(await load(api.baseUrl, (timed[z] ?? []).map(ourPath), auth, 1));
        bareRuns[z].push(await bareTileMs(sql, BENCH_SYSTEM, timed[z] ?? []));
      }
    }
    const bareMs = Object.fromEntries(TIMED_ZOOMS.map((z) => [z, median(bareRuns[z] ?? [])])) as Record<number, number>;
    const latencyP50 = Object.fromEntries(TIMED_ZOOMS.map((z) => [z, median((latencyRuns[z] ?? []).map((r) => r.p50Ms))])) as Record<number, number>;
    for (const z of TIMED_ZOOMS) log(`z${z} latency: ours p50 ${(latencyRuns[z] ?? []).map((r) => r.p50Ms.toFixed(1)).join(' / ')} ms, bare ${(bareRuns[z] ?? []).map((v) => v.toFixed(1)).join(' / ')} ms`);
    await api.stop();

    api = await startApi(ROOT, db.url);
    log(`our API with the tile cache on (default size) at ${api.baseUrl}; one pass fills it`);
    for (const z of TIMED_ZOOMS) await pass(api.baseUrl, (timed[z] ?? []).map(ourPath), 'ours (cached)', auth);
    const probe = timed[14]?.[0];
    const hitCheck = probe ? (await fetchOnce(api.baseUrl, ourPath(probe), auth)).cache : null;
    if (hitCheck !== 'hit') throw new Error(`the cached server answered X-Tile-Cache: ${hitCheck} for a tile it had served`);
    const sqlPerRequest: Record<number, number> = {};
    for (let repeat = 1; repeat <= opts.repeat; repeat++) {
      for (const z of TIMED_ZOOMS) {
        const before = await transactions(db.url);
        const c = await load(api.baseUrl, (timed[z] ?? []).map(ourPath), auth);
        sqlPerRequest[z] = ((await transactions(db.url)) - before - 1) / c.requests;
        runs.push({ side: 'ours-cached', z, repeat, r: c });
        log(`#${repeat} z${z} cached: ${c.rps.toFixed(0)} req/s, ${sqlPerRequest[z].toFixed(2)} SQL transactions per request`);
      }
    }

    const med = (side: string, z: number, f: (r: WrkResult) => number) => median(runs.filter((x) => x.side === side && x.z === z).map((x) => f(x.r)));
    const zooms = TIMED_ZOOMS.map((z) => ({
      z, tiles: timed[z]?.length ?? 0,
      nonEmpty: (oursFirst[z] ?? []).filter((f) => f.status === 200).length,
      oursMeanKb: (oursFirst[z] ?? []).reduce((s, f) => s + f.bytes, 0) / Math.max(1, oursFirst[z]?.length ?? 0) / 1024,
      mapserverMeanKb: (msFirst[z] ?? []).reduce((s, f) => s + f.bytes, 0) / Math.max(1, msFirst[z]?.length ?? 0) / 1024,
      mapserverRps: med('mapserver', z, (r) => r.rps), oursRps: med('ours', z, (r) => r.rps), cachedRps: med('ours-cached', z, (r) => r.rps),
      oursP50Ms: latencyP50[z] ?? NaN, bareMs: bareMs[z] ?? NaN, cachedSqlPerRequest: sqlPerRequest[z] ?? NaN,
    }));
    const partial = { zooms, sweep, networksSweep };
    const summary: TilesSummary = { ...partial, goals: judgeTiles(partial) };
    const env = { ...environment(ROOT, {}), mapserver: anchor.version };
    const commands = {
      ours: api.command.replace(' node ', ' [SAMENHANG_TILE_CACHE_MB=0 for the uncached runs] node '),
      mapserver: anchor.command, load: wrkCommand(opts), latency: wrkCommand({ ...opts, connections: 1 }),
      bench: showCommand('npm', ['run', 'bench', '--', 'tiles', '--size', String(opts.size), '--repeat', String(opts.repeat), '--seed', String(opts.seed), '--seconds', String(opts.seconds)]),
    };
    const json = path.join(BENCH_DIR, `tiles-${stamp}.json`);
    await writeFile(json, `${JSON.stringify({ bench: 'tiles', synthetic: true, startedAt: stamp, options: opts, city, environment: env, commands, runs, latency: latencyRuns, bare: bareRuns, summary }, null, 2)}\n`);
    console.log(formatTilesReport({ city, options: opts, environment: env, summary, commands, system: BENCH_SYSTEM }));
    console.log(`results: ${path.relative(ROOT, json)}`);
  } finally {
    await api?.stop();
    await ms?.stop();
    await fx.close();
  }
}
