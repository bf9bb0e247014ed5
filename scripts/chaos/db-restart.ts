/**
 * Issue 10 §2, database restart under load: a throwaway PostGIS cluster (cluster.ts) with the demo
 * area, the real server process, and 50 clients signed in as demo accounts with edit rights, each
 * looping: two vector tiles of the demo area at z14–16, then a PATCH of its own work (If-Match).
 * Meanwhile PostgreSQL is stopped and started again (full: three times, one of them `-m immediate`,
 * a crash; smoke: one fast restart). Every answer is recorded and checked:
 *   - while the database is away every failure is a 503 with Retry-After and a JSON error body
 *     without stack text; no connection is refused or reset by the API; the process stays up
 *   - from the moment the database accepts connections again, every client has a tile and an edit
 *     through within 30 s
 *   - every acknowledged (2xx) edit is in the database afterwards: its version in the work's
 *     history with its value, and the work's stored state at least that version
 * Clients retry after a 503 within 0.3–0.7 s (not the Retry-After), so recovery measures the server.
 */
import pg from 'pg';
import { startServerProcess } from '../../tests/helpers/app-process.ts';
import { createCluster, durability, setupAppDatabase, type StopMode } from './cluster.ts';
import { type Caller, call, signIn, sleep, stackTextIn, unavailableProblem, versionOf } from './session.ts';
import type { ChaosOptions, ChaosPart, ChaosResult } from './types.ts';

/** Demo accounts that may plan works for their organisation (api/src/auth/demo.ts). */
const EDITORS = ['beheerder@maasgouw.demo', 'analist@maasgouw.demo', 'analist@wml.demo', 'analist@enexis.demo', 'uitvoerder@grondroerder.demo'];
const CLIENTS = 50;
const RECOVERY_GOAL_S = 30;

interface Restart { mode: StopMode; downMs: number }
interface Plan { warmupMs: number; settleMs: number; restarts: Restart[] }
const FULL: Plan = { warmupMs: 10_000, settleMs: 10_000, restarts: [{ mode: 'fast', downMs: 6000 }, { mode: 'immediate', downMs: 8000 }, { mode: 'fast', downMs: 10_000 }] };
const SMOKE: Plan = { warmupMs: 3000, settleMs: 2000, restarts: [{ mode: 'fast', downMs: 3000 }] };

/** One restart as it happened (ms since the run started). */
interface Window { mode: StopMode; stoppedAt: number; upAt: number }

interface Tally {
  requests: number;
  status: Map<string, number>;
  /** answers that are neither a success nor a proper 503 (status 500, 503 without Retry-After, stack text …) */
  bad: number;
  resets: number;
  stale: number;
  problems: string[];
}

interface Client {
  i: number;
  who: Caller;
  workId: number;
  /** the work's version as last known; null = unknown (an edit whose outcome we did not hear) */
  version: number | null;
  acks: { version: number; title: string }[];
  edits: number;
  /** successful tiles and edits: [started, ended] in ms since the run started */
  tileOk: [number, number][];
  editOk: [number, number][];
}

interface Area { layers: string[]; tiles: { z: number; x0: number; x1: number; y0: number; y1: number }[] }

function note(t: Tally, problem: string): void {
  t.bad++;
  if (t.problems.length < 20) t.problems.push(problem);
}

const lonToX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const latToY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** The demo area as the first client sees it (/api/layers: its layers and extent) → tile ranges at z14–16. */
async function demoArea(baseUrl: string, who: Caller): Promise<Area & { center: [number, number] }> {
  const res = await call(baseUrl, who, 'GET', '/api/layers');
  const body = (await res.json()) as { extent: [number, number, number, number] | null; layers: { id: string }[] };
  if (!body.extent || body.layers.length === 0) throw new Error('the demo database shows no layers: was the demo area loaded?');
  const [w, s, e, n] = body.extent;
  const tiles = [14, 15, 16].map((z) => ({ z, x0: lonToX(w, z), x1: lonToX(e, z), y0: latToY(n, z), y1: latToY(s, z) }));
  return { layers: [...body.layers.map((l) => l.id), 'works'], tiles, center: [(w + e) / 2, (s + n) / 2] };
}

const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)] as T;
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

