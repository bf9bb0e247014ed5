/**
 * Scale-out proven locally (issue 9 §4): two real API processes (api/src/main.ts) against one
 * PostgreSQL, behind nginx with round robin. nginx's one worker rotates strictly, and every answer
 * names its process (X-Samenhang-Process), so each journey below asserts WHICH process served each
 * step: a session made on one is used on the other; an import uploaded to one is followed, loaded
 * and cancelled through the other; a load changes the tile cache of both; a hotspot posted through
 * one reaches the facilitator's live feed on the other; and a process killed mid-load (SIGKILL)
 * leaves a job the survivor fails with a clear error, and no partial layer.
 *
 * The import file is SYNTHETIC: 100,000 short sewer lines in a grid (size is what matters: the
 * analysis and the load must last long enough to be watched and interrupted).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprojectGeometry } from '../../api/src/ingest/crs/reproject.ts';
import { type AppProcess, startServerProcess } from '../helpers/app-process.ts';
import { type Balancer, requireNginx, startBalancer } from '../helpers/balancer.ts';
import { TEST_PASSWORD, areaWideAnalyst, userToken } from '../helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const N = 100_000;
const ANALYST = 'schaal@samenhang.test';

let db: TestDatabase;
let uploads = '';
let processes: AppProcess[] = [];
let instances: string[] = [];
let lb: Balancer;
let token = '';
let facilitator = '';
let file: Buffer;
let last: string | null = null;

beforeAll(async () => {
  requireNginx(); // before anything is started: a missing nginx fails the file at once, with the package to install
  db = await createTestDatabase('it_scale_out');
  token = await areaWideAnalyst(db.pool, ANALYST);
  facilitator = await userToken(db.pool, { slug: 'schaal-gemeente', name: 'Schaalgemeente', kind: 'gemeente' }, 'area_manager', 'regisseur@schaal.test');
  uploads = await mkdtemp(path.join(os.tmpdir(), 'samenhang-shared-uploads-'));
  file = syntheticSewer(N);
  // one upload directory for both, as on one machine; a 3 s lease so a killed process is noticed quickly
  const env = { SAMENHANG_UPLOAD_DIR: uploads, SAMENHANG_JOB_LEASE_S: '3', SAMENHANG_DEMO: '0' };
  processes = await Promise.all([startServerProcess(db.url, env), startServerProcess(db.url, env)]);
  instances = await Promise.all(processes.map(async (p) => (await fetch(`${p.baseUrl}/api/health`)).headers.get('x-samenhang-process') ?? ''));
  lb = await startBalancer(processes.map((p) => p.baseUrl));
});

afterAll(async () => {
  await lb?.stop();
  await Promise.all(processes.map((p) => p.stop()));
  await db?.drop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

/** N short lines in RD New on a 5 m grid, as a GeoJSON FeatureCollection. */
function syntheticSewer(n: number): Buffer {
  const parts = ['{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n'];
  for (let i = 0; i < n; i++) {
    const x = 150_000 + (i % 1000) * 5;
    const y = 460_000 + Math.floor(i / 1000) * 5;
    parts.push(`${i ? ',' : ''}{"type":"Feature","properties":{"id":${i},"materiaal":"PVC","diameter":250},"geometry":{"type":"LineString","coordinates":[[${x},${y}],[${x + 4},${y + 3}]]}}\n`);
  }
  parts.push(']}\n');
  return Buffer.from(parts.join(''));
}

/** A request through nginx; remembers which process answered. */
async function call(url: string, init: RequestInit & { auth?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const auth = init.auth === undefined ? token : init.auth;
  if (auth !== null && !headers.has('cookie')) headers.set('authorization', `Bearer ${auth}`);
  const res = await fetch(lb.baseUrl + url, { ...init, headers });
  last = res.headers.get('x-samenhang-process');
  expect(instances).toContain(last);
  return res;
}

const other = (instance: string | null): string => instances.find((i) => i !== instance) ?? '';

/** Make the next request land on `target`: with two upstreams in strict rotation, the next one is the one that did not answer last. */
async function nextOn(target: string): Promise<void> {
  if (last === target) await call('/api/health', { auth: null });
  expect(last).toBe(other(target));
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}, auth?: string | null) =>
  call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(auth === undefined ? {} : { auth }) });

