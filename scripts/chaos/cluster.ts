/**
 * A throwaway PostGIS cluster for chaos tests that stop and restart PostgreSQL (issue 10 §2): never
 * the project's own cluster, which other tests share. `initdb` into a temporary directory, started
 * on a free loopback port with trust authentication, durability left as PostgreSQL ships it
 * (fsync, full_page_writes and synchronous_commit on: the test is whether an acknowledged commit
 * survives, so nothing here may weaken that).
 *
 * Run as root, the binaries run as the OS user `postgres` (as scripts/lib/postgres.mjs and
 * scripts/bench/replica-cluster.ts do): PostgreSQL refuses root, and the data directory must be its own.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT, freePort } from '../../tests/helpers/app-process.ts';

/** How a stop goes: `fast` = a clean shutdown (sessions are ended), `immediate` = a crash (no checkpoint; WAL replay at the next start). */
export type StopMode = 'fast' | 'immediate';

export interface ChaosCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:<port> (no database) */
  serverUrl: string;
  /** the URL of one database on it */
  url(database: string): string;
  start(): Promise<void>;
  stop(mode: StopMode): Promise<void>;
  /** whether it accepts connections now (a `SELECT 1` answers) */
  accepting(): Promise<boolean>;
  /** stop it and delete its directory */
  remove(): Promise<void>;
  log(): Promise<string>;
}

function run(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 8 << 20 }, (err, stdout, stderr) =>
      (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

const isRoot = (): boolean => process.getuid?.() === 0;

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl'))) : [];
  const v = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (v === undefined) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (run `npm start` once: it installs them)');
  return path.join(base, v, 'bin');
}

/** A binary of the server, run as the postgres OS user when we are root. */
function pgCommand(bin: string, args: readonly string[]): [string, string[]] {
  const exe = path.join(binDir(), bin);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, [...args]];
}

async function canConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000, application_name: 'samenhang-chaos-probe' });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface ClusterOptions {
  log?: (msg: string) => void;
  /** extra server settings (name=value) */
  settings?: readonly string[];
}

/** Make and start a new cluster; `remove()` it when done. */
export async function createCluster(opts: ClusterOptions = {}): Promise<ChaosCluster> {
  const log = opts.log ?? (() => undefined);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-chaos-pg-'));
  await chmod(dir, 0o700);
  if (isRoot()) await chown(dir, Number((await run('id', ['-u', 'postgres'])).trim()), Number((await run('id', ['-g', 'postgres'])).trim()));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = await freePort();
  const serverUrl = `postgres://postgres@127.0.0.1:${port}`;
  const pgCtl = (args: readonly string[]) => run(...pgCommand('pg_ctl', ['-D', dataDir, ...args]));
  try {
    await run(...pgCommand('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const options = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', ...(opts.settings ?? []).flatMap((s) => ['-c', s])];
  const start = async () => {
    await pgCtl(['-l', logFile, '-o', options.join(' '), '-w', '-t', '120', 'start']);
  };
  const running = () => pgCtl(['status']).then(() => true, () => false);
  const stop = async (mode: StopMode) => {
    if (await running()) await pgCtl(['-m', mode, '-w', '-t', '120', 'stop']);
  };
  try {
    await start();
  } catch (err) {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the chaos cluster did not start: ${err instanceof Error ? err.message : String(err)}\n${text.slice(-3000)}`);
  }
  log(`throwaway PostgreSQL cluster on 127.0.0.1:${port} (${dataDir})`);
  const url = (database: string) => `${serverUrl}/${database}`;
  return {
    port, serverUrl, url, start, stop,
    accepting: () => canConnect(url('postgres')),
    remove: async () => {
      await stop('fast').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}

/** The settings that make a commit durable; each must read `on`. */
export async function durability(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit')");
    return Object.fromEntries(r.rows.map((row) => [row.name, row.setting]));
  } finally {
    await c.end();
  }
}

/**
 * Create database `name` on the cluster and set it up as `npm start` does (migrations, the demo
 * area, the demo accounts and the FICTIONAL demo planning: api/src/cli/setup.ts); returns its URL.
 */
export async function setupAppDatabase(cluster: ChaosCluster, name: string, extraEnv: Record<string, string> = {}): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const c = new pg.Client({ connectionString: cluster.url('postgres') });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = cluster.url(name);
  await new Promise<void>((resolve, reject) => {
    const p = spawn('npx', ['tsx', 'api/src/cli/setup.ts'], { cwd: ROOT, env: { ...process.env, ...extraEnv, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`setup of ${name} failed (${code}):\n${out.slice(-3000)}`))));
  });
  return url;
}
