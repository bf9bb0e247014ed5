/**
 * `npm run bench -- client`: the web client over the SYNTHETIC city (issue 9, "Client" goal): the
 * real app (served by the real API server, signed in as the municipality's administrator) in
 * headless Chromium, and a scripted journey through the map — fit the city, zoom in step by step to
 * z16 and out again, pan across the city at z13, z14 and z15 with mouse drags, waiting for the map
 * to be idle after every step. Every main-thread task over 50 ms is recorded by a long-task
 * observer installed before the app starts; the network shows how the layers arrive (vector tiles
 * or GeoJSON). With --profile, one more (untimed) journey runs under a Chromium trace.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { type Browser, type Page, type Response, chromium } from 'playwright-core';
import { upsertUser } from '../../api/src/auth/accounts.ts';
import { asSystem } from '../../api/src/db/tenant-context.ts';
import { SYSTEM_CODES } from '../../api/src/model/systems.ts';
import { type ApiServer, ownerPool, startApi } from './analysis-api.ts';
import { environment } from './analysis-report.ts';
import { cityFixture } from './city-fixture.ts';
import {
  type FeatureCollectionSeen, type LongFrame, type LongTask, type RunResult, type StepKind, type StepRecord, type TraceEvent,
  analyseTrace, formatClientReport, judgeClient, sourceResolver, stepRows,
} from './client-report.ts';
import { BENCH_DIR, ROOT } from './import.ts';
import { runChecked, showCommand } from './measure.ts';
import type { Bbox } from './tiles-sql.ts';

export interface ClientBenchOptions { size: number; repeat: number; seed: number; profile: boolean }

const log = (msg: string) => console.error(`[bench] ${msg}`);
const CLIENT_USER = { org: 'syn-gemeente', role: 'admin', email: 'bench-client@syn-gemeente.test', password: 'bench-client-password-123' } as const;
const VIEWPORT = { width: 1280, height: 800 };
const PAN_ZOOMS = [13, 14, 15] as const;
/** a drag this wide (px), in 60 Hz mouse steps, as a hand would move the mouse */
const DRAG_PX = 600;
const DRAG_STEPS = 24;
const MAX_DRAGS = 16;
const TILE_URL = /\/tiles\/([a-z_]+)\/\d+\/\d+\/\d+\.mvt(?:\?|$)/;

/** Runs in every page before the app's scripts: observers of long tasks and long animation frames (buffered, so none is missed). */
const OBSERVERS = `(() => {
  if (window !== window.top) return;
  const b = { marks: [{ name: 'load', t: 0 }], tasks: [], frames: [], errors: [] };
  b.mark = (name) => { b.marks.push({ name, t: performance.now() }); performance.mark('bench:' + name); };
  window.__clientBench = b;
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.tasks.push({ start: e.startTime, duration: e.duration,
      attribution: (e.attribution || []).map((a) => [a.name, a.containerType, a.containerName || a.containerSrc || a.containerId].filter(Boolean).join(' ')) }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (err) { b.errors.push('longtask: ' + err); }
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.frames.push({ start: e.startTime, duration: e.duration,
      renderMs: e.renderStart > 0 ? e.startTime + e.duration - e.renderStart : 0,
      scripts: e.scripts.map((s) => ({ invoker: s.invoker, type: s.invokerType, duration: s.duration,
        source: (s.sourceURL || '').replace(/^https?:\\/\\/[^/]+/, '') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '') })) }); })
      .observe({ type: 'long-animation-frame', buffered: true });
  } catch (err) { b.errors.push('long-animation-frame: ' + err); }
})();`;

interface PageBench { marks: { name: string; t: number }[]; tasks: Omit<LongTask, 'step'>[]; frames: Omit<LongFrame, 'step'>[]; errors: string[]; mark(name: string): void }
interface PageMap {
  loaded(): boolean; areTilesLoaded(): boolean; isMoving(): boolean; getZoom(): number; getCenter(): { lng: number; lat: number };
  easeTo(o: { center?: [number, number]; zoom?: number; duration: number }): void; fitBounds(b: number[], o: { padding: number; duration: number }): void;
}
type PageGlobals = { __clientBench?: PageBench; __samenhang?: { ready: boolean; map: PageMap; pacing?: { deferred: number } | null } };

