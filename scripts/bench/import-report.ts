/** Medians, ratios, goals and the printed table of the import benchmark. */
import { median } from './measure.ts';

export const FORMATS = ['geojson', 'gpkg', 'shp'] as const;
export type FormatKey = (typeof FORMATS)[number];
export type RunSide = 'product' | 'gdal' | 'gdal-gist';

export interface ImportRun {
  format: FormatKey;
  side: RunSide;
  repeat: number;
  wallMs: number;
  peakRssMb: number;
  rows: number;
  /** durationMs from the product's own JSON report (inside the process, after start-up) */
  reportedMs: number | null;
  /** product runs: the same rows through the load's SQL alone (import-floor.ts) */
  floorMs: number | null;
  /** product runs: building the low-zoom overview after the load committed (report phasesMs.overview; inside wallMs) */
  overviewMs: number | null;
}

/** Goals of the issue: product throughput / GDAL throughput per format, and our peak memory. */
export const GOALS: Record<FormatKey, number> = { geojson: 2.0, gpkg: 1.0, shp: 1.0 };
export const RSS_GOAL_MB = 512;

export interface SideSummary {
  runs: number;
  medianWallMs: number;
  featuresPerSec: number;
  medianRssMb: number;
  maxRssMb: number;
  /** N ÷ the median durationMs the product reports itself (process start-up and file open excluded) */
  inProcessPerSec: number | null;
  /** N ÷ the median database floor (product side only) */
  floorPerSec: number | null;
  /** median time spent on the low-zoom overview after the commit (product side only) */
  overviewMs: number | null;
  /** N ÷ the median of (wall − overview): the layer loaded, indexed, committed and drawn (product side only) */
  toCommitPerSec: number | null;
}

export interface FormatSummary {
  format: FormatKey;
  product: SideSummary;
  gdal: SideSummary;
  gdalGist: SideSummary | null;
  /** product features/s ÷ GDAL (SPATIAL_INDEX=NONE) features/s, medians (whole process, overview included) */
  ratio: number;
  /** product features/s up to the commit ÷ the goal's GDAL reference: what the goal is judged on */
  ratioToCommit: number | null;
  /** product features/s ÷ GDAL with its default GiST index: the goal's reference when it was run */
  ratioVsGist: number | null;
  /** database floor features/s ÷ the goal's GDAL reference: the best ratio our storage allows here */
  ceiling: number | null;
  goal: number;
  throughputPass: boolean;
  rssPass: boolean;
}

function side(runs: readonly ImportRun[], size: number): SideSummary | null {
  if (runs.length === 0) return null;
  const wall = median(runs.map((r) => r.wallMs));
  return {
    runs: runs.length,
    medianWallMs: wall,
    featuresPerSec: size / (wall / 1000),
    medianRssMb: median(runs.map((r) => r.peakRssMb)),
    maxRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    inProcessPerSec: runs.every((r) => r.reportedMs !== null) ? size / (median(runs.map((r) => r.reportedMs ?? NaN)) / 1000) : null,
    floorPerSec: runs.every((r) => r.floorMs !== null) ? size / (median(runs.map((r) => r.floorMs ?? NaN)) / 1000) : null,
    overviewMs: runs.every((r) => r.overviewMs !== null) ? median(runs.map((r) => r.overviewMs ?? NaN)) : null,
    toCommitPerSec: runs.every((r) => r.overviewMs !== null) ? size / (median(runs.map((r) => r.wallMs - (r.overviewMs ?? 0))) / 1000) : null,
  };
}

export function summarise(runs: readonly ImportRun[], size: number, formats: readonly FormatKey[]): FormatSummary[] {
  return formats.map((format) => {
    const of = (s: RunSide) => side(runs.filter((r) => r.format === format && r.side === s), size);
    const product = of('product');
    const gdal = of('gdal');
    const gdalGist = of('gdal-gist');
    if (!product || !gdal) throw new Error(`no runs for ${format}`);
    const ratio = product.featuresPerSec / gdal.featuresPerSec;
    const reference = (gdalGist ?? gdal).featuresPerSec;
    const ratioToCommit = product.toCommitPerSec === null ? null : product.toCommitPerSec / reference;
    return {
      format, product, gdal, gdalGist, ratio, ratioToCommit,
      ratioVsGist: gdalGist ? product.featuresPerSec / gdalGist.featuresPerSec : null,
      ceiling: product.floorPerSec === null ? null : product.floorPerSec / (gdalGist ?? gdal).featuresPerSec,
      goal: GOALS[format],
      // `ogr2ogr -f PostgreSQL` as the issue names it builds a GiST index by default, as our load
      // does; without the GiST row (--no-gist) the stricter no-index row is the reference
      // judged up to the commit (the layer is loaded, indexed and drawn at every zoom then); the overview
      // built afterwards is extra work GDAL does not do, shown beside it and in the whole-process ratio
      throughputPass: (ratioToCommit ?? product.featuresPerSec / reference) >= GOALS[format],
      rssPass: product.maxRssMb <= RSS_GOAL_MB,
    };
  });
}

