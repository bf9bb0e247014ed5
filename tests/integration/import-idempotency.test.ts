/**
 * Idempotency-Key on POST /api/imports (issue 10, migration 021): the same key answers with the job
 * that holds it (no second upload, no second load), a failed, cancelled or dead attempt does not
 * poison the key, a bad key is a 400 that names the problem, keys are per user, a key names one
 * file, two racing requests make one job, and the load step repeats safely.
 * The files are SYNTHETIC GeoJSON lines written by the test.
 */
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppPool, tenantPool } from '../../api/src/db/tenant-context.ts';
import { ImportJobs } from '../../api/src/jobs/import-jobs.ts';
import type { Pool } from '../../api/src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/auth.ts';

const N = 2_000;
const ORG = { slug: 'idem', name: 'Idempotente Gemeente', kind: 'gemeente' };

interface Job {
  id: string;
  state: string;
  featureCount: number | null;
  proposedMapping: { mapping: Record<string, unknown> } | null;
  report: { read: number; loaded: number; new: number; layer: { datasetId: number } } | null;
  error: { code: string; message: string } | null;
}

let db: TestDatabase;
let server: TestServer;
let jobs: ImportJobs;
let appPool: Pool;
let uploads = '';
let alice = '';
let bob = '';

/** N SYNTHETIC short lines in RD New (EPSG:28992) on a 5 m grid. */
function syntheticLines(n: number): Buffer {
  const parts = ['{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n'];
  for (let i = 0; i < n; i++) {
    const x = 180_000 + (i % 100) * 5;
    const y = 350_000 + Math.floor(i / 100) * 5;
    parts.push(`${i ? ',' : ''}{"type":"Feature","properties":{"id":"L${i}","materiaal":"PVC"},"geometry":{"type":"LineString","coordinates":[[${x},${y}],[${x + 4},${y + 3}]]}}\n`);
  }
  parts.push(']}\n');
  return Buffer.from(parts.join(''));
}
const FILE = syntheticLines(N);

beforeAll(async () => {
  db = await createTestDatabase('it_idem');
  alice = await userToken(db.pool, ORG, 'analyst', 'alice@idem.test');
  bob = await userToken(db.pool, ORG, 'analyst', 'bob@idem.test');
  uploads = await mkdtemp(path.join(os.tmpdir(), 'samenhang-idem-'));
  appPool = createAppPool(db.url, 4);
  // a 1 s lease: a job whose process is gone is failed within a second or so
  jobs = new ImportJobs({ pool: tenantPool(appPool), srid: 28992, uploadDir: uploads, instance: 'idem-test', leaseMs: 1000 });
  jobs.startWorker();
  server = await startTestServer(db.pool, null, () => undefined, { jobs, uploadDir: uploads });
});
afterAll(async () => {
  await server?.close();
  await jobs?.close();
  await appPool?.end();
  await db?.drop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

async function upload(token: string, name: string, body: Buffer, key?: string): Promise<{ status: number; replayed: string | null; job?: Job; error?: { code: string; message: string } }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' };
  if (key !== undefined) headers['idempotency-key'] = key;
  const res = await fetch(`${server.baseUrl}/api/imports?name=${encodeURIComponent(name)}`, { method: 'POST', headers, body: new Blob([new Uint8Array(body)]) });
  const json = (await res.json()) as { job?: Job; error?: { code: string; message: string } };
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), ...json };
}

