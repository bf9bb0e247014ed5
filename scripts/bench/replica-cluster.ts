/**
 * A local streaming replica of a PostgreSQL server, for the scale benchmark and the replica
 * integration test (issue 9 §4): `pg_basebackup -R -X stream` into a temporary directory, then
 * `pg_ctl start` as a hot standby on a free loopback port. A base backup copies the WHOLE cluster
 * (every database on it), so this is for the project's own local cluster, not a shared server.
 *
 * The binaries are those of the server's major version (/usr/lib/postgresql/<major>/bin). Run as
 * root, they run as the OS user `postgres` (as scripts/lib/postgres.mjs runs the local cluster),
 * since PostgreSQL refuses to run as root and the data directory must belong to the server's user.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface ReplicaCluster {
  port: number;
  dataDir: string;
  /** the replica's URL of one database (same user and password as the primary's URL) */
  url(database: string): string;
  /** seconds the base backup took */
  backupSeconds: number;
  /** wait until the replica has replayed everything the primary had written when this was called */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** stop the replica (fast shutdown); start() brings it back */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stop it and delete its directory */
  remove(): Promise<void>;
  log(): Promise<string>;
}

export interface ReplicaOptions {
  /** extra server settings (name=value), e.g. the primary's shared_buffers */
  settings?: readonly string[];
  log?: (msg: string) => void;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 8 << 20 }, (err, stdout, stderr) =>
      (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** A binary of the server's version, run as the postgres OS user when we are root. */
function pgCommand(bin: string, args: readonly string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: 'samenhang-replica-setup' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function withDatabase(url: string, database: string, port?: number): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (port !== undefined) {
    u.hostname = '127.0.0.1';
    u.port = String(port);
  }
  return u.toString();
}

/** What the primary must allow for a base backup; throws saying what is missing. */
async function checkPrimary(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const r = await c.query<{ major: string; wal: string; senders: number; may: boolean }>(
      `SELECT current_setting('server_version_num')::int / 10000 AS major, current_setting('wal_level') AS wal,
              current_setting('max_wal_senders')::int AS senders, (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS may`);
    const s = r.rows[0];
    if (!s) throw new Error('could not read the primary\'s settings');
    const missing = [
      ...(s.wal === 'minimal' ? [`wal_level is minimal (needs replica)`] : []),
      ...(s.senders < 1 ? ['max_wal_senders is 0'] : []),
      ...(s.may ? [] : ['the user of the URL has no REPLICATION privilege']),
    ];
    if (missing.length > 0) throw new Error(`the primary cannot feed a streaming replica: ${missing.join('; ')}`);
    return String(s.major);
  });
}

/**
 * Make and start a hot standby of the server of `primaryUrl` (any database on it). The primary's
 * pg_hba.conf must let this user make replication connections from 127.0.0.1 (an initdb trust
 * cluster's default does: `host replication all 127.0.0.1/32 trust`).
 */
export async function startReplica(primaryUrl: string, opts: ReplicaOptions = {}): Promise<ReplicaCluster> {
  const log = opts.log ?? (() => undefined);
  const major = await checkPrimary(withDatabase(primaryUrl, 'postgres'));
  const bin = `/usr/lib/postgresql/${major}/bin`;
  if (!existsSync(path.join(bin, 'pg_basebackup'))) throw new Error(`no PostgreSQL ${major} client binaries in ${bin} (Debian package postgresql-${major})`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-replica-'));
  await chmod(dir, 0o700);
  if (isRoot()) {
    const ids = (await run('id', ['-u', 'postgres'])).trim();
    const gid = (await run('id', ['-g', 'postgres'])).trim();
    await chown(dir, Number(ids), Number(gid));
  }
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'replica.log');
  const port = await freePort();
  const u = new URL(primaryUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSWORD: decodeURIComponent(u.password) || undefined };
  if (!env.PGPASSWORD) delete env.PGPASSWORD;
  const started = performance.now();
  log(`base backup of ${u.hostname}:${u.port || '5432'} (the whole cluster) into ${dataDir}`);
  try {
    // fast checkpoint (a spread one waits minutes), no fsync and no manifest: a throwaway copy
    await run(...pgCommand(path.join(bin, 'pg_basebackup'), [
      '-h', u.hostname || '127.0.0.1', '-p', u.port || '5432', '-U', decodeURIComponent(u.username) || 'postgres',
      '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync', '--no-manifest',
    ]), env);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n(does pg_hba.conf of the primary allow 'host replication all 127.0.0.1/32'?)`);
  }
  const backupSeconds = (performance.now() - started) / 1000;
  const options = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'hot_standby=on', ...(opts.settings ?? []).flatMap((s) => ['-c', s])];
  const pgCtl = (args: string[]) => run(...pgCommand(path.join(bin, 'pg_ctl'), ['-D', dataDir, ...args]));
  const start = async () => {
    await pgCtl(['-l', logFile, '-o', options.join(' '), '-w', '-t', '120', 'start']);
  };
  const stop = async () => {
    // `status` fails when it is not running: nothing to stop then
    await pgCtl(['status']).then(() => pgCtl(['-m', 'fast', '-w', 'stop']), () => undefined);
  };
  try {
    await start();
  } catch (err) {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the replica did not start: ${err instanceof Error ? err.message : String(err)}\n${text.slice(-3000)}`);
  }
  const replicaUrl = (database: string) => withDatabase(primaryUrl, database, port);
  const caughtUp = async (timeoutMs = 60_000) => {
    const target = await withClient(withDatabase(primaryUrl, 'postgres'), async (c) => (await c.query<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l')).rows[0]?.l);
    await withClient(replicaUrl('postgres'), async (c) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await c.query<{ ok: boolean | null }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [target]);
        if (r.rows[0]?.ok === true) return;
        if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${target ?? '?'} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
  };
  log(`replica on 127.0.0.1:${port} after a ${backupSeconds.toFixed(1)} s base backup`);
  return {
    port, dataDir, backupSeconds, url: replicaUrl, caughtUp, stop, start,
    remove: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}
