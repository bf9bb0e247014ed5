/** Types, medians and the printed table of the scale benchmark (issue 9 §4). */
import type { CityStats } from './generate-city.ts';
import { median } from './measure.ts';
import type { WrkResult } from './wrk.ts';

export const SIDES = [
  { key: 'one', label: 'a) one API process', processes: 1, replica: false },
  { key: 'two', label: 'b) two API processes behind nginx', processes: 2, replica: false },
  { key: 'two-replica', label: 'c) b + reads from a local streaming replica', processes: 2, replica: true },
] as const;
export type SideKey = (typeof SIDES)[number]['key'];

export const WORKLOADS = [
  { key: 'z14', label: 'z14 tiles, uncached' },
  { key: 'z16', label: 'z16 tiles, uncached' },
  { key: 'z14-cached', label: 'z14 tiles, cached' },
  { key: 'items', label: 'OGC items (bbox of a z15 tile, limit 1000)' },
] as const;
export type WorkloadKey = (typeof WORKLOADS)[number]['key'];

export interface ScaleRun {
  side: SideKey;
  workload: WorkloadKey;
  repeat: number;
  r: WrkResult;
  /** requests per process during the run (nginx access log; the one process gets all on side a) */
  split: Record<string, number>;
  /** X-Read-From of the run's answers (nginx access log); null on side a (no balancer to log them) */
  readFrom: { replica: number; primary: number; none: number } | null;
}

export interface SideChecks {
  side: SideKey;
  /** X-Samenhang-Process of consecutive sequential requests through the balancer (two-process sides) */
  sequence: string[];
  strictlyAlternating: boolean | null;
  /** X-Read-From of the untimed sequential pass (tiles and items, cache off): absent on sides without a replica */
  readFrom: { replica: number; primary: number; none: number };
  /** answers of the cached pass through the target that were X-Tile-Cache: hit, of all */
  cachedHits: [number, number];
  /**
   * SQL transactions of the bench database over the whole side (processes started → stopped, so
   * every backend has reported; background work included) on the primary and the replica, and
   * the requests answered meanwhile (wrk's completed requests + the sequential passes)
   */
  tx: { primary: number; replica: number | null; requests: number };
}

export interface ScaleRow {
  workload: WorkloadKey;
  side: SideKey;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** req/s ÷ side a's */
  ratio: number;
  /** the smallest process's share of the requests (0.5 = even) */
  minShare: number | null;
  /** share of the answers that read SQL and read it from the replica (null: no replica, or nothing read) */
  replicaShare: number | null;
}

export function summarise(runs: readonly ScaleRun[]): ScaleRow[] {
  const rows: ScaleRow[] = [];
  for (const w of WORKLOADS) {
    const of = (side: SideKey) => runs.filter((x) => x.side === side && x.workload === w.key);
    const base = median(of('one').map((x) => x.r.rps));
    for (const s of SIDES) {
      const mine = of(s.key);
      if (mine.length === 0) continue;
      const rps = median(mine.map((x) => x.r.rps));
      const shares = mine.map((x) => {
        const counts = Object.values(x.split);
        const total = counts.reduce((a, b) => a + b, 0);
        return s.processes > 1 && total > 0 ? Math.min(...counts, ...(counts.length < s.processes ? [0] : [])) / total : NaN;
      });
      const read = mine.reduce((acc, x) => ({ replica: acc.replica + (x.readFrom?.replica ?? 0), primary: acc.primary + (x.readFrom?.primary ?? 0) }), { replica: 0, primary: 0 });
      rows.push({
        workload: w.key, side: s.key, rps, p50Ms: median(mine.map((x) => x.r.p50Ms)), p99Ms: median(mine.map((x) => x.r.p99Ms)),
        ratio: rps / base, minShare: s.processes > 1 ? Math.min(...shares) : null,
        replicaShare: s.replica && read.replica + read.primary > 0 ? read.replica / (read.replica + read.primary) : null,
      });
    }
  }
  return rows;
}

