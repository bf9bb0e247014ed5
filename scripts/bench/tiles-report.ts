/** Goals and the printed table of the tile benchmark (issue 9). */
import type { CityStats } from './generate-city.ts';

export interface ZoomSummary {
  z: number;
  tiles: number;
  nonEmpty: number;
  oursMeanKb: number;
  mapserverMeanKb: number;
  /** medians over the repeats, wrk with N connections */
  mapserverRps: number;
  oursRps: number;
  cachedRps: number;
  /** our median latency with one connection (no queueing), and the bare SQL median inside PostgreSQL */
  oursP50Ms: number;
  bareMs: number;
  /** PostgreSQL transactions per request while the cached server was under load (sign-in lookups) */
  cachedSqlPerRequest: number;
}

export interface SweepZoom { z: number; tiles: number; maxBytes: number; p95Ms: number }
/** the networks tileset (all systems of the city in one tile, as the web map fetches it): how many tiles had layers merged to fit */
export interface NetworksSweepZoom extends SweepZoom { merged: number }

export interface Goal { name: string; measured: string; goal: string; pass: boolean }

export interface TilesSummary {
  zooms: ZoomSummary[];
  sweep: SweepZoom[];
  networksSweep: NetworksSweepZoom[];
  goals: Goal[];
}

const MAX_TILE_BYTES = 500 * 1024;

export function judgeTiles(s: Omit<TilesSummary, 'goals'>): Goal[] {
  const goals: Goal[] = [];
  const rpsGoal: Record<number, number> = { 14: 2.0, 16: 1.5 };
  for (const z of s.zooms) {
    const ratio = z.oursRps / z.mapserverRps;
    const need = rpsGoal[z.z];
    if (need !== undefined) goals.push({ name: `z${z.z} requests/s vs MapServer`, measured: `${ratio.toFixed(2)}x`, goal: `≥ ${need.toFixed(1)}x`, pass: ratio >= need });
    goals.push({ name: `z${z.z} median latency vs bare ST_AsMVT + 5 ms`, measured: `${z.oursP50Ms.toFixed(1)} ms vs ${(z.bareMs + 5).toFixed(1)} ms`, goal: '≤', pass: z.oursP50Ms <= z.bareMs + 5 });
    if (z.z === 14) {
      const cached = z.cachedRps / z.oursRps;
      goals.push({ name: 'z14 cached vs uncached requests/s', measured: `${cached.toFixed(2)}x`, goal: '≥ 5.0x', pass: cached >= 5 });
    }
  }
  const biggest = Math.max(...s.sweep.map((w) => w.maxBytes));
  goals.push({ name: 'largest tile z10–z16', measured: `${(biggest / 1024).toFixed(0)} KB`, goal: '≤ 500 KB', pass: biggest <= MAX_TILE_BYTES });
  const networks = Math.max(...s.networksSweep.map((w) => w.maxBytes));
  goals.push({ name: 'largest networks tile z10–z16 (the map\'s)', measured: `${(networks / 1024).toFixed(0)} KB`, goal: '≤ 500 KB', pass: networks <= MAX_TILE_BYTES });
  const low = s.sweep.filter((w) => w.z >= 10 && w.z <= 13);
  const worst = Math.max(...low.map((w) => w.p95Ms));
  goals.push({ name: 'p95 latency z10–z13 (worst zoom)', measured: `${worst.toFixed(0)} ms`, goal: '≤ 200 ms', pass: worst <= 200 });
  const networksLow = Math.max(...s.networksSweep.filter((w) => w.z >= 10 && w.z <= 13).map((w) => w.p95Ms));
  goals.push({ name: 'p95 latency z10–z13, networks tiles (the map\'s)', measured: `${networksLow.toFixed(0)} ms`, goal: '≤ 200 ms', pass: networksLow <= 200 });
  return goals;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
const n1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

export interface TilesReportInput {
  city: CityStats;
  system: string;
  options: { repeat: number; seconds: number; connections: number };
  environment: Record<string, string | number | boolean>;
  summary: TilesSummary;
  commands: Record<string, string>;
}

export function formatTilesReport(input: TilesReportInput): string {
  const { city, system, options, environment, summary, commands } = input;
  const zooms = table(
    ['zoom', 'tiles', 'non-empty', 'ours KB', 'MapServer KB', 'MapServer req/s', 'ours req/s', 'ratio', 'cached req/s', 'cached/uncached', 'SQL/req cached', 'ours p50 ms (1 conn)', 'bare SQL ms'],
    summary.zooms.map((z) => [`z${z.z}`, String(z.tiles), String(z.nonEmpty), n1(z.oursMeanKb), n1(z.mapserverMeanKb), n0(z.mapserverRps), n0(z.oursRps),
      `${(z.oursRps / z.mapserverRps).toFixed(2)}x`, n0(z.cachedRps), `${(z.cachedRps / z.oursRps).toFixed(2)}x`, z.cachedSqlPerRequest.toFixed(2), n1(z.oursP50Ms), n1(z.bareMs)]),
  );
  const sweep = table(['zoom', 'tiles over the city', 'largest tile KB', 'p95 ms'],
    summary.sweep.map((w) => [`z${w.z}`, String(w.tiles), n1(w.maxBytes / 1024), n0(w.p95Ms)]));
  const networks = table(['zoom', 'tiles over the city', 'largest networks tile KB', 'p95 ms', 'tiles with merged layers'],
    summary.networksSweep.map((w) => [`z${w.z}`, String(w.tiles), n1(w.maxBytes / 1024), n0(w.p95Ms), String(w.merged)]));
  const goals = table(['goal', 'measured', 'target', 'result'], summary.goals.map((g) => [g.name, g.measured, g.goal, g.pass ? 'PASS' : 'FAIL']));
  return [
    '',
    `TILE BENCHMARK — SYNTHETIC city: ${city.assets.toLocaleString('en-US')} segments, ${city.trees.toLocaleString('en-US')} trees, ${city.works.toLocaleString('en-US')} works (seed ${city.seed}); layer ${system}`,
    `low-zoom overviews (migration 020) of every layer built in ${n1(city.overviewMs / 1000)} s; below z14 tiles are drawn from them`,
    `medians of ${options.repeat} wrk run(s) of ${options.seconds} s with ${options.connections} connections; latency: one connection, each repeat between two measurements of the bare SQL (medians of the same minutes); every tile path of the zoom in turn`,
    `environment: ${Object.entries(environment).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    '',
    'commands:', ...Object.entries(commands).map(([k, v]) => `  ${k}: ${v}`),
    '',
    'ours = GET /tiles/<system>/z/x/y.mvt as a signed-in administrator of the municipality (access control, ETag, audit), the',
    '  tile cache off (SAMENHANG_TILE_CACHE_MB=0) unless "cached"; MapServer = mode=tile&map.imagetype=mvt, 2 FastCGI processes,',
    '  no access control; bare SQL = the same ST_AsMVT (same rows, columns, simplification, Web Mercator map) without access control,',
    '  in PostgreSQL, prepared with its generic plan as the API runs it (planning + execution, EXPLAIN ANALYZE)',
    '',
    zooms,
    '',
    sweep,
    '',
    'networks = GET /tiles/networks/z/x/y.mvt?layers=<every system of the city>, what the web map fetches: the lean encoding, a tile',
    '  over 500 KB with its largest layers merged (decision 121); cache off, 5 passes at z10–z13 (1 at z14, z16) after one untimed pass',
    networks,
    '',
    goals,
  ].join('\n');
}
