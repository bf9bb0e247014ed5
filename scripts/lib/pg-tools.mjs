// What backup.mjs and restore.mjs share: connections, database URLs and the PostgreSQL client tools
// (pg_dump, pg_restore) of the server's own major version.
import { existsSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';

/** A pg.Client connected to `url` (pg loaded on use: these scripts start before `npm install`). */
export async function connect(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** `url` with its database replaced by `name`. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The database name in `url`. */
export function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** `url` without its password, for log lines. */
export function safeUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function isDatabaseName(name) {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name);
}

/** 20261129t175020: a timestamp for file and database names. */
export function stamp(date = new Date()) {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '').toLowerCase();
}

/**
 * pg_dump/pg_restore of the server's major version (a dump written by a newer pg_dump cannot be read
 * by an older pg_restore, and pg_dump refuses a newer server), else the newest one installed.
 */
export function pgTool(tool, serverMajor) {
  const base = '/usr/lib/postgresql';
  const exact = path.join(base, String(serverMajor), 'bin', tool);
  if (existsSync(exact)) return exact;
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', tool))).map(Number) : [];
  const newer = versions.filter((v) => v >= serverMajor).sort((a, b) => a - b)[0];
  if (newer !== undefined) return path.join(base, String(newer), 'bin', tool);
  throw new Error(`${tool} for PostgreSQL ${serverMajor} is not installed: apt-get install postgresql-client-${serverMajor}`);
}

export async function serverMajor(client) {
  const r = await client.query('SHOW server_version_num');
  return Math.floor(Number(r.rows[0].server_version_num) / 10000);
}

/** Run a tool to the end; resolves with its exit code and stderr (stdout ignored). */
export function runTool(cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr: stderr.trim() }));
  });
}

/** Other sessions on database `name` (an API process, psql, QGIS): who would be cut off by a replace. */
export async function otherSessions(client, name) {
  const r = await client.query(
    `SELECT coalesce(nullif(application_name, ''), 'unnamed') AS app, count(*)::int AS n FROM pg_stat_activity
     WHERE datname = $1 AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 1`,
    [name],
  );
  return r.rows.map((x) => `${x.n} × ${x.app}`);
}