export interface ScaleReportInput {
  city: CityStats;
  system: string;
  options: { size: number; repeat: number; seconds: number; connections: number };
  environment: Record<string, string | number | boolean>;
  commands: Record<string, string>;
  lists: Record<WorkloadKey, number>;
  rows: ScaleRow[];
  checks: SideChecks[];
  replica: { backupSeconds: number; settings: string[] };
}

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(v >= 100 ? 0 : 1) : '–');
const pad = (s: string, n: number) => s.padEnd(n);

export function formatScaleReport(i: ScaleReportInput): string {
  const side = (k: SideKey) => SIDES.find((s) => s.key === k)?.label.slice(0, 2) ?? k;
  const table = [
    `${pad('workload', 52)}${pad('side', 6)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('×a', 7)}${pad('min share', 11)}read from replica`,
    ...i.rows.map((r) => {
      const w = WORKLOADS.find((x) => x.key === r.workload)?.label ?? r.workload;
      return `${pad(`${w} (${i.lists[r.workload]} paths)`, 52)}${pad(side(r.side), 6)}${pad(f1(r.rps), 9)}${pad(f1(r.p50Ms), 9)}${pad(f1(r.p99Ms), 9)}`
        + `${pad(r.ratio.toFixed(2), 7)}${pad(r.minShare === null ? '–' : `${(r.minShare * 100).toFixed(0)} %`, 11)}${r.replicaShare === null ? '–' : `${(r.replicaShare * 100).toFixed(1)} %`}`;
    }),
  ];
  const checks = i.checks.map((c) => {
    const label = SIDES.find((s) => s.key === c.side)?.label ?? c.side;
    const alternation = c.strictlyAlternating === null ? 'one process' : `X-Samenhang-Process over ${c.sequence.length} sequential requests ${c.strictlyAlternating ? 'alternated strictly' : 'did NOT alternate'} (${[...new Set(c.sequence)].length} processes)`;
    return `  ${label}: ${alternation}; untimed pass X-Read-From: replica ${c.readFrom.replica}, primary ${c.readFrom.primary}, absent ${c.readFrom.none}; `
      + `cached pass hits ${c.cachedHits[0]}/${c.cachedHits[1]}; SQL transactions of the bench database over the side: primary ${c.tx.primary}, replica ${c.tx.replica ?? '–'} (${c.tx.requests} requests answered, cache hits included)`;
  });
  return [
    '',
    `SCALE BENCHMARK — SYNTHETIC city: ${i.city.assets.toLocaleString('en-US')} segments (seed ${i.city.seed}); layer ${i.system}; signed in (access control on)`,
    `medians of ${i.options.repeat} wrk run(s) of ${i.options.seconds} s with ${i.options.connections} connections; ×a = req/s ÷ side a's; min share = the smaller process's share of the run's requests,`,
    '  read from replica = share of the answers read by SQL that said X-Read-From: replica (both from the nginx access log of every run)',
    `replica: pg_basebackup of the whole local cluster (${i.replica.backupSeconds.toFixed(1)} s), hot standby on the same machine with ${i.replica.settings.join(', ')}`,
    `environment: ${Object.entries(i.environment).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    'commands:', ...Object.entries(i.commands).map(([k, v]) => `  ${k}: ${v}`),
    '',
    ...table,
    '',
    'checks:', ...checks,
    '',
    'What this shows, honestly: every process (two Node API processes, nginx, the primary, the replica and',
    `wrk itself) shares the same ${String(i.environment.cpus ?? '?')} cores. Uncached tiles and items pages are CPU-bound in PostgreSQL (ST_AsMVTGeom,`,
    'ST_AsGeoJSON per row), so a second API process or a replica on the same cores cannot add capacity: expect',
    'ratios near 1 or below (the balancer hop and a second set of caches cost something). Cached tiles are',
    'CPU-bound in Node and nginx on the same cores. The benchmark demonstrates the mechanics and their',
    'correctness under load: requests alternate between processes, the replica side reads its tiles and',
    'pages from the replica (X-Read-From under load, and the transactions counted by the replica itself),',
    'every cached tile is a hit without SQL, and nothing fails.',
    'On separate machines, what would scale: uncached tiles and items pages with the number of replica',
    'machines (each replica adds its cores to the CPU-bound SQL, while the primary keeps the writes),',
    'cached tiles and sign-in lookups with the number of API machines (each process answers hits without',
    'SQL), and the balancer is cheap next to either.',
  ].join('\n');
}
