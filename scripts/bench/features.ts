/**
 * `npm run bench -- features`: OGC API – Features items of one vital system of the SYNTHETIC city
 * (issue 9), `bbox` + `limit=1000`, side by side in one run with MapServer 8's OGC API (the same
 * FastCGI anchor as the tile benchmark, PostGIS doing the transform to WGS84). Ours is the API
 * server as `npm start` runs it, signed in (access control on). Load: wrk on loopback, cycling
 * through the boxes of every z15 tile inside the city (~800 m, 1,000+ mains each).
 * The goal's reference is MapServer writing the same properties as ours (layer `features`); the
 * lighter layer of five properties (`features5`, the anchor until 2026-11-30) is measured beside it
 * for information.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ApiServer, startApi } from './analysis-api.ts';
import { environment } from './analysis-report.ts';
import { BENCH_SYSTEM, cityFixture } from './city-fixture.ts';
import { BENCH_DIR, ROOT } from './import.ts';
import { type MapServerAnchor, ensureMapServer, startMapServer } from './mapserver.ts';
import { median, showCommand } from './measure.ts';
import { type Bbox, type Tile, innerTiles } from './tiles-sql.ts';
import { type WrkResult, ensureWrk, runWrk, wrkCommand } from './wrk.ts';
import { EXPORT_MEMORY_GOAL_MB, EXPORT_TIME_GOAL, type ExportRun, gdalExport, gdalExportShown, ourExport, ourExportPath } from './features-export.ts';

export interface FeaturesBenchOptions {
  size: number;
  repeat: number;
  seed: number;
  seconds: number;
  connections: number;
}

const LIMIT = 1000;
const ZOOM = 15;
export const ITEMS_GOAL = 2.5;
const log = (msg: string) => console.error(`[bench] ${msg}`);

/** WGS84 [w, s, e, n] of a Web Mercator tile, 6 decimals (as a client would send). */
export function tileBbox(t: Tile): Bbox {
  const lon = (x: number) => (x / 2 ** t.z) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** t.z))) * 180) / Math.PI;
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return [r(lon(t.x)), r(lat(t.y + 1)), r(lon(t.x + 1)), r(lat(t.y))];
}

interface Page { status: number; returned: number; bytes: number }

async function page(url: string, auth?: string): Promise<Page> {
  const res = await fetch(url, { headers: { accept: 'application/geo+json', ...(auth ? { authorization: auth } : {}) } });
  const text = await res.text();
  const body = JSON.parse(text) as { features?: unknown[] };
  return { status: res.status, returned: body.features?.length ?? -1, bytes: text.length };
}