/** Record one answer; true = a success. `ok`: the statuses that count as one for this request. */
async function record(t: Tally, what: string, res: Response | Error, ok: readonly number[]): Promise<boolean> {
  t.requests++;
  if (res instanceof Error) {
    t.resets++;
    t.status.set('reset', (t.status.get('reset') ?? 0) + 1);
    if (t.problems.length < 20) t.problems.push(`${what}: no answer (${res.message}${res.cause instanceof Error ? `: ${res.cause.message}` : ''})`);
    return false;
  }
  t.status.set(String(res.status), (t.status.get(String(res.status)) ?? 0) + 1);
  const body = await res.text();
  if (ok.includes(res.status)) {
    const stack = res.status >= 400 ? stackTextIn(body) : null;
    if (stack !== null) note(t, `${what}: ${res.status} shows internals (${stack})`);
    return true;
  }
  if (res.status === 412) return false; // counted apart: a client working on a stale version
  const problem = unavailableProblem(res.status, res.headers.get('retry-after'), body);
  if (problem !== null) note(t, `${what}: ${problem}`);
  return false;
}

async function request(baseUrl: string, c: Client, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response | Error> {
  try {
    return await call(baseUrl, c.who, method, url, body, headers);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function tileStep(baseUrl: string, c: Client, area: Area, t: Tally, now: () => number): Promise<boolean> {
  const r = pick(area.tiles);
  const url = `/tiles/${pick(area.layers)}/${r.z}/${between(r.x0, r.x1)}/${between(r.y0, r.y1)}.mvt`;
  const started = now();
  const ok = await record(t, `GET ${url}`, await request(baseUrl, c, 'GET', url), [200, 204, 304]);
  if (ok) c.tileOk.push([started, now()]);
  return ok;
}

async function editStep(baseUrl: string, c: Client, t: Tally, now: () => number): Promise<boolean> {
  const started = now();
  if (c.version === null) {
    const res = await request(baseUrl, c, 'GET', `/api/works/${c.workId}`);
    const etag = res instanceof Error ? null : res.headers.get('etag');
    if (!(await record(t, `GET /api/works/${c.workId}`, res, [200]))) return false;
    c.version = versionOf(etag);
  }
  const title = `chaos client ${c.i} edit ${++c.edits}`;
  const res = await request(baseUrl, c, 'PATCH', `/api/works/${c.workId}`, { title }, { 'if-match': `"work-${c.workId}-v${c.version ?? 0}"` });
  const etag = res instanceof Error ? null : res.headers.get('etag');
  const status = res instanceof Error ? 0 : res.status;
  const ok = await record(t, `PATCH /api/works/${c.workId}`, res, [200]);
  const v = versionOf(etag);
  if (ok && v !== null) {
    c.acks.push({ version: v, title });
    c.editOk.push([started, now()]);
  }
  if (status === 412) t.stale++;
  // after anything but a clear answer the edit may or may not have committed: read the version again
  c.version = ok || status === 412 ? v : null;
  return ok;
}

async function runClient(baseUrl: string, c: Client, area: Area, t: Tally, now: () => number, stop: () => boolean): Promise<void> {
  while (!stop()) {
    const a = await tileStep(baseUrl, c, area, t, now);
    const b = await tileStep(baseUrl, c, area, t, now);
    const e = await editStep(baseUrl, c, t, now);
    // all failed: the database is away; retry soon (sooner than Retry-After, to measure the recovery)
    await sleep(a || b || e ? between(50, 150) : between(300, 700));
  }
}

/** Per restart: the slowest client's first tile and first edit after the database came back (s); null = one never recovered. */
function recoveries(clients: Client[], windows: Window[]): { tile: number | null; edit: number | null }[] {
  return windows.map((w) => {
    const first = (oks: [number, number][]) => oks.find(([s, e]) => s >= w.stoppedAt && e >= w.upAt)?.[1];
    const worst = (get: (c: Client) => [number, number][]) => {
      let max = 0;
      for (const c of clients) {
        const end = first(get(c));
        if (end === undefined) return null;
        max = Math.max(max, end - w.upAt);
      }
      return Math.round(max / 100) / 10;
    };
    return { tile: worst((c) => c.tileOk), edit: worst((c) => c.editOk) };
  });
}

/** Every acknowledged edit in the database afterwards: {lost, unacknowledged commits}. */
async function checkEdits(url: string, clients: Client[], failures: string[]): Promise<{ lost: number; extra: number }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let lost = 0;
  let extra = 0;
  try {
    for (const c of clients) {
      const w = (await db.query<{ version: number; title: string }>('SELECT version, title FROM work WHERE id = $1', [c.workId])).rows[0];
      const h = await db.query<{ version: number; title: string | null }>(
        "SELECT version, changes->'title'->>1 AS title FROM work_history WHERE work_id = $1 AND action = 'updated'", [c.workId]);
      const inHistory = new Map(h.rows.map((r) => [r.version, r.title]));
      for (const a of c.acks) {
        if (inHistory.get(a.version) === a.title) continue;
        lost++;
        failures.push(`work ${c.workId}: acknowledged edit v${a.version} "${a.title}" is not in its history (found ${JSON.stringify(inHistory.get(a.version) ?? null)})`);
      }
      const last = c.acks.at(-1);
      if (!w) failures.push(`work ${c.workId} of client ${c.i} is gone`);
      else if (last && (w.version < last.version || (w.version === last.version && w.title !== last.title))) {
        lost++;
        failures.push(`work ${c.workId}: stored v${w.version} "${w.title}", but v${last.version} "${last.title}" was acknowledged`);
      }
      extra += h.rows.length - c.acks.length;
    }
  } finally {
    await db.end();
  }
  return { lost, extra };
}

async function setUpClients(baseUrl: string): Promise<{ clients: Client[]; area: Area }> {
  const callers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => signIn(baseUrl, EDITORS[i % EDITORS.length] as string)));
  const area = await demoArea(baseUrl, callers[0] as Caller);
  const [lon, lat] = area.center;
  const clients = await Promise.all(callers.map(async (who, i): Promise<Client> => {
    // a short line of its own near the middle of the demo area (fictional, like the demo planning)
    const x = lon + (i % 10) * 0.0004;
    const y = lat + Math.floor(i / 10) * 0.0004;
    const res = await call(baseUrl, who, 'POST', '/api/works', {
      title: `chaos client ${i} work (SYNTHETIC)`, kind: 'onderhoud', status: 'idee', preferredStart: '2027-03-01', preferredEnd: '2027-04-30',
      geometry: { type: 'LineString', coordinates: [[x, y], [x + 0.0002, y + 0.0001]] },
    });
    if (res.status !== 201) throw new Error(`client ${i} (${who.name}) could not create its work: ${res.status} ${(await res.text()).slice(0, 300)}`);
    const work = (await res.json()) as { id: number };
    return { i, who, workId: work.id, version: versionOf(res.headers.get('etag')), acks: [], edits: 0, tileOk: [], editOk: [] };
  }));
  return { clients, area };
}

