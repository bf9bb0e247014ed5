/**
 * Pieces of the import-crash chaos part (import-crash.ts): its databases (copies of one migrated
 * template that holds the importing analyst), the SYNTHETIC line file, the HTTP journey of an
 * import with an Idempotency-Key, and the checks made after a crash (layer complete or absent,
 * staging gone, checksum of a layer).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { once } from 'node:events';
import pg from 'pg';
import { createPool } from '../../api/src/db/pool.ts';
import { migrate } from '../../api/src/db/migrate.ts';
import { userToken } from '../../tests/helpers/auth.ts';

export const ANALYST = 'crash-analist@chaos.test';
const ORG = { slug: 'chaos-crash', name: 'Chaosgemeente (synthetisch)', kind: 'gemeente' };
const NAME = /^[a-z_][a-z0-9_]*$/;

export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `run` with a client on the server's `postgres` database (CREATE/DROP DATABASE) */
export async function onServer<T>(serverUrl: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

export interface Template {
  name: string;
  token: string;
  orgId: number;
}

/** A migrated database with the analyst (a write token) and its organisation; copied for every round. */
export async function createTemplate(serverUrl: string): Promise<Template> {
  const name = `chaos_crash_${randomBytes(4).toString('hex')}_tpl`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const pool = createPool(databaseUrl(serverUrl, name), 2);
  try {
    await migrate(pool);
    const token = await userToken(pool, ORG, 'analyst', ANALYST);
    const org = await pool.query<{ id: number }>('SELECT id FROM organisation WHERE slug = $1', [ORG.slug]);
    return { name, token, orgId: org.rows[0]?.id ?? 0 };
  } finally {
    await pool.end();
  }
}

/** A fresh database copied from the template (CREATE DATABASE … TEMPLATE: a file copy, ~1 s). */
export async function copyDatabase(serverUrl: string, template: string, name: string): Promise<string> {
  if (!NAME.test(name) || !NAME.test(template)) throw new Error(`bad database name ${name}`);
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`bad database name ${name}`);
  await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * n SYNTHETIC sewer lines in RD New (EPSG:28992), 1,000 to a row of a 5 m grid, each with its own
 * id, a material, a diameter and a year that vary with the number (so the checksum sees every row).
 */
export async function writeSyntheticLines(target: string, n: number): Promise<number> {
  const out = createWriteStream(target);
  out.write('{"type":"FeatureCollection","name":"SYNTHETIC chaos lines","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n');
  const materials = ['PVC', 'beton', 'gres', 'PE'];
  for (let i = 0; i < n; i++) {
    const x = 150_000 + (i % 1000) * 5;
    const y = 400_000 + Math.floor(i / 1000) * 5;
    const line = `${i ? ',' : ''}{"type":"Feature","properties":{"id":"S${i}","materiaal":"${materials[i % 4] ?? 'PVC'}","diameter":${150 + (i % 7) * 50},"aanleg":${1950 + (i % 70)}},`
      + `"geometry":{"type":"LineString","coordinates":[[${x},${y}],[${x + 4},${y + (i % 5)}]]}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end(']}\n');
  await once(out, 'finish');
  return n;
}

export interface Job {
  id: string;
  state: string;
  featureCount: number | null;
  progress: { percent: number; parsed: number; loaded: number };
  proposedMapping: { mapping: Record<string, unknown> } | null;
  report: { read: number; loaded: number; layer: { datasetId: number }; durationMs: number; phasesMs?: Record<string, number> } | null;
  error: { code: string; message: string } | null;
}

export interface Uploaded {
  status: number;
  replayed: boolean;
  job: Job;
}

/** The analyst's side of the journey, over HTTP with a Bearer token. */
export class Importer {
  constructor(
    private readonly token: string,
    public baseUrl: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  async upload(name: string, body: Buffer, key: string): Promise<Uploaded> {
    const res = await fetch(`${this.baseUrl}/api/imports?name=${encodeURIComponent(name)}`, {
      method: 'POST', headers: this.headers({ 'content-type': 'application/octet-stream', 'idempotency-key': key }), body: new Blob([new Uint8Array(body)]),
    });
    const json = (await res.json()) as { job?: Job; error?: { message: string } };
    if (!json.job) throw new Error(`upload of ${name} answered ${res.status}: ${json.error?.message ?? '?'}`);
    return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', job: json.job };
  }

  async get(id: string): Promise<Job> {
    const res = await fetch(`${this.baseUrl}/api/imports/${id}`, { headers: this.headers() });
    if (!res.ok) throw new Error(`GET /api/imports/${id} answered ${res.status}`);
    return ((await res.json()) as { job: Job }).job;
  }

  async waitFor(id: string, states: string[], ms: number): Promise<Job> {
    const end = Date.now() + ms;
    for (;;) {
      const job = await this.get(id);
      if (states.includes(job.state)) return job;
      if (Date.now() > end) throw new Error(`import ${id} is ${job.state} after ${ms / 1000} s, not ${states.join('/')}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Post the mapping (the proposal, with a fixed system and owner: one COPY, no owner lookups) and the layer name. */
  async load(job: Job, layerName: string, ownerId: number): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/imports/${job.id}/load`, {
      method: 'POST', headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ mapping: { ...job.proposedMapping?.mapping, system: { value: 'riool_vrijverval' } }, layerName, invalid: 'skip', ownerId }),
    });
    if (res.status !== 202) throw new Error(`POST /api/imports/${job.id}/load answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
}

/** Rows COPY has taken in so far (pg_stat_progress_copy), or null when no COPY runs in the database. */
export async function copyProgress(c: pg.Client): Promise<number | null> {
  const r = await c.query<{ n: string }>('SELECT tuples_processed::text AS n FROM pg_stat_progress_copy WHERE datname = current_database() LIMIT 1');
  const n = r.rows[0]?.n;
  return n === undefined ? null : Number(n);
}

export interface LayerState {
  /** absent: no dataset row and no rows; complete: the dataset and exactly the expected rows */
  outcome: 'absent' | 'complete' | 'partial';
  rows: number;
  datasets: number;
}

export async function layerState(c: pg.Client, layerName: string, expected: number): Promise<LayerState> {
  const r = await c.query<{ rows: number; datasets: number }>(
    `SELECT (SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.layer_name = $1)::int AS rows,
            (SELECT count(*) FROM dataset WHERE layer_name = $1)::int AS datasets`, [layerName]);
  const rows = r.rows[0]?.rows ?? 0;
  const datasets = r.rows[0]?.datasets ?? 0;
  const outcome = rows === 0 && datasets === 0 ? 'absent' : rows === expected && datasets === 1 ? 'complete' : 'partial';
  return { outcome, rows, datasets };
}

/**
 * Checksum of a layer that does not depend on database-assigned numbers (asset and dataset ids,
 * which killed attempts use up): per row the source id without its dataset prefix, the mapped
 * columns, the attributes, the owner's name and the geometry as hex EWKB; the row hashes sorted and hashed.
 */
export async function layerChecksum(c: pg.Client, layerName: string): Promise<{ rows: number; checksum: string }> {
  const r = await c.query<{ rows: number; checksum: string }>(
    `SELECT count(*)::int AS rows, md5(coalesce(string_agg(h, '' ORDER BY h COLLATE "C"), '')) AS checksum FROM (
       SELECT md5(concat_ws('|', substr(a.source_id, strpos(a.source_id, '/') + 1), a.source_kind, a.system, a.asset_class, a.status,
                  a.material, a.diameter_mm::text, a.label, a.attributes::text, o.name, encode(ST_AsEWKB(a.geom), 'hex'))) AS h
       FROM asset a JOIN dataset d ON d.id = a.dataset_id LEFT JOIN organisation o ON o.id = a.owner_id
       WHERE d.layer_name = $1) x`, [layerName]);
  return { rows: r.rows[0]?.rows ?? 0, checksum: r.rows[0]?.checksum ?? '' };
}

export interface Staging {
  /** asset_load_* tables (only ever inside a load's transaction; a loaded partition keeps its indexes' asset_load_* names) */
  loadTables: number;
  /** jobs not ended, or still claimed */
  liveJobs: number;
  /** entries left in the upload directory */
  uploads: string[];
  /** the killed process's backends still running a load statement */
  loadBackends: number;
}

export async function staging(c: pg.Client, uploadDir: string): Promise<Staging> {
  const r = await c.query<{ t: number; j: number; b: number }>(
    `SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'asset\\_load\\_%' AND relkind IN ('r', 'p'))::int AS t,
            (SELECT count(*) FROM import_job WHERE state NOT IN ('done', 'failed', 'cancelled') OR claimed_by IS NOT NULL)::int AS j,
            (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state <> 'idle' AND query ILIKE '%asset\\_load\\_%')::int AS b`);
  const row = r.rows[0];
  return { loadTables: row?.t ?? -1, liveJobs: row?.j ?? -1, loadBackends: row?.b ?? -1, uploads: await readdir(uploadDir).catch(() => []) };
}

export const clean = (s: Staging): boolean => s.loadTables === 0 && s.liveJobs === 0 && s.uploads.length === 0 && s.loadBackends === 0;

export async function until<T>(what: string, ms: number, probe: () => Promise<T | null>, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