/** Built from the current source with source maps into a directory of the bench's own (web/dist, which tests use, is left alone). */
async function buildWebClient(outDir: string): Promise<void> {
  log(`building the web client (vite, with source maps) into ${path.relative(ROOT, outDir)}`);
  await runChecked('npm', ['run', 'build', '-w', 'web', '--', '--sourcemap', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT });
}

/** A user of the municipality with a known password, so that the browser signs in as a person does (session cookie). */
async function clientUser(databaseUrl: string): Promise<void> {
  const pool = ownerPool(databaseUrl);
  try {
    await asSystem(() => upsertUser(pool, { ...CLIENT_USER }));
  } finally {
    await pool.end();
  }
}

/** Debian's Chromium, headless, WebGL2 on SwiftShader, as tests/helpers/browser.ts launches it. */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--no-default-browser-check'],
  });
}

/** The map has its layers, no camera move is going on and every tile in view has loaded; then a moment for late tiles and fades. */
async function waitIdle(page: Page): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await page.waitForFunction(() => {
      const s = (globalThis as unknown as PageGlobals).__samenhang;
      return Boolean(s?.ready && s.map.loaded() && s.map.areTilesLoaded() && !s.map.isMoving());
    }, undefined, { timeout: 180_000, polling: 100 });
    await page.waitForTimeout(400);
  }
}

interface Journey { page: Page; steps: StepRecord[]; current: { name: string; tiles: number; tileBytes: number } }

async function step(j: Journey, name: string, kind: StepKind, action: () => Promise<unknown>): Promise<void> {
  j.current = { name, tiles: 0, tileBytes: 0 };
  await j.page.evaluate((n) => {
    (globalThis as unknown as PageGlobals).__clientBench?.mark(n);
  }, name);
  const started = performance.now();
  await action();
  await waitIdle(j.page);
  const zoom = await j.page.evaluate(() => (globalThis as unknown as PageGlobals).__samenhang?.map.getZoom() ?? NaN);
  j.steps.push({ name, kind, zoom, ms: performance.now() - started, tiles: j.current.tiles, tileBytes: j.current.tileBytes });
}

// The braces matter: easeTo and fitBounds return the map, which Playwright would then serialise
// (tile buffers and all) on the page's main thread, a long task of the bench's own making.
const ease = (page: Page, zoom: number, center: [number, number]) => page.evaluate(([z, c]) => {
  (globalThis as unknown as PageGlobals).__samenhang?.map.easeTo({ zoom: z, center: c, duration: 600 });
}, [zoom, center] as const);

/** One mouse drag from right to left across the middle of the map: the view moves east. */
async function drag(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  const y = box.y + box.height / 2;
  const x0 = box.x + box.width / 2 + DRAG_PX / 2;
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= DRAG_STEPS; i++) {
    await page.mouse.move(x0 - (DRAG_PX * i) / DRAG_STEPS, y);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

/** Counts tiles per layer and reads every JSON answer that is a FeatureCollection. */
function watchNetwork(page: Page, j: Journey, r: RunResult, pending: Promise<void>[]): void {
  const networkSystems = new Set<string>(SYSTEM_CODES);
  page.on('response', (res: Response) => {
    const url = res.url();
    const tile = TILE_URL.exec(url);
    const { pathname } = new URL(url);
    if (tile?.[1]) {
      const cur = j.current;
      const layer = tile[1];
      pending.push(res.body().then((b) => b.byteLength, () => 0).then((bytes) => {
        const t = (r.tiles[layer] ??= { count: 0, bytes: 0, max: 0 });
        t.count++;
        t.bytes += bytes;
        t.max = Math.max(t.max, bytes);
        cur.tiles++;
        cur.tileBytes += bytes;
      }));
      return;
    }
    if (pathname.startsWith('/tiles/') && !pathname.endsWith('.json')) r.otherTileRequests.push(pathname);
    if (!/json/.test(res.headers()['content-type'] ?? '') || res.status() !== 200) return;
    pending.push(res.body().then((b) => {
      const parsed = JSON.parse(b.toString('utf8')) as { type?: unknown; features?: { properties?: { system?: unknown } | null }[] };
      if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) return;
      const networkFeatures = parsed.features.filter((f) => typeof f.properties?.system === 'string' && networkSystems.has(f.properties.system)).length;
      const seen: FeatureCollectionSeen = { path: pathname, features: parsed.features.length, networkFeatures, bytes: b.byteLength };
      r.featureCollections.push(seen);
    }, () => undefined));
  });
}