/** Wait until every client had a tile and an edit through after `since` (or the limit passed). */
async function awaitRecovery(clients: Client[], since: number, now: () => number, limitMs: number): Promise<void> {
  const done = () => clients.every((c) => (c.tileOk.at(-1)?.[1] ?? -1) >= since && (c.editOk.at(-1)?.[1] ?? -1) >= since);
  while (!done() && now() - since < limitMs) await sleep(200);
}

export const dbRestart: ChaosPart = async (opts: ChaosOptions): Promise<ChaosResult> => {
  const plan = opts.smoke ? SMOKE : FULL;
  const failures: string[] = [];
  const cluster = await createCluster({ log: opts.log });
  let app: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    const settings = await durability(cluster.url('postgres'));
    for (const [k, v] of Object.entries(settings)) if (v !== 'on') failures.push(`durability: ${k} is ${v} in the chaos cluster`);
    opts.log('setting up the demo database (migrations, demo area, accounts, planning)');
    const began = performance.now();
    const since = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
    const url = await setupAppDatabase(cluster, 'samenhang');
    opts.log(`demo database set up (${since()}); starting the server process`);
    app = await startServerProcess(url);
    const base = app.baseUrl;
    const { clients, area } = await setUpClients(base);
    opts.log(`${clients.length} clients signed in, each with a work of its own; ${area.layers.length} tile layers at z14–16 (${since()})`);
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const tally: Tally = { requests: 0, status: new Map([['503', 0]]), bad: 0, resets: 0, stale: 0, problems: [] };
    let stopping = false;
    const running = clients.map((c) => runClient(base, c, area, tally, now, () => stopping));
    const windows: Window[] = [];
    await sleep(plan.warmupMs);
    for (const r of plan.restarts) {
      const stoppedAt = now();
      await cluster.stop(r.mode);
      opts.log(`PostgreSQL stopped (${r.mode}); down for ${r.downMs / 1000} s`);
      await sleep(r.downMs);
      await cluster.start(); // pg_ctl -w: returns once the server accepts connections
      const upAt = now();
      windows.push({ mode: r.mode, stoppedAt, upAt });
      opts.log(`PostgreSQL accepts connections again after ${((upAt - stoppedAt) / 1000).toFixed(1)} s`);
      await awaitRecovery(clients, upAt, now, 2 * RECOVERY_GOAL_S * 1000);
      await sleep(plan.settleMs);
    }
    stopping = true;
    await Promise.all(running);
    const health = await fetch(`${base}/api/health`).then((r) => r.status, (err: unknown) => `no answer (${String(err)})`);
    if (health !== 200) failures.push(`the API did not answer /api/health with 200 at the end: ${health}; its log ends:\n${app.output().slice(-2000)}`);
    const rec = recoveries(clients, windows);
    for (const [k, r] of rec.entries()) {
      for (const [what, s] of [['tile', r.tile], ['edit', r.edit]] as const) {
        if (s === null) failures.push(`restart ${k + 1}: some client never got a ${what} through after the database returned`);
        else if (s > RECOVERY_GOAL_S) failures.push(`restart ${k + 1}: a client waited ${s} s for a ${what} after the database returned (goal ≤ ${RECOVERY_GOAL_S} s)`);
      }
    }
    if (tally.resets > 0) failures.push(`${tally.resets} requests got no HTTP answer (refused or reset)`);
    if (tally.bad > 0) failures.push(`${tally.bad} answers were neither a success nor a 503 with Retry-After and a clean JSON body`);
    failures.push(...tally.problems.map((p) => `  e.g. ${p}`).slice(0, tally.resets + tally.bad > 0 ? 10 : 0));
    const edits = await checkEdits(url, clients, failures);
    // plain lines (`    at f (file:1:2)`) or inside a JSON log line (`\n    at f …`)
    const stackLines = app.output().split('\n').filter((l) => /^\s+at \S|\\n\s+at \S/.test(l)).length;
    if (stackLines > 0) failures.push(`the server log holds ${stackLines} stack-trace lines (failures should log one line each)`);
    const seconds = (v: number | null) => (v === null ? 'never' : v);
    const worst = (k: 'tile' | 'edit') => (rec.some((r) => r[k] === null) ? 'never' : Math.max(...rec.map((r) => r[k] ?? 0)));
    const figures: ChaosResult['figures'] = {
      clients: clients.length, restarts: windows.map((w) => `${w.mode} ${((w.upAt - w.stoppedAt) / 1000).toFixed(1)} s`).join(', '),
      requests: tally.requests, statusCounts: [...tally.status].sort().map(([s, n]) => `${s}: ${n}`).join(', '),
      unavailable503: tally.status.get('503') ?? 0, otherErrors: tally.bad, connectionResets: tally.resets, stale412: tally.stale,
      acknowledgedEdits: clients.reduce((n, c) => n + c.acks.length, 0), committedUnacknowledged: edits.extra, lostEdits: edits.lost,
      maxTileRecoverySeconds: worst('tile'), maxEditRecoverySeconds: worst('edit'),
      recoveryPerRestart: rec.map((r, k) => `#${k + 1} tile ${seconds(r.tile)} s, edit ${seconds(r.edit)} s`).join('; '),
      logStackLines: stackLines, durability: Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' '),
    };
    const ok = failures.length === 0;
    const summary = `${clients.length} signed-in clients browsed z14–16 tiles of the demo area and edited their own works (If-Match) `
      + `while PostgreSQL was restarted ${windows.length}× (stop mode and time from stop to accepting connections again: ${figures.restarts}); ${tally.requests} requests: ${figures.statusCounts}. `
      + `${ok ? 'Held' : 'Did not hold'}: every failure a 503 with Retry-After (${tally.bad} other, ${tally.resets} resets), the API stayed up, `
      + `slowest recovery ${figures.maxTileRecoverySeconds} s (tile) / ${figures.maxEditRecoverySeconds} s (edit) after the database returned (goal ≤ ${RECOVERY_GOAL_S} s), `
      + `${figures.acknowledgedEdits} acknowledged edits, ${edits.lost} lost (${edits.extra} committed without an acknowledgement).`;
    return { part: 'db-restart', ok, summary, figures, failures };
  } finally {
    await app?.stop().catch(() => undefined);
    await cluster.remove();
  }
};
