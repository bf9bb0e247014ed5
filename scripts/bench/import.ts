/**
 * `npm run bench -- import`: the same SYNTHETIC line layer as GeoJSON, GeoPackage and Shapefile,
 * loaded side by side through the product's CLI and through `ogr2ogr -f PostgreSQL`, each run
 * into a fresh database. Reports features/s, the ratio product/GDAL and our peak RSS against the
 * goals of the issue "GIS analysts load any utility layer they have".
 */
import { readdir, stat, mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchServer, benchServer, checkpoint, countRows, freshGdalDatabase, freshProductDatabase, serverVersions } from './bench-db.ts';
import { summariseCpuProfile } from './cpu-profile.ts';
import { type NetworkFiles, ensureNetworkFiles } from './generate-network.ts';
import { type ImportRun, type RunSide, type FormatKey, formatReport, summarise } from './import-report.ts';
import { runMeasured, showCommand } from './measure.ts';
import { measureDatabaseFloor } from './import-floor.ts';
import { NODE_BUNDLE, cliBundle } from '../lib/cli-bundle.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_DIR = path.join(ROOT, '.data', 'bench');

export interface ImportBenchOptions {
  size: number;
  repeat: number;
  seed: number;
  formats: readonly FormatKey[];
  /** also run GDAL with its default GiST index, as a second GDAL row */
  gdalGist: boolean;
  /** after the timed runs, one extra product run per format under node --cpu-prof */
  profile: boolean;
}

const log = (msg: string) => console.error(`[bench] ${msg}`);

function fileFor(files: NetworkFiles, format: FormatKey): string {
  return format === 'geojson' ? files.geojson : format === 'gpkg' ? files.gpkg : files.shp;
}

/**
 * The product exactly as `npm run import` runs it: `node <NODE_BUNDLE> scripts/import.mjs`, which
 * runs the bundled import CLI (scripts/lib/cli-bundle.mjs) in its own process. Only npm's own
 * start is left out.
 */
export function productCommand(file: string): [string, string[]] {
  return [process.execPath, [...NODE_BUNDLE, 'scripts/import.mjs', '--json', '--layer', 'bench', file]];
}

/** The GDAL reference; `gist` keeps GDAL's default spatial index instead of SPATIAL_INDEX=NONE. */
export function gdalCommand(conninfo: string, file: string, gist: boolean): [string, string[]] {
  return ['ogr2ogr', ['-f', 'PostgreSQL', `PG:${conninfo}`, file, '-nln', 'bench_gdal', '-t_srs', 'EPSG:28992',
    '-lco', 'GEOMETRY_NAME=geom', ...(gist ? [] : ['-lco', 'SPATIAL_INDEX=NONE']), '--config', 'PG_USE_COPY', 'YES', '-gt', '65536']];
}

function productEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.NODE_OPTIONS;
  return env;
}

/** The bundled CLI that scripts/import.mjs starts, directly under the CPU profiler (Node 20 refuses --cpu-prof in NODE_OPTIONS). */
export function profiledProductCommand(file: string, cpuProfDir: string): [string, string[]] {
  return [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, ...NODE_BUNDLE, bundlePath || '<bundle>', '--json', '--layer', 'bench', file]];
}

/** the bundled CLI, built (untimed, like compiling) before the first run */
let bundlePath = '';

interface ProductReport {
  loaded: number;
  read: number;
  rejectedCount: number;
  durationMs: number;
  /** phasesMs.overview: the low-zoom overview built after the commit */
  overviewMs: number | null;
}

function parseProductReport(stdout: string): ProductReport {
  const start = stdout.indexOf('{');
  const parsed: unknown = JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
  const r = parsed as Partial<ProductReport>;
  if (typeof r.loaded !== 'number' || typeof r.read !== 'number') throw new Error(`the import CLI's --json report has no loaded/read counts:\n${stdout.slice(0, 2000)}`);
  const phases = (parsed as { phasesMs?: Record<string, number> }).phasesMs;
  return { loaded: r.loaded, read: r.read, rejectedCount: r.rejectedCount ?? 0, durationMs: r.durationMs ?? NaN, overviewMs: phases?.overview ?? null };
}

async function runProduct(server: BenchServer, format: FormatKey, file: string, size: number, cpuProfDir?: string): Promise<Omit<ImportRun, 'repeat'>> {
  const db = await freshProductDatabase(server);
  try {
    await checkpoint(server);
    const [cmd, args] = cpuProfDir ? profiledProductCommand(file, cpuProfDir) : productCommand(file);
    const r = await runMeasured(cmd, args, { cwd: ROOT, env: productEnv(db.url) });
    if (r.exitCode !== 0) throw new Error(`product import of ${format} failed (exit ${r.exitCode}):\n${r.stderr.slice(-4000)}`);
    const report = parseProductReport(r.stdout);
    const rows = await countRows(db.url, "SELECT count(*) AS n FROM asset WHERE source_kind = 'file'");
    if (report.loaded !== size || rows !== size) {
      throw new Error(`product import of ${format}: loaded ${report.loaded} (read ${report.read}, rejected ${report.rejectedCount}), ${rows} asset rows; expected ${size}`);
    }
    // the database's share alone (untimed export, timed replay of the load's SQL; profiled runs skip it)
    const floorMs = cpuProfDir ? null : await measureDatabaseFloor(db.url, path.join(BENCH_DIR, `floor-rows-${db.name}.txt`));
    return { format, side: 'product', wallMs: r.wallMs, peakRssMb: r.peakRssMb, rows, reportedMs: report.durationMs, floorMs, overviewMs: report.overviewMs };
  } finally {
    await db.drop();
  }
}