/** One journey in a fresh browser context; `shots` = directory for one screenshot per zoom step (first run only); `trace` = under a Chromium trace. */
async function journey(browser: Browser, baseUrl: string, bbox: Bbox, run: number, shots: string | null, trace: boolean): Promise<{ result: RunResult; trace: Buffer | null }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'nl-NL' });
  const before = loadavg()[0] ?? NaN;
  try {
    await context.addInitScript({ content: OBSERVERS });
    const page = await context.newPage();
    const r: RunResult = { run, steps: [], tasks: [], frames: [], tiles: {}, featureCollections: [], otherTileRequests: [], pageErrors: [], loadAverage: [before, NaN], framesDeferred: 0 };
    page.on('pageerror', (e) => r.pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') r.pageErrors.push(m.text());
    });
    const j: Journey = { page, steps: r.steps, current: { name: 'load', tiles: 0, tileBytes: 0 } };
    const pending: Promise<void>[] = [];
    watchNetwork(page, j, r, pending);
    const login = await page.request.post(`${baseUrl}/api/auth/login`, { data: { email: CLIENT_USER.email, password: CLIENT_USER.password } });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()} ${await login.text()}`);
    if (trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const started = performance.now();
    await page.goto(baseUrl);
    await waitIdle(page);
    r.steps.push({ name: 'load', kind: 'load', zoom: await page.evaluate(() => (globalThis as unknown as PageGlobals).__samenhang?.map.getZoom() ?? NaN), ms: performance.now() - started, tiles: j.current.tiles, tileBytes: j.current.tileBytes });
    const shot = async (label: string) => {
      if (!shots) return;
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).__clientBench?.mark('screenshot');
      });
      const z = await page.evaluate(() => (globalThis as unknown as PageGlobals).__samenhang?.map.getZoom() ?? NaN);
      await page.screenshot({ path: path.join(shots, `${String(r.steps.length).padStart(2, '0')}-${label}-z${z.toFixed(1)}.png`) });
    };
    const [w, s, e, n] = bbox;
    const centre: [number, number] = [(w + e) / 2, (s + n) / 2];
    await step(j, 'fit city', 'fit', () => page.evaluate((b) => {
      (globalThis as unknown as PageGlobals).__samenhang?.map.fitBounds(b, { padding: 40, duration: 800 });
    }, [w, s, e, n]));
    await shot('fit');
    const fitZoom = r.steps.at(-1)?.zoom ?? 12;
    for (let z = Math.floor(fitZoom) + 1; z <= 16; z++) {
      await step(j, `in z${z}`, 'zoom', () => ease(page, z, centre));
      await shot(`in`);
    }
    for (let z = 15; z >= Math.floor(fitZoom); z--) {
      await step(j, `out z${z}`, 'zoom', () => ease(page, z, centre));
      await shot('out');
    }
    const box = await page.locator('canvas.maplibregl-canvas').boundingBox();
    if (!box) throw new Error('no map canvas on the page');
    for (const z of PAN_ZOOMS) {
      await step(j, `to z${z}`, 'move', () => ease(page, z, [w, centre[1]]));
      for (let i = 0; i < MAX_DRAGS; i++) {
        await step(j, `pan z${z}`, 'pan', () => drag(page, box));
        if ((await page.evaluate(() => (globalThis as unknown as PageGlobals).__samenhang?.map.getCenter().lng ?? Infinity)) > e) break;
      }
    }
    await page.waitForTimeout(500);
    const traced = trace ? await browser.stopTracing() : null;
    await Promise.all(pending);
    const b = await page.evaluate(() => {
      const x = (globalThis as unknown as PageGlobals).__clientBench;
      return x ? { marks: x.marks, tasks: x.tasks, frames: x.frames, errors: x.errors } : null;
    });
    if (!b) throw new Error('the long-task observer was not installed in the page');
    if (b.errors.length) throw new Error(`observers: ${b.errors.join('; ')}`);
    const stepAt = (t: number) => b.marks.filter((m) => m.t <= t).at(-1)?.name ?? 'load';
    r.tasks = b.tasks.map((t) => ({ ...t, step: stepAt(t.start) }));
    r.frames = b.frames.map((f) => ({ ...f, step: stepAt(f.start) }));
    if (shots) r.steps.push({ name: 'screenshot', kind: 'screenshot', zoom: NaN, ms: 0, tiles: 0, tileBytes: 0 });
    r.framesDeferred = await page.evaluate(() => (globalThis as unknown as PageGlobals).__samenhang?.pacing?.deferred ?? 0);
    r.loadAverage[1] = loadavg()[0] ?? NaN;
    return { result: r, trace: traced };
  } finally {
    await context.close();
  }
}

const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'];

async function browserEnvironment(browser: Browser): Promise<{ chromium: string; webgl: string } & Record<string, string | number>> {
  const page = await browser.newPage();
  try {
    const gl = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { createElement(t: string): { getContext(k: string): unknown } } }).document;
      const ctx = d.createElement('canvas').getContext('webgl2') as { getExtension(n: string): { UNMASKED_RENDERER_WEBGL: number } | null; getParameter(p: number): unknown } | null;
      const ext = ctx?.getExtension('WEBGL_debug_renderer_info');
      const nav = (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator;
      return { renderer: ctx && ext ? String(ctx.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'no WebGL2', cores: nav.hardwareConcurrency };
    });
    return { chromium: browser.version(), webgl: gl.renderer, 'navigator.hardwareConcurrency': gl.cores, viewport: `${VIEWPORT.width}x${VIEWPORT.height}` };
  } finally {
    await page.close();
  }
}

export async function runClientBench(opts: ClientBenchOptions): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const shots = path.join(BENCH_DIR, 'client', stamp);
  const dist = path.join(BENCH_DIR, 'client', 'web-dist');
  await mkdir(shots, { recursive: true });
  await buildWebClient(dist);
  const fx = await cityFixture(opts.size, opts.seed, log);
  let api: ApiServer | null = null;
  let browser: Browser | null = null;
  try {
    await clientUser(fx.db.url);
    api = await startApi(ROOT, fx.db.url, { WEB_DIST: dist });
    browser = await launchChromium();
    const seen = await browserEnvironment(browser);
    const env = { ...environment(ROOT, {}), ...seen, cpusSeenByNode: cpus().length };
    log(`our API with the web client at ${api.baseUrl}; Chromium ${seen.chromium}, WebGL: ${seen.webgl}`);
    const runs: RunResult[] = [];
    for (let run = 1; run <= opts.repeat; run++) {
      const { result } = await journey(browser, api.baseUrl, fx.bbox, run, run === 1 ? shots : null, false);
      runs.push(result);
      const worst = Math.max(0, ...result.tasks.filter((t) => t.step !== 'load' && t.step !== 'screenshot').map((t) => t.duration));
      log(`#${run}: ${result.steps.length} steps, ${result.tasks.length} long tasks (journey max ${worst.toFixed(0)} ms), ${Object.values(result.tiles).reduce((a, t) => a + t.count, 0)} tiles`);
    }
    let trace: ReturnType<typeof analyseTrace> & { file: string } | null = null;
    if (opts.profile) {
      log('--profile: one more journey under a Chromium trace (untimed)');
      const traced = await journey(browser, api.baseUrl, fx.bbox, 0, null, true);
      if (traced.trace) {
        const file = path.join(shots, 'trace.json');
        await writeFile(file, traced.trace);
        const parsed = JSON.parse(traced.trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
        const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
        trace = { ...analyseTrace(events, sourceResolver(dist, ROOT)), file: path.relative(ROOT, file) };
      }
    }
    const rows = stepRows(runs);
    const goals = judgeClient(runs, rows);
    const commands = {
      server: api.command, web: `npm run build -w web -- --sourcemap --outDir ${path.relative(ROOT, dist)} --emptyOutDir (served as WEB_DIST)`,
      bench: showCommand('npm', ['run', 'bench', '--', 'client', '--size', String(opts.size), '--repeat', String(opts.repeat), '--seed', String(opts.seed), ...(opts.profile ? ['--profile'] : [])]),
    };
    const json = path.join(BENCH_DIR, `client-${stamp}.json`);
    await writeFile(json, `${JSON.stringify({ bench: 'client', synthetic: true, startedAt: stamp, options: opts, city: fx.city, environment: env, commands, runs, rows, goals, trace }, null, 2)}\n`);
    console.log(formatClientReport({ city: fx.city, options: opts, environment: env, runs, rows, goals, commands, trace, screenshots: path.relative(ROOT, shots) }));
    console.log(`results: ${path.relative(ROOT, json)}`);
  } finally {
    await browser?.close();
    await api?.stop();
    await fx.close();
  }
}
