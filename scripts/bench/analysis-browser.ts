/**
 * (e) The browser's what-if on the SYNTHETIC city: the in-memory analysis (api/src/model/analysis/
 * local.ts with DEFAULT_RULES, and the app's whatIf from web/src/features/analysis/what-if.ts)
 * bundled with esbuild, run in headless Chromium through playwright-core on the works in view
 * (read from the bench database in RD New, ST_AsGeoJSON(geom, 3)), and timed inside the page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type pg from 'pg';
import { chromium } from 'playwright-core';
import { ANALYSED_STATUSES, DEFAULT_RULES } from '../../api/src/model/analysis-rules.ts';
import type { LocalInput } from '../../api/src/model/analysis/local.ts';
import type { PageTimes } from './analysis-page.ts';
import { mulberry32 } from './generate-network.ts';

/** The bundle's entry: the page's measuring loop with the app's what-if functions handed to it. */
const ENTRY = `
import { measure } from './scripts/bench/analysis-page.ts';
import { preparedFor, shiftWork, whatIf } from './web/src/features/analysis/what-if.ts';
export const run = (input, picks, warmup) => measure({ preparedFor, shiftWork, whatIf }, input, picks, warmup);`;

export async function bundleForBrowser(root: string): Promise<string> {
  const r = await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'analysis-bench-entry.js', loader: 'js' },
    bundle: true, write: false, format: 'iife', globalName: 'SamenhangBench', platform: 'browser', target: 'es2022',
    // the web client's own tsconfig maps @model/* onto api/src/model, as Vite does
    tsconfig: path.join(root, 'web', 'tsconfig.json'), logLevel: 'silent',
  });
  const code = r.outputFiles[0]?.text;
  if (!code) throw new Error('esbuild produced no bundle');
  return code;
}

export interface View { input: LocalInput; bbox: [number, number, number, number]; reachM: number }

/**
 * The `works` analysed works whose centroids lie nearest the city centre (Chebyshev distance: a
 * square view), and the dated assets and the moratoria within the reach the API's
 * GET /api/analysis/input uses around the extent of those works.
 */
export async function readView(c: pg.Client, works: number): Promise<View> {
  const reachM = Math.max(DEFAULT_RULES.defaultTrenchWidthM, 10) + DEFAULT_RULES.couplingDistanceM + 50;
  const w = await c.query<LocalInput['works'][number] & { x0: number; y0: number; x1: number; y1: number }>(
    `WITH c AS (SELECT ST_Centroid(ST_Extent(geom)) AS p FROM work)
     SELECT w.id::int AS id, w.kind, w.owner_id AS "ownerId", w.systems, w.opens_ground AS "opensGround", w.trench_width AS "trenchWidth",
       ST_Dimension(w.geom) = 2 AS areal, w.status, w.earliest_start::text AS "earliestStart", w.preferred_start::text AS "preferredStart",
       w.preferred_end::text AS "preferredEnd", w.latest_end::text AS "latestEnd", ST_AsGeoJSON(w.geom, 3)::json AS geometry,
       ST_XMin(w.geom) AS x0, ST_YMin(w.geom) AS y0, ST_XMax(w.geom) AS x1, ST_YMax(w.geom) AS y1
     FROM work w, c
     WHERE w.status = ANY($1::text[]) AND w.preferred_start IS NOT NULL AND w.preferred_end IS NOT NULL AND w.source_kind <> 'klic'
     ORDER BY greatest(abs(ST_X(ST_Centroid(w.geom)) - ST_X(c.p)), abs(ST_Y(ST_Centroid(w.geom)) - ST_Y(c.p))), w.id
     LIMIT $2`, [ANALYSED_STATUSES, works]);
  const bbox: View['bbox'] = [Math.min(...w.rows.map((r) => r.x0)), Math.min(...w.rows.map((r) => r.y0)), Math.max(...w.rows.map((r) => r.x1)), Math.max(...w.rows.map((r) => r.y1))];
  const env = `ST_MakeEnvelope($1, $2, $3, $4, 28992)`;
  const assets = await c.query<LocalInput['assets'][number]>(
    `SELECT a.id::int AS id, a.system, a.owner_id AS "ownerId", a.material, a.in_service_year AS "inServiceYear", a.replacement_year AS "replacementYear",
       ST_AsGeoJSON(a.geom, 3)::json AS geometry
     FROM asset a WHERE ST_DWithin(a.geom, ${env}, $5) AND (a.in_service_year IS NOT NULL OR a.replacement_year IS NOT NULL) ORDER BY a.id`, [...bbox, reachM]);
  const moratoria = await c.query<LocalInput['moratoria'][number]>(
    `SELECT m.id::int AS id, m.valid_from::text AS "from", m.valid_until::text AS until, m.exceptions, ST_AsGeoJSON(m.geom, 3)::json AS geometry
     FROM moratorium m WHERE ST_DWithin(m.geom, ${env}, $5) ORDER BY m.id`, [...bbox, reachM]);
  const input: LocalInput = { works: w.rows.map(({ x0: _x0, y0: _y0, x1: _x1, y1: _y1, ...rest }) => rest), assets: assets.rows, moratoria: moratoria.rows };
  return { input, bbox, reachM };
}

export interface BrowserResult extends PageTimes {
  chromium: string;
  bundleKb: number;
  inputWorks: number;
  inputAssets: number;
  inputMoratoria: number;
  bboxKm2: number;
  shifts: number;
  warmup: number;
}

/** Debian's Chromium, headless, launched as tests/helpers/browser.ts does. */
async function launch(userDataDir: string): ReturnType<typeof chromium.launchPersistentContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check'],
  });
}

export async function runBrowserBench(root: string, c: pg.Client, seed: number, opts: { works: number; shifts: number; warmup: number }): Promise<BrowserResult> {
  const code = await bundleForBrowser(root);
  const view = await readView(c, opts.works);
  const rnd = mulberry32(seed + 5);
  const picks = Array.from({ length: opts.warmup + opts.shifts }, () => Math.floor(rnd() * view.input.works.length));
  const dir = await mkdtemp(path.join(tmpdir(), 'samenhang-bench-chromium-'));
  const context = await launch(dir);
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><meta charset="utf-8"><title>Samenhang analysis bench</title>');
    await page.addScriptTag({ content: code });
    const userAgent = String(await page.evaluate('navigator.userAgent'));
    const times = await page.evaluate(
      ([input, p, warmup]) => (globalThis as unknown as { SamenhangBench: { run(i: unknown, p: number[], w: number): PageTimes } }).SamenhangBench.run(input, p, warmup),
      [view.input, picks, opts.warmup] as const);
    const [x0, y0, x1, y1] = view.bbox;
    return {
      ...times, chromium: /(?:Headless)?Chrome\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent, bundleKb: Math.round(code.length / 1024),
      inputWorks: view.input.works.length, inputAssets: view.input.assets.length, inputMoratoria: view.input.moratoria.length,
      bboxKm2: ((x1 - x0 + 2 * view.reachM) * (y1 - y0 + 2 * view.reachM)) / 1e6, shifts: opts.shifts, warmup: opts.warmup,
    };
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}
