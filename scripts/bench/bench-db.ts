/**
 * Fresh databases for benchmark runs, created and dropped on one PostgreSQL server: the server of
 * DATABASE_URL when set, otherwise the project-local cluster (scripts/lib/database.mjs).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { resolveDatabaseUrl } from '../lib/database.mjs';
import { createPool } from '../../api/src/db/pool.ts';
import { migrate } from '../../api/src/db/migrate.ts';

export interface BenchServer {
  /** a database on the server to run CREATE/DROP DATABASE from */
  adminUrl: string;
}

export interface FreshDatabase {
  name: string;
  url: string;
  /** libpq key=value form, for GDAL's PG: connection string */
  conninfo: string;
  drop(): Promise<void>;
}

export function benchServer(): BenchServer {
  return { adminUrl: resolveDatabaseUrl('samenhang_bench') };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** postgres://user:pw@host:port/db → "host=… port=… user=… password=… dbname=…" */
export function toConninfo(url: string): string {
  const u = new URL(url);
  const q = (v: string) => (/^[^\s'\\]+$/.test(v) ? v : `'${v.replace(/['\\]/g, (c) => `\\${c}`)}'`);
  const parts: [string, string][] = [['host', u.hostname || 'localhost'], ['port', u.port || '5432']];
  if (u.username) parts.push(['user', decodeURIComponent(u.username)]);
  if (u.password) parts.push(['password', decodeURIComponent(u.password)]);
  parts.push(['dbname', decodeURIComponent(u.pathname.replace(/^\//, ''))]);
  for (const [k, v] of u.searchParams) parts.push([k, v]);
  return parts.map(([k, v]) => `${k}=${q(v)}`).join(' ');
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'samenhang-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(server: BenchServer, prefix: string): Promise<FreshDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await withClient(server.adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(server.adminUrl, name);
  return {
    name,
    url,
    conninfo: toConninfo(url),
    drop: () => withClient(server.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A fresh database with the product's migrations applied (as `npm start` would leave it). */
export async function freshProductDatabase(server: BenchServer): Promise<FreshDatabase> {
  const db = await createDatabase(server, 'samenhang_bench_product');
  const pool = createPool(db.url, 1);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return db;
}

/** A fresh database with only the PostGIS extension, for ogr2ogr. */
export async function freshGdalDatabase(server: BenchServer): Promise<FreshDatabase> {
  const db = await createDatabase(server, 'samenhang_bench_gdal');
  await withClient(db.url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS postgis'));
  return db;
}

export async function countRows(url: string, sql: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n ?? NaN));
}

/**
 * Flush dirty buffers before a timed run so one run's writes are not paid by the next.
 * Needs superuser (the local cluster is); skipped silently elsewhere.
 */
export async function checkpoint(server: BenchServer): Promise<void> {
  await withClient(server.adminUrl, (c) => c.query('CHECKPOINT')).catch(() => undefined);
}

export async function serverVersions(server: BenchServer): Promise<{ postgres: string; postgis: string }> {
  return withClient(server.adminUrl, async (c) => {
    const pgv = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const gis = await c.query<{ v: string }>("SELECT default_version AS v FROM pg_available_extensions WHERE name = 'postgis'");
    return { postgres: pgv.rows[0]?.v ?? '?', postgis: gis.rows[0]?.v ?? '?' };
  });
}