const WHAT_PRODUCT = [
  'starts node, which runs the bundled CLI (scripts/lib/cli-bundle.mjs) and checks migrations (already applied: no-op)',
  'reads the file in Node with a streaming reader (api/src/ingest/formats), detects the CRS; a large file is read',
  '  again by one worker thread per core, each staging its share of 2,000-feature chunks (decision 110); a GeoJSON',
  '  file is scanned once on the load\'s thread, which sends each chunk\'s byte places to its worker (decision 113)',
  'per feature: reprojection to the working CRS (identity here), geometry checks (NaN, too few points,',
  '  distinct points, ring closure, inside the Netherlands) while writing EWKB (GeoPackage and Shapefile WKB is copied)',
  '  into binary COPY rows (decision 109),',
  '  attribute mapping onto the asset model (system, owner, material, diameter, year, status, condition, label),',
  '  owner resolution to organisations (new ones created), repeated-id detection, and as json every property',
  '    that no model column holds as delivered (decision 106: here the id, condition and length_m), written',
  '    straight into the row (decision 112)',
  'ONE transaction: COPY into a new table of the layer (no index yet), ST_IsValidDetail on what only PostGIS',
  '  can judge (polygons, lines without two distinct points: none in this data), GiST on geom and BRIN on id',
  '  built once, ATTACH as the layer\'s partition of `asset` (checks the foreign keys), dataset statistics, COMMIT',
  'then, in a transaction of its own, the low-zoom overview (cells of 100/400/1,600 m; migration 020)',
];
const WHAT_GDAL = [
  'reads the file in C/C++ (GDAL drivers), no transformation (source and target both EPSG:28992)',
  'CREATE TABLE bench_gdal (primary key: ogc_fid, or the GeoJSON/GPKG integer id used as FID; one column per',
  '  attribute; geom), COPY, commit every 65536 features',
  'no geometry validation, no mapping, no content hash',
  'GDAL+GiST row (ogr2ogr\'s default, the goal\'s reference): CREATE INDEX … USING GIST (geom) once after',
  '  loading, as our load does; GDAL row: SPATIAL_INDEX=NONE, only the primary key index (for information)',
];

const fmtInt = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
const fmtRatio = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${v.toFixed(2)}x`);

function table(summary: readonly FormatSummary[]): string {
  const header = ['format', 'ours f/s', '(in-process)', 'overview s', 'to commit f/s', 'GDAL+GiST f/s', 'ratio', 'to commit', 'goal', 'result', 'GDAL no-index f/s', 'ratio', 'DB floor f/s', 'ceiling', 'our peak RSS', `≤ ${RSS_GOAL_MB} MB`, 'GDAL RSS'];
  const rows = summary.map((s) => [
    s.format, fmtInt(s.product.featuresPerSec), s.product.inProcessPerSec === null ? '-' : fmtInt(s.product.inProcessPerSec),
    s.product.overviewMs === null ? '-' : (s.product.overviewMs / 1000).toFixed(1),
    s.product.toCommitPerSec === null ? '-' : fmtInt(s.product.toCommitPerSec),
    s.gdalGist ? fmtInt(s.gdalGist.featuresPerSec) : '-', fmtRatio(s.ratioVsGist), fmtRatio(s.ratioToCommit), `≥ ${s.goal.toFixed(1)}x`,
    s.throughputPass ? 'PASS' : 'FAIL', fmtInt(s.gdal.featuresPerSec), fmtRatio(s.ratio),
    s.product.floorPerSec === null ? '-' : fmtInt(s.product.floorPerSec), fmtRatio(s.ceiling),
    `${fmtInt(s.product.maxRssMb)} MB`, s.rssPass ? 'PASS' : 'FAIL', `${fmtInt(s.gdal.maxRssMb)} MB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export interface ReportInput {
  files: { seed: number; size: number; geojson: string; gpkg: string; shp: string; generated: boolean };
  options: { repeat: number };
  environment: Record<string, string | number>;
  summary: readonly FormatSummary[];
  commands: { product: string; gdal: string; gdalGist: string };
}

export function formatReport(input: ReportInput): string {
  const { files, options, environment, summary, commands } = input;
  const out = [
    '',
    `IMPORT BENCHMARK — SYNTHETIC data: ${files.size.toLocaleString('en-US')} line segments in EPSG:28992, 10 attributes, seed ${files.seed}`,
    `(generated by scripts/bench/generate-network.ts${files.generated ? '' : ', reused from .data/bench'}; not real utility data)`,
    `median of ${options.repeat} run(s) per side; wall time of the whole process; each run into a fresh database`,
    `environment: ${Object.entries(environment).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    '',
    'our side does:', ...WHAT_PRODUCT.map((l) => `  ${l}`),
    'GDAL does:', ...WHAT_GDAL.map((l) => `  ${l}`),
    '',
    'commands:',
    `  ours:      ${commands.product}`,
    `  GDAL:      ${commands.gdal}`,
    `  GDAL+GiST: ${commands.gdalGist}`,
    '',
    table(summary),
    '',
    '(in-process) = N ÷ the durationMs our CLI reports itself: without process start-up, migration check and file open;',
    'overview s = median time our CLI spent on the low-zoom overview after the commit (inside the wall time);',
    'to commit = N ÷ (wall − overview): the layer loaded, indexed, committed and drawn at every zoom (from its rows until',
    '  the overview is in); the goal is judged on it; ratio = whole process, overview included;',
    'ratio = our features/s ÷ GDAL features/s (medians); goals (vs GDAL+GiST, or vs no-index when run with --no-gist):',
    '  GeoJSON ≥ 2.0x, GeoPackage ≥ 1.0x, Shapefile ≥ 1.0x;',
    'DB floor = the rows our load wrote, replayed through the load\'s SQL alone (new table, COPY from a file, GiST, BRIN,',
    '  ATTACH; import-floor.ts): no reading, checking or mapping can beat it; ceiling = DB floor f/s ÷ the goal\'s GDAL',
    '  reference, the best ratio our storage (typed columns + json of the rest + indexes) allows on this machine;',
    `peak RSS = largest "Maximum resident set size" of our process tree under /usr/bin/time -v (worst run), goal ≤ ${RSS_GOAL_MB} MB`,
  ];
  return out.join('\n');
}