export async function runFeaturesBench(opts: FeaturesBenchOptions): Promise<void> {
  ensureMapServer();
  ensureWrk();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(BENCH_DIR, `features-${stamp}`);
  await mkdir(dir, { recursive: true });
  const fx = await cityFixture(opts.size, opts.seed, log);
  let api: ApiServer | null = null;
  let ms: MapServerAnchor | null = null;
  try {
    ms = await startMapServer(path.join(dir, 'mapserver'), fx.db.url, BENCH_SYSTEM, 2);
    const anchor = ms;
    api = await startApi(ROOT, fx.db.url);
    const boxes = innerTiles(fx.bbox, ZOOM).map(tileBbox);
    const ours = boxes.map((b) => `/ogc/collections/${BENCH_SYSTEM}/items?f=json&limit=${LIMIT}&bbox=${b.join(',')}`);
    const theirs = boxes.map((b) => anchor.itemsPath(b, LIMIT));
    const theirs5 = boxes.map((b) => anchor.itemsPath(b, LIMIT, 'features5'));
    log(`${boxes.length} boxes (z${ZOOM} tiles inside the city); one untimed pass each, checking both sides return the same number of features`);
    let mismatches = 0;
    const returned: number[] = [];
    const bytes = { ours: 0, mapserver: 0, mapserver5: 0 };
    for (let i = 0; i < boxes.length; i++) {
      const a = await page(api.baseUrl + (ours[i] ?? ''), fx.auth);
      const m = await page(anchor.baseUrl + (theirs[i] ?? ''));
      const m5 = await page(anchor.baseUrl + (theirs5[i] ?? ''));
      if (a.status !== 200 || m.status !== 200 || m5.status !== 200) throw new Error(`box ${boxes[i]?.join(',')}: ours ${a.status}, MapServer ${m.status} / ${m5.status}`);
      if (a.returned !== m.returned || a.returned !== m5.returned) mismatches++;
      returned.push(a.returned);
      bytes.ours += a.bytes;
      bytes.mapserver += m.bytes;
      bytes.mapserver5 += m5.bytes;
    }
    const load = async (baseUrl: string, paths: string[], auth?: string): Promise<WrkResult> => {
      const r = await runWrk({ baseUrl, paths, connections: opts.connections, seconds: opts.seconds, authorization: auth, dir });
      if (r.errors > 0 || r.non2xx > 0) throw new Error(`wrk against ${baseUrl}: ${r.errors} socket errors, ${r.non2xx} non-2xx answers`);
      return r;
    };
    // Steady state for both: an untimed load first, with the same connections. The one-by-one pass
    // above opens one database connection per side; wrk's eight found the other seven new (a new
    // PostgreSQL backend sets up PROJ and its catalog caches on its first page) and a cold JIT in
    // Node, so the first timed run of the API measured its start-up (37 against 50–56 req/s after).
    const warm = { mapserver: await load(anchor.baseUrl, theirs), mapserver5: await load(anchor.baseUrl, theirs5), ours: await load(api.baseUrl, ours, fx.auth) };
    log(`warm-up (untimed): MapServer ${warm.mapserver.rps.toFixed(1)} req/s (five properties ${warm.mapserver5.rps.toFixed(1)}), ours ${warm.ours.rps.toFixed(1)} req/s`);
    const runs: { side: 'mapserver' | 'mapserver5' | 'ours'; repeat: number; r: WrkResult }[] = [];
    for (let repeat = 1; repeat <= opts.repeat; repeat++) {
      const m = await load(anchor.baseUrl, theirs);
      const m5 = await load(anchor.baseUrl, theirs5);
      const o = await load(api.baseUrl, ours, fx.auth);
      runs.push({ side: 'mapserver', repeat, r: m }, { side: 'mapserver5', repeat, r: m5 }, { side: 'ours', repeat, r: o });
      log(`#${repeat}: MapServer ${m.rps.toFixed(1)} req/s (p50 ${m.p50Ms.toFixed(0)} ms; five properties ${m5.rps.toFixed(1)} req/s), ours ${o.rps.toFixed(1)} req/s (p50 ${o.p50Ms.toFixed(0)} ms)`);
    }
    log('full export of every asset as GeoJSON in WGS84: ours (selection export) and ogr2ogr, interleaved');
    const everything = await fx.sql.query<{ b: number[] }>('SELECT ARRAY[ST_XMin(e) - 0.001, ST_YMin(e) - 0.001, ST_XMax(e) + 0.001, ST_YMax(e) + 0.001] AS b FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM asset) s');
    const cityBox = (everything.rows[0]?.b ?? []) as unknown as Bbox;
    const exports: (ExportRun & { repeat: number })[] = [];
    for (let repeat = 1; repeat <= opts.repeat; repeat++) {
      const o = await ourExport(api, fx.auth, cityBox);
      const g = await gdalExport(fx.db.url, path.join(dir, 'gdal-export.geojson'));
      exports.push({ ...o, repeat }, { ...g, repeat });
      log(`#${repeat} export: ours ${(o.ms / 1000).toFixed(1)} s, ${o.features} features, ${(o.bytes / 2 ** 20).toFixed(0)} MB, server memory +${o.memoryMb.toFixed(0)} MB; ogr2ogr ${(g.ms / 1000).toFixed(1)} s, ${g.features} features, ${(g.bytes / 2 ** 20).toFixed(0)} MB`);
    }
    const exp = (side: string, f: (r: ExportRun) => number) => median(exports.filter((x) => x.side === side).map(f));
    const exportSummary = {
      oursMs: exp('ours', (r) => r.ms), gdalMs: exp('gdal', (r) => r.ms), oursFeatures: exp('ours', (r) => r.features), gdalFeatures: exp('gdal', (r) => r.features),
      oursMemoryGrowthMb: Math.max(...exports.filter((x) => x.side === 'ours').map((x) => x.memoryMb)),
    };
    const timeRatio = exportSummary.oursMs / exportSummary.gdalMs;
    const med = (side: string, f: (r: WrkResult) => number) => median(runs.filter((x) => x.side === side).map((x) => f(x.r)));
    const summary = {
      boxes: boxes.length, medianReturned: median(returned), countMismatches: mismatches,
      meanKb: { ours: bytes.ours / boxes.length / 1024, mapserver: bytes.mapserver / boxes.length / 1024, mapserver5: bytes.mapserver5 / boxes.length / 1024 },
      mapserverRps: med('mapserver', (r) => r.rps), mapserver5Rps: med('mapserver5', (r) => r.rps), oursRps: med('ours', (r) => r.rps),
      mapserverP50Ms: med('mapserver', (r) => r.p50Ms), oursP50Ms: med('ours', (r) => r.p50Ms),
    };
    const ratio = summary.oursRps / summary.mapserverRps;
    const ratio5 = summary.oursRps / summary.mapserver5Rps;
    const env = { ...environment(ROOT, {}), mapserver: anchor.version };
    const commands = {
      ours: `${api.command}; GET /ogc/collections/${BENCH_SYSTEM}/items?f=json&limit=${LIMIT}&bbox=<w,s,e,n> with Bearer <token of the municipality's administrator>`,
      mapserver: `${anchor.command}; GET ${anchor.itemsPath([0, 0, 0, 0], LIMIT).replace('0,0,0,0', '<w,s,e,n>')} (layer features5 for five properties)`,
      load: wrkCommand(opts),
      exportOurs: `GET ${ourExportPath([0, 0, 0, 0]).replace('0,0,0,0', '<extent of the city>')} with the same token, streamed and discarded`,
      exportGdal: gdalExportShown(),
      bench: showCommand('npm', ['run', 'bench', '--', 'features', '--size', String(opts.size), '--repeat', String(opts.repeat), '--seed', String(opts.seed), '--seconds', String(opts.seconds)]),
    };
    const json = path.join(BENCH_DIR, `features-${stamp}.json`);
    await writeFile(json, `${JSON.stringify({ bench: 'features', synthetic: true, startedAt: stamp, options: opts, city: fx.city, environment: env, commands, warmUp: warm, runs, summary, exports, exportSummary }, null, 2)}\n`);
    console.log([
      '',
      `FEATURES BENCHMARK — SYNTHETIC city: ${fx.city.assets.toLocaleString('en-US')} segments (seed ${fx.city.seed}); layer ${BENCH_SYSTEM}; OGC API items, bbox + limit ${LIMIT}`,
      `medians of ${opts.repeat} wrk run(s) of ${opts.seconds} s with ${opts.connections} connections over ${boxes.length} boxes`,
      `environment: ${Object.entries(env).map(([k, v]) => `${k} ${v}`).join('; ')}`,
      'commands:', ...Object.entries(commands).map(([k, v]) => `  ${k}: ${v}`),
      '',
      `features per page (median): ${summary.medianReturned}; pages where the two sides returned a different number: ${mismatches}`,
      `mean page size: ours ${summary.meanKb.ours.toFixed(0)} KB, MapServer ${summary.meanKb.mapserver.toFixed(0)} KB (five properties ${summary.meanKb.mapserver5.toFixed(0)} KB)`,
      `MapServer, the same properties as ours: ${summary.mapserverRps.toFixed(1)} req/s (p50 ${summary.mapserverP50Ms.toFixed(0)} ms) | ours ${summary.oursRps.toFixed(1)} req/s (p50 ${summary.oursP50Ms.toFixed(0)} ms)`,
      `ratio ${ratio.toFixed(2)}x, goal ≥ ${ITEMS_GOAL.toFixed(1)}x: ${ratio >= ITEMS_GOAL ? 'PASS' : 'FAIL'}`,
      `for information, MapServer writing five properties (id, system, class, status, label; ~a third of the bytes): ${summary.mapserver5Rps.toFixed(1)} req/s, ours ${ratio5.toFixed(2)}x that`,
      '',
      `full export (medians): ours ${(exportSummary.oursMs / 1000).toFixed(1)} s (${exportSummary.oursFeatures} features), ogr2ogr ${(exportSummary.gdalMs / 1000).toFixed(1)} s (${exportSummary.gdalFeatures} features)`,
      `time ratio ours/ogr2ogr ${timeRatio.toFixed(2)}, goal ≤ ${EXPORT_TIME_GOAL}: ${timeRatio <= EXPORT_TIME_GOAL ? 'PASS' : 'FAIL'}; server memory growth (worst run) ${exportSummary.oursMemoryGrowthMb.toFixed(0)} MB, goal < ${EXPORT_MEMORY_GOAL_MB} MB: ${exportSummary.oursMemoryGrowthMb < EXPORT_MEMORY_GOAL_MB ? 'PASS' : 'FAIL'}`,
      `results: ${path.relative(ROOT, json)}`,
    ].join('\n'));
  } finally {
    await api?.stop();
    await ms?.stop();
    await fx.close();
  }
}