/** Read a Server-Sent Events stream until `enough(text)` or its end; aborts after `ms`. */
async function readStream(res: Response, controller: AbortController, enough: (text: string) => boolean, ms = 60_000): Promise<string> {
  const timer = setTimeout(() => controller.abort(), ms);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!enough(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return text;
}

interface Job {
  id: string;
  state: string;
  featureCount: number | null;
  progress: { phase: string; percent: number };
  proposedMapping: { mapping: Record<string, unknown> } | null;
  report: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

const jobsOf = (text: string): Job[] => [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? '{}') as Job);

async function upload(name: string): Promise<Job> {
  const res = await call(`/api/imports?name=${name}`, { method: 'POST', body: new Blob([new Uint8Array(file)]) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { job: Job }).job;
}

async function waitFor(id: string, states: string[], ms = 60_000): Promise<Job> {
  const until = Date.now() + ms;
  for (;;) {
    const { job } = (await (await call(`/api/imports/${id}`)).json()) as { job: Job };
    if (states.includes(job.state)) return job;
    if (Date.now() > until) throw new Error(`import ${id} is ${job.state}, not ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The process (instance id) whose worker holds the job, read from its claim. */
async function workerOf(id: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await db.pool.query<{ claimed_by: string | null }>('SELECT claimed_by FROM import_job WHERE id = $1', [id]);
    const claimed = r.rows[0]?.claimed_by;
    if (claimed) return claimed.split('/').at(-1) ?? '';
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`nobody claimed import ${id}`);
}

/** The job's upload disappears from the shared directory. */
async function gone(id: string): Promise<void> {
  const r = await db.pool.query<{ file_path: string }>('SELECT file_path FROM import_job WHERE id = $1', [id]);
  const file = r.rows[0]?.file_path ?? '';
  // the directory goes after the job's end is committed (the file inside may have gone before)
  for (let i = 0; i < 100 && existsSync(path.dirname(file)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(existsSync(path.dirname(file))).toBe(false);
}

async function startLoad(job: Job, layerName: string): Promise<void> {
  const res = await postJson(`/api/imports/${job.id}/load`, {
    mapping: { ...job.proposedMapping?.mapping, system: { value: 'riool_vrijverval' } }, layerName, invalid: 'skip',
  });
  expect(res.status).toBe(202);
}

// the z14 tile over the middle of the synthetic grid
const TILE = (() => {
  const [lon, lat] = reprojectGeometry({ type: 'Point', coordinates: [152_500, 460_250] }, 28992, 4326).coordinates as [number, number];
  const n = 2 ** 14;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
  return `/tiles/riool_vrijverval/14/${x}/${y}.mvt`;
})();

describe('two API processes behind nginx', () => {
  it('take turns: every request names its process, and they alternate', async () => {
    expect(new Set(instances).size).toBe(2);
    const seen: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      await call('/api/health', { auth: null });
      seen.push(last);
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });

  it('a session made on one process works on the other, and signing out there ends it on both', async () => {
    const login = await postJson('/api/auth/login', { email: ANALYST, password: TEST_PASSWORD }, {}, null);
    expect(login.status).toBe(200);
    const signedInOn = last;
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const me = async () => ((await (await call('/api/auth/me', { auth: null, headers: { cookie } })).json()) as { user: { email: string } | null }).user;
    expect((await me())?.email).toBe(ANALYST);
    expect(last).toBe(other(signedInOn));
    expect((await me())?.email).toBe(ANALYST); // now cached by both processes
    const out = await call('/api/auth/logout', { method: 'POST', auth: null, headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBeLessThan(300);
    const signedOutOn = last;
    await new Promise((r) => setTimeout(r, 300)); // the NOTIFY 'auth' of the deleted session reaches the other process
    expect(await me()).toBeNull();
    expect(last).toBe(other(signedOutOn));
    expect(await me()).toBeNull();
  });

  it('an import uploaded to one process is followed, loaded and reported through the other', async () => {
    for (const i of instances) {
      await nextOn(i);
      expect((await call(TILE)).status).toBe(204); // nothing there yet: an empty tile, now cached by both
    }
    await nextOn(instances[0] ?? '');
    expect((await call(TILE)).headers.get('x-tile-cache')).toBe('hit');
    const job = await upload('riool_synthetisch.geojson');
    const analysedBy = last;
    expect(job.state).toBe('analysing');
    // the analysis runs where the file arrived; its progress reaches a stream on the other process through NOTIFY
    const controller = new AbortController();
    const events = await call(`/api/imports/${job.id}/events`, { signal: controller.signal });
    expect(last).toBe(other(analysedBy));
    const analysis = jobsOf(await readStream(events, controller, () => false));
    expect(analysis[0]?.state).toBe('analysing');
    expect(analysis.at(-1)).toMatchObject({ state: 'awaiting-mapping', featureCount: N });
    expect(analysis.length).toBeGreaterThan(1);

    await startLoad(analysis.at(-1) as Job, 'riool-schaal');
    const loader = await workerOf(job.id);
    await nextOn(other(loader));
    const follow = new AbortController();
    const loadEvents = await call(`/api/imports/${job.id}/events`, { signal: follow.signal });
    const loading = jobsOf(await readStream(loadEvents, follow, () => false));
    expect(loading.at(-1)).toMatchObject({ state: 'done', report: { read: N, loaded: N, new: N } });
    // the first event is read when the stream opens; every later one was pushed by the loader's NOTIFY
    expect(loading[0]?.state).toBe('loading');
    expect(loading.length).toBeGreaterThan(1);
    const datasets = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name = 'riool-schaal'");
    expect(datasets.rows[0]?.n).toBe(N);
    await gone(job.id);

    // the load's NOTIFY moved the cached tile out of both processes
    for (const i of instances) {
      await nextOn(i);
      const tile = await call(TILE);
      expect(tile.status).toBe(200);
      expect(tile.headers.get('x-tile-cache')).toBe('miss');
    }
  });

  it('a cancel sent to one process stops the load running on the other; nothing of it lands', async () => {
    const job = await upload('riool_geannuleerd.geojson');
    const ready = await waitFor(job.id, ['awaiting-mapping']);
    await startLoad(ready, 'riool-geannuleerd');
    const loader = await workerOf(job.id);
    await nextOn(other(loader));
    const res = await call(`/api/imports/${job.id}`, { method: 'DELETE' });
    expect(((await res.json()) as { job: Job }).job.state).toBe('cancelled');
    expect(last).not.toBe(loader);
    for (let i = 0; i < 200; i++) {
      const r = await db.pool.query<{ claimed_by: string | null }>('SELECT claimed_by FROM import_job WHERE id = $1', [job.id]);
      if (r.rows[0]?.claimed_by === null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await waitFor(job.id, ['cancelled'])).error).toBeNull();
    await gone(job.id);
    const r = await db.pool.query<{ d: number; t: number }>(
      `SELECT (SELECT count(*) FROM dataset WHERE name = 'riool-geannuleerd')::int AS d,
              (SELECT count(*) FROM pg_class WHERE relname LIKE 'asset\\_load\\_%' AND relkind = 'r')::int AS t`);
    expect(r.rows[0]).toEqual({ d: 0, t: 0 });
  });

  it('a hotspot posted through one process reaches the live feed on the other', async () => {
    const created = await postJson('/api/walks', { title: 'Schouw over twee processen', date: '2026-12-05' }, {}, facilitator);
    expect(created.status).toBe(201);
    const walk = (await created.json()) as { id: number; code: string };
    const joined = await postJson('/api/walk-join', { code: walk.code }, {}, null);
    const device = ((await joined.json()) as { token: string }).token;
    const controller = new AbortController();
    const feed = await call(`/api/walks/${walk.id}/events`, { auth: facilitator, signal: controller.signal });
    const feedOn = last;
    const id = randomUUID();
    const received = readStream(feed, controller, (text) => text.includes(id), 15_000);
    const post = await postJson('/api/walk/hotspots', {
      id, kind: 'kans', theme: 'ecologie', note: 'Gezien via het andere proces', lon: 5.8903, lat: 51.1636, accuracy: 5, observedAt: new Date().toISOString(),
    }, { 'x-walk-device': device }, null);
    expect(post.status).toBe(201);
    expect(last).toBe(other(feedOn));
    expect(await received).toMatch(/Gezien via het andere proces/);
  });

  it('a process killed during a load: the other fails the job with a clear error, and no partial layer', async () => {
    const job = await upload('riool_afgebroken.geojson');
    const ready = await waitFor(job.id, ['awaiting-mapping']);
    await startLoad(ready, 'riool-afgebroken');
    const victim = processes[instances.indexOf(await workerOf(job.id))] as AppProcess;
    for (let i = 0; ; i++) {
      const r = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY asset_load_%' AND state = 'active'");
      if ((r.rows[0]?.n ?? 0) > 0) break;
      if (i > 600) throw new Error('the load never reached its COPY');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    victim.kill();
    const failed = await waitFor(job.id, ['failed', 'done'], 30_000);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'import_interrupted' });
    expect(failed.error?.message).toMatch(/riool_afgebroken\.geojson: the API process that was loading this import .* stopped answering/);
    await gone(job.id); // the survivor removed the upload of the dead process's job
    for (let i = 0; i < 100; i++) {
      const t = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY asset_load_%'");
      if ((t.rows[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const r = await db.pool.query<{ d: number; t: number }>(
      `SELECT (SELECT count(*) FROM dataset WHERE name = 'riool-afgebroken')::int AS d,
              (SELECT count(*) FROM pg_class WHERE relname LIKE 'asset\\_load\\_%' AND relkind = 'r')::int AS t`);
    expect(r.rows[0]).toEqual({ d: 0, t: 0 });
  });
});