async function runGdal(server: BenchServer, format: FormatKey, file: string, size: number, gist: boolean): Promise<Omit<ImportRun, 'repeat'>> {
  const db = await freshGdalDatabase(server);
  try {
    await checkpoint(server);
    const [cmd, args] = gdalCommand(db.conninfo, file, gist);
    const r = await runMeasured(cmd, args, { cwd: ROOT });
    if (r.exitCode !== 0) throw new Error(`ogr2ogr of ${format} failed (exit ${r.exitCode}):\n${r.stderr.slice(-4000)}`);
    const rows = await countRows(db.url, 'SELECT count(*) AS n FROM bench_gdal');
    if (rows !== size) throw new Error(`ogr2ogr of ${format} loaded ${rows} rows; expected ${size}`);
    return { format, side: gist ? 'gdal-gist' : 'gdal', wallMs: r.wallMs, peakRssMb: r.peakRssMb, rows, reportedMs: null, floorMs: null, overviewMs: null };
  } finally {
    await db.drop();
  }
}

function describeRun(run: ImportRun, size: number): string {
  const fps = Math.round(size / (run.wallMs / 1000));
  const floor = run.floorMs === null ? '' : `; database floor ${(run.floorMs / 1000).toFixed(1)} s`;
  return `${run.format} ${run.side} #${run.repeat}: ${(run.wallMs / 1000).toFixed(1)} s, ${fps} features/s, peak RSS ${run.peakRssMb.toFixed(0)} MB${floor}`;
}

/** Interleaved per repeat (product, GDAL, GDAL+GiST) so drift on the machine hits all sides alike. */
async function timedRuns(server: BenchServer, files: NetworkFiles, opts: ImportBenchOptions): Promise<ImportRun[]> {
  const runs: ImportRun[] = [];
  const sides: RunSide[] = opts.gdalGist ? ['product', 'gdal', 'gdal-gist'] : ['product', 'gdal'];
  for (const format of opts.formats) {
    const file = fileFor(files, format);
    for (let repeat = 1; repeat <= opts.repeat; repeat++) {
      for (const side of sides) {
        const r = side === 'product' ? await runProduct(server, format, file, opts.size) : await runGdal(server, format, file, opts.size, side === 'gdal-gist');
        const run = { ...r, repeat };
        log(describeRun(run, opts.size));
        runs.push(run);
      }
    }
  }
  return runs;
}

async function newestProfile(dir: string): Promise<string | null> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.cpuprofile'));
  let best: { file: string; bytes: number } | null = null;
  for (const n of names) {
    const file = path.join(dir, n);
    const bytes = (await stat(file)).size;
    if (!best || bytes > best.bytes) best = { file, bytes };
  }
  return best?.file ?? null;
}

/** One extra, untimed product run per format under --cpu-prof; the import process's profile is the largest. */
async function profileRuns(server: BenchServer, files: NetworkFiles, opts: ImportBenchOptions, stamp: string): Promise<Record<string, { file: string; summary: string }>> {
  const out: Record<string, { file: string; summary: string }> = {};
  for (const format of opts.formats) {
    const dir = path.join(BENCH_DIR, `profile-${stamp}-${format}`);
    await mkdir(dir, { recursive: true });
    log(`profiling the product on ${format} (untimed run, profiles in ${dir})`);
    await runProduct(server, format, fileFor(files, format), opts.size, dir);
    const file = await newestProfile(dir);
    if (file) out[format] = { file, summary: await summariseCpuProfile(file, ROOT) };
  }
  return out;
}

function environment(versions: { postgres: string; postgis: string }): Record<string, string | number> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  return {
    node: process.version, gdal: execFileSync('ogr2ogr', ['--version'], { encoding: 'utf8' }).trim(),
    postgres: versions.postgres, postgis: versions.postgis, cpu: cpus()[0]?.model ?? '?', cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3), commit: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--porcelain']) ? 'yes' : 'no',
  };
}

export async function runImportBench(opts: ImportBenchOptions): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const files = await ensureNetworkFiles(BENCH_DIR, opts.seed, opts.size, log);
  bundlePath = await cliBundle();
  log(`import CLI bundle: ${path.relative(ROOT, bundlePath)} (built from api/src when it changed; not timed)`);
  const server = benchServer();
  const env = environment(await serverVersions(server));
  log(`timing ${opts.formats.join(', ')} × ${opts.repeat} repeat(s) at ${opts.size} features; each run gets a fresh database`);
  const runs = await timedRuns(server, files, opts);
  const summary = summarise(runs, opts.size, opts.formats);
  const commands = {
    product: `DATABASE_URL=<fresh migrated db> ${showCommand(...productCommand('<file>'))}  (under /usr/bin/time -v, cwd ${ROOT})`,
    gdal: showCommand(...gdalCommand('<conninfo of fresh db with postgis>', '<file>', false)),
    gdalGist: showCommand(...gdalCommand('<conninfo of fresh db with postgis>', '<file>', true)),
    ...(opts.profile ? { profiled: showCommand(...profiledProductCommand('<file>', '<dir>')) } : {}),
  };
  const json = path.join(BENCH_DIR, `import-${stamp}.json`);
  const result = { bench: 'import', synthetic: true, startedAt: stamp, options: opts, files, environment: env, commands, runs, summary };
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(formatReport({ files, options: opts, environment: env, summary, commands }));
  console.log(`results: ${path.relative(ROOT, json)}`);
  if (!opts.profile) return;
  const profiles = await profileRuns(server, files, opts, stamp);
  for (const [format, p] of Object.entries(profiles)) console.log(`\nCPU profile of our import of ${format} (${path.relative(ROOT, p.file)}):\n${p.summary}`);
  await writeFile(json, `${JSON.stringify({ ...result, profiles }, null, 2)}\n`);
}
