/**
 * The soak's server: a fresh database with the demo area (`api/src/cli/setup.ts`, as `npm start`
 * runs it), the real server process (api/src/main.ts, through tests/helpers/app-process.ts), the
 * pid of the node process that listens (found through /proc/net/tcp, since npx and tsx stand in
 * between) and its resident set sampled from /proc/<pid>/status.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, readlink } from 'node:fs/promises';
import pg from 'pg';
import { ROOT, type AppProcess, startServerProcess } from '../../tests/helpers/app-process.ts';
import type { Bbox, DemoArea } from './traffic.ts';

export interface SoakServer {
  app: AppProcess;
  baseUrl: string;
  /** the node process that serves (its resident set is what the report shows) */
  pid: number;
  area: DemoArea;
  /** stops the server and drops the database */
  close(): Promise<void>;
}

const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function adminQuery<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

function runSetup(databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('npx', ['tsx', 'api/src/cli/setup.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => (err ? reject(new Error(`setup failed: ${err.message}\n${stdout}${stderr}`)) : resolve()));
  });
}

/** The extents of the demo data and of the municipality it lies in, in WGS84 (read as the owner: no row security). */
async function demoArea(url: string): Promise<DemoArea> {
  const box = `array[ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)]::float8[]`;
  const rows = await adminQuery<{ data: number[] | null; municipality: number[] | null }>(url, `
    WITH d AS (SELECT ST_SetSRID(ST_Extent(geom)::geometry, (SELECT ST_SRID(geom) FROM asset LIMIT 1)) AS g FROM asset)
    SELECT (SELECT ${box} FROM (SELECT ST_Transform(g, 4326) AS b FROM d) x) AS data,
           (SELECT ${box} FROM (SELECT ST_Transform(m.geom, 4326) AS b FROM municipality m, d
              WHERE ST_Intersects(m.geom, ST_Centroid(d.g)) LIMIT 1) y) AS municipality`);
  const r = rows[0];
  if (!r?.data || r.data.length !== 4) throw new Error('the demo area has no assets: did setup import the KLIC deliveries?');
  const data = r.data as unknown as Bbox;
  return { data, municipality: r.municipality && r.municipality.length === 4 ? (r.municipality as unknown as Bbox) : data };
}

/** The pid of the process listening on 127.0.0.1:`port` (its socket's inode among the fds in /proc). */
export async function listeningPid(port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const table = await readFile('/proc/net/tcp', 'utf8');
  const line = table.split('\n').find((l) => {
    const f = l.trim().split(/\s+/);
    return f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A';
  });
  const inode = line?.trim().split(/\s+/)[9];
  if (!inode) throw new Error(`nothing listens on port ${port}`);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      if ((await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '')) === `socket:[${inode}]`) return Number(entry);
    }
  }
  throw new Error(`no process of ours holds the socket listening on port ${port}`);
}

/** Resident set in MB, or null when the process is gone. */
export async function rssMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status === null ? NaN : Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Number.isFinite(kb) ? Math.round((kb / 1024) * 10) / 10 : null;
}

export async function startSoakServer(serverUrl: string, log: (m: string) => void, env: Record<string, string> = {}): Promise<SoakServer> {
  const name = `soak_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const drop = () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined);
  try {
    let t = Date.now();
    await runSetup(url);
    log(`database ${name} set up with the demo area in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const area = await demoArea(url);
    t = Date.now();
    const app = await startServerProcess(url, env);
    const close = async () => {
      await app.stop();
      await drop();
    };
    const pid = await listeningPid(Number(new URL(app.baseUrl).port)).catch(async (err: unknown) => {
      await app.stop();
      throw err;
    });
    log(`server pid ${pid} on ${app.baseUrl}, up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return { app, baseUrl: app.baseUrl, pid, area, close };
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
}