async function waitFor(token: string, id: string, states: string[]): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${server.baseUrl}/api/imports/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const { job } = (await res.json()) as { job: Job };
    if (states.includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} did not reach ${states.join('/')}`);
}

function postLoad(token: string, job: Job, layerName: string): Promise<Response> {
  return fetch(`${server.baseUrl}/api/imports/${job.id}/load`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mapping: { ...job.proposedMapping?.mapping, system: { value: 'riool_vrijverval' } }, layerName, invalid: 'skip' }),
  });
}

async function rowsOf(key: string): Promise<{ n: number; states: string[] }> {
  const r = await db.pool.query<{ state: string }>('SELECT state FROM import_job WHERE idempotency_key = $1 ORDER BY created_at', [key]);
  return { n: r.rows.length, states: r.rows.map((row) => row.state) };
}

async function layer(name: string): Promise<{ rows: number; importedAt: string | null }> {
  const r = await db.pool.query<{ rows: number; imported_at: string | null }>(
    `SELECT (SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.layer_name = $1)::int AS rows,
            (SELECT imported_at::text FROM dataset WHERE layer_name = $1) AS imported_at`, [name]);
  return { rows: r.rows[0]?.rows ?? 0, importedAt: r.rows[0]?.imported_at ?? null };
}

describe('Idempotency-Key on POST /api/imports', () => {
  it('the same key answers with the same job: no second upload and no second load', async () => {
    const first = await upload(alice, 'lijnen.geojson', FILE, 'journey-1');
    expect(first.status).toBe(202);
    expect(first.replayed).toBeNull();
    const id = first.job?.id ?? '';
    const again = await upload(alice, 'lijnen.geojson', FILE, 'journey-1');
    expect(again).toMatchObject({ status: 200, replayed: 'true', job: { id } });
    const ready = await waitFor(alice, id, ['awaiting-mapping', 'failed']);
    expect(ready.state).toBe('awaiting-mapping');
    expect((await postLoad(alice, ready, 'idem-lijnen')).status).toBe(202);
    // the load step repeats safely: the same mapping answers with the job, another is a conflict
    const repeated = await postLoad(alice, ready, 'idem-lijnen');
    expect(repeated.status).toBe(202);
    expect(((await repeated.json()) as { job: Job }).job.id).toBe(id);
    expect((await postLoad(alice, ready, 'idem-andere-naam')).status).toBe(409);
    const done = await waitFor(alice, id, ['done', 'failed']);
    expect(done.report).toMatchObject({ read: N, loaded: N, new: N });
    const before = await layer('idem-lijnen');
    expect(before.rows).toBe(N);
    const replay = await upload(alice, 'lijnen.geojson', FILE, 'journey-1');
    expect(replay).toMatchObject({ status: 200, replayed: 'true', job: { id, state: 'done', report: { loaded: N } } });
    expect(await layer('idem-lijnen')).toEqual(before); // not loaded again: same rows, same import time
    expect(await rowsOf('journey-1')).toEqual({ n: 1, states: ['done'] });
    // a replay reads no upload into the upload directory: only live jobs' uploads are there
    expect(await readdir(uploads)).toEqual([]);
  });

  it('a failed attempt does not poison the key: the retry runs the import anew', async () => {
    const truncated = FILE.subarray(0, Math.floor(FILE.length / 2));
    const broken = await upload(alice, 'afgebroken.geojson', truncated, 'journey-2');
    const failed = broken.status === 202 ? await waitFor(alice, broken.job?.id ?? '', ['failed', 'awaiting-mapping']) : null;
    // a truncated file is refused at once (4xx) or fails its analysis; either way no live job holds the key
    if (failed !== null) expect(failed.state).toBe('failed');
    else expect(broken.status).toBeGreaterThanOrEqual(400);
    const retry = await upload(alice, 'afgebroken.geojson', FILE, 'journey-2');
    expect(retry).toMatchObject({ status: 202, replayed: null });
    expect(retry.job?.id).not.toBe(broken.job?.id);
    const ready = await waitFor(alice, retry.job?.id ?? '', ['awaiting-mapping', 'failed']);
    expect(ready.featureCount).toBe(N);
    await postLoad(alice, ready, 'idem-herhaald');
    expect((await waitFor(alice, ready.id, ['done', 'failed'])).report).toMatchObject({ loaded: N });
    expect((await rowsOf('journey-2')).states.at(-1)).toBe('done');
  });

  it('a job whose process died is failed at lease expiry, and the same key then loads it', async () => {
    const first = await upload(alice, 'wees.geojson', FILE, 'journey-3');
    const ready = await waitFor(alice, first.job?.id ?? '', ['awaiting-mapping']);
    // what a process killed in the middle of the load leaves: a claim whose heartbeat stopped
    await db.pool.query(
      `UPDATE import_job SET state = 'loading', work = 'load', claimed_by = 'ghost/1/dead', heartbeat = now() - interval '1 hour',
         version = version + 1 WHERE id = $1`, [ready.id]);
    const failed = await waitFor(alice, ready.id, ['failed']);
    expect(failed.error?.code).toBe('import_interrupted');
    const retry = await upload(alice, 'wees.geojson', FILE, 'journey-3');
    expect(retry.status).toBe(202);
    const again = await waitFor(alice, retry.job?.id ?? '', ['awaiting-mapping']);
    await postLoad(alice, again, 'idem-wees');
    expect((await waitFor(alice, again.id, ['done', 'failed'])).state).toBe('done');
    expect((await layer('idem-wees')).rows).toBe(N);
    expect(await rowsOf('journey-3')).toEqual({ n: 2, states: ['failed', 'done'] });
  });

  it('a cancelled attempt frees the key too', async () => {
    const first = await upload(alice, 'geannuleerd.geojson', FILE, 'journey-4');
    await waitFor(alice, first.job?.id ?? '', ['awaiting-mapping']);
    const del = await fetch(`${server.baseUrl}/api/imports/${first.job?.id ?? ''}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice}` } });
    expect(((await del.json()) as { job: Job }).job.state).toBe('cancelled');
    const retry = await upload(alice, 'geannuleerd.geojson', FILE, 'journey-4');
    expect(retry.status).toBe(202);
    expect(retry.job?.id).not.toBe(first.job?.id);
    await waitFor(alice, retry.job?.id ?? '', ['awaiting-mapping']);
  });

  it('keys are per user, and a key names one file', async () => {
    const mine = await upload(alice, 'gedeeld.geojson', FILE, 'same-key');
    const theirs = await upload(bob, 'gedeeld.geojson', FILE, 'same-key');
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.job?.id).not.toBe(mine.job?.id);
    const other = await upload(alice, 'ander-bestand.geojson', FILE, 'same-key');
    expect(other.status).toBe(422);
    expect(other.error).toMatchObject({ code: 'idempotency_key_reused' });
    expect(other.error?.message).toContain('gedeeld.geojson');
  });

  it('two requests racing with a new key make one job', async () => {
    const [a, b] = await Promise.all([upload(alice, 'race.geojson', FILE, 'race-key'), upload(alice, 'race.geojson', FILE, 'race-key')]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.job?.id).toBe(b.job?.id);
    expect((await rowsOf('race-key')).n).toBe(1);
  });

  it('a starting process removes uploads no job names that nobody writes to any more (a process killed while receiving)', async () => {
    const stray = path.join(uploads, 'upload-killed-mid-upload');
    const fresh = path.join(uploads, 'upload-still-arriving');
    for (const dir of [stray, fresh]) {
      await mkdir(dir);
      await writeFile(path.join(dir, 'half.geojson'), FILE.subarray(0, 1000));
    }
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const f of [path.join(stray, 'half.geojson'), stray]) await utimes(f, old, old);
    const restarted = new ImportJobs({ pool: tenantPool(appPool), srid: 28992, uploadDir: uploads, instance: 'idem-restart', leaseMs: 1000 });
    restarted.startWorker();
    try {
      for (let i = 0; i < 100 && (await readdir(uploads)).includes('upload-killed-mid-upload'); i++) await new Promise((r) => setTimeout(r, 50));
      const left = await readdir(uploads);
      expect(left).not.toContain('upload-killed-mid-upload');
      expect(left).toContain('upload-still-arriving'); // written to within the hour: an upload in progress
      // the uploads of live jobs stay where they are
      const live = await db.pool.query<{ file_path: string }>("SELECT file_path FROM import_job WHERE state NOT IN ('done', 'failed', 'cancelled')");
      for (const row of live.rows) expect(left).toContain(path.basename(path.dirname(row.file_path)));
    } finally {
      await restarted.close();
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('a bad key is a 400 that names the problem; nothing is made', async () => {
    const before = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM import_job')).rows[0]?.n;
    for (const [key, problem] of [['', /1–200 characters long, not 0/], ['k'.repeat(201), /not 201/], ['tab\there', /printable ASCII/], ['sleutel-é', /printable ASCII/]] as const) {
      const r = await upload(alice, 'slecht.geojson', FILE, key);
      expect(r.status, JSON.stringify(key)).toBe(400);
      expect(r.error?.code).toBe('invalid_idempotency_key');
      expect(r.error?.message).toMatch(problem);
    }
    expect((await upload(alice, 'goed.geojson', FILE, 'k'.repeat(200))).status).toBe(202);
    const after = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM import_job')).rows[0]?.n;
    expect(after).toBe((before ?? 0) + 1);
  });
});
