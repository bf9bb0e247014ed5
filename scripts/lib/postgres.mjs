// A project-local PostgreSQL + PostGIS cluster under .data/, used when DATABASE_URL is not given.
import { existsSync, mkdirSync, readdirSync, chownSync, writeFileSync, readFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { totalmem } from 'node:os';
import { ROOT, log, fail, isRoot, run, runOrFail, capture, ensureApt } from './env.mjs';

export const PG_VERSION = '15';
export const LOCAL_PORT = Number(process.env.SAMENHANG_PG_PORT ?? 54329);
const DATA = path.join(ROOT, '.data');
const CLUSTER = path.join(DATA, 'pg');
const SOCKET_DIR = path.join(DATA, 'sock');
const LOGFILE = path.join(DATA, 'postgres.log');

function binDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(path.join(base, PG_VERSION, 'bin', 'pg_ctl'))) return path.join(base, PG_VERSION, 'bin');
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl'))) : [];
  return versions.length ? path.join(base, versions.sort().at(-1), 'bin') : null;
}

function postgisInstalled() {
  const dirs = existsSync('/usr/share/postgresql') ? readdirSync('/usr/share/postgresql') : [];
  return dirs.some((v) => existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`));
}

/** PostgreSQL server binaries and the PostGIS extension, installed through apt when missing. */
export function ensurePostgisPackages() {
  if (binDir() && postgisInstalled()) return;
  ensureApt([`postgresql-${PG_VERSION}-postgis-3`], 'PostgreSQL with PostGIS (server and extension)');
  if (!binDir() || !postgisInstalled()) fail('PostGIS is still missing after apt-get install');
}

/** Run a PostgreSQL binary as the postgres user when we are root (initdb refuses root). */
function pgCommand(bin, args) {
  const exe = path.join(binDir(), bin);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

function pgRun(bin, args) {
  const [cmd, a] = pgCommand(bin, args);
  return run(cmd, a, { stdio: ['ignore', 'ignore', 'inherit'] });
}

function ensureDirs() {
  for (const d of [DATA, CLUSTER, SOCKET_DIR]) mkdirSync(d, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const uid = Number(capture('id', ['-u', 'postgres']).trim());
    const gid = Number(capture('id', ['-g', 'postgres']).trim());
    for (const d of [DATA, CLUSTER, SOCKET_DIR]) chownSync(d, uid, gid);
    if (!existsSync(LOGFILE)) writeFileSync(LOGFILE, '');
    chownSync(LOGFILE, uid, gid);
  }
}

// Durability, written into postgresql.conf rather than left to the defaults (issue 10): an
// acknowledged commit survives a crash. These are PostgreSQL's defaults, but a tuning guide's
// `fsync = off` would otherwise go unnoticed; scripts/lib/durability.mjs checks what the server runs.
const DURABLE_CONF = `
# samenhang (scripts/lib/postgres.mjs): an acknowledged commit survives a crash; keep these on
fsync = on
full_page_writes = on
synchronous_commit = on
`;

/** Append the durability block to postgresql.conf once; true when it was added now. */
function ensureDurableConf() {
  const conf = path.join(CLUSTER, 'postgresql.conf');
  if (readFileSync(conf, 'utf8').includes('# samenhang (scripts/lib/postgres.mjs): an acknowledged commit')) return false;
  appendFileSync(conf, DURABLE_CONF);
  return true;
}

export function localClusterRunning() {
  return existsSync(CLUSTER) && pgRun('pg_ctl', ['-D', CLUSTER, 'status']) === 0;
}

/** Create (once) and start the local cluster; returns its superuser connection URL (no database). */
export function startLocalCluster() {
  ensurePostgisPackages();
  ensureDirs();
  if (!existsSync(path.join(CLUSTER, 'PG_VERSION'))) {
    log(`creating a local PostgreSQL cluster in ${CLUSTER}`);
    // --data-checksums: a page damaged on disk is reported when read instead of returned as data
    const status = pgRun('initdb', ['-D', CLUSTER, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--data-checksums']);
    if (status !== 0) fail('initdb failed');
  }
  const confAdded = ensureDurableConf();
  // a cluster that runs already reads the block on reload (the three settings need no restart)
  if (confAdded && localClusterRunning()) pgRun('pg_ctl', ['-D', CLUSTER, 'reload']);
  if (!localClusterRunning()) {
    log(`starting PostgreSQL on 127.0.0.1:${LOCAL_PORT}`);
    // sized for the machine (PostgreSQL's defaults assume 1 GB of RAM): a quarter of the memory
    // (≤ 2 GB) for shared buffers, so a city's networks stay in PostgreSQL's own cache; SSD costs
    const mb = Math.floor(totalmem() / 1024 / 1024);
    const tuning = `-c shared_buffers=${Math.max(128, Math.min(2048, Math.floor(mb / 4)))}MB -c effective_cache_size=${Math.max(512, Math.floor(mb / 2))}MB -c random_page_cost=1.1`;
    const opts = `-p ${LOCAL_PORT} -k ${SOCKET_DIR} -c listen_addresses=127.0.0.1 ${tuning}`;
    const status = pgRun('pg_ctl', ['-D', CLUSTER, '-l', LOGFILE, '-o', opts, '-w', 'start']);
    if (status !== 0) fail(`PostgreSQL did not start; see ${LOGFILE}`);
  }
  return `postgres://postgres@127.0.0.1:${LOCAL_PORT}`;
}

export function stopLocalCluster() {
  if (!localClusterRunning()) {
    log('the local PostgreSQL is not running');
    return;
  }
  runOrFail(...pgCommand('pg_ctl', ['-D', CLUSTER, '-m', 'fast', '-w', 'stop']));
  log('stopped the local PostgreSQL');
}

function psql(serverUrl, sql) {
  const exe = path.join(binDir(), 'psql');
  return capture(exe, [`${serverUrl}/postgres`, '-tAc', sql]).trim();
}

/** Create the database when absent (with PostGIS); returns its URL. */
export function ensureDatabase(serverUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) fail(`invalid database name ${name}`);
  const exists = psql(serverUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (exists !== '1') {
    log(`creating database ${name}`);
    psql(serverUrl, `CREATE DATABASE ${name}`);
  }
  return `${serverUrl}/${name}`;
}

export function localDatabaseUrl(name) {
  return `postgres://postgres@127.0.0.1:${LOCAL_PORT}/${name}`;
}
