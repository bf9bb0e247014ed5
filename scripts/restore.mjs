// `npm run restore -- <file.dump> [--database <name-or-url>] [--force] [--no-verify] [--verify-only]`
//
// Restores a `npm run backup` dump into a NEW database (default <database>_restored_<time>, on the
// server `npm start` uses, or DATABASE_URL's), then recomputes the manifest's row counts and
// checksums (scripts/lib/checksums.mjs) and compares: a non-zero exit names every layer or table that
// differs. --force replaces an existing database (the one `npm start` uses when no --database):
// like every restore, the dump goes into a side database <name>_restoring_<time> first, is verified
// there, and only then are the two swapped by rename in one transaction; the replaced database is kept as <name>_before_restore_<time>. Refused
// while anything (the API, psql, QGIS) is connected to it.
// --verify-only compares an existing database with the manifest and restores nothing.
//
// All or nothing: pg_restore runs with --single-transaction --exit-on-error, and a failed restore
// drops the database it created, so a damaged dump leaves nothing behind.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureNodeModules, fail, log } from './lib/env.mjs';
import { localDatabaseUrl, startLocalCluster } from './lib/postgres.mjs';
import { MANIFEST_FORMAT, compareManifests, computeManifest, manifestPathFor, totalRows } from './lib/checksums.mjs';
import { connect, databaseName, isDatabaseName, otherSessions, pgTool, runTool, safeUrl, serverMajor, stamp, withDatabase } from './lib/pg-tools.mjs';

const USAGE = 'usage: npm run restore -- <file.dump> [--database <name-or-url>] [--force] [--no-verify] [--verify-only]';
const APP_ROLE = 'samenhang_app';

function options() {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { database: { type: 'string' }, force: { type: 'boolean', default: false }, 'no-verify': { type: 'boolean', default: false }, 'verify-only': { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new Error('give exactly one dump file');
    return { ...values, file: path.resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]) };
  } catch (err) {
    return fail(`${err.message}\n${USAGE}`);
  }
}

/** The database `npm start` uses: DATABASE_URL, else the local cluster (started when needed). */
function startDatabaseUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  startLocalCluster();
  return localDatabaseUrl('samenhang');
}

function targetUrl(opts) {
  const db = opts.database;
  const base = db?.includes('://') ? db : startDatabaseUrl();
  const url = db?.includes('://') ? db : withDatabase(base, db ?? (opts.force || opts['verify-only'] ? databaseName(base) : `${databaseName(base)}_restored_${stamp()}`));
  if (!isDatabaseName(databaseName(url))) fail(`"${databaseName(url)}" is not a database name this script creates (lower case letters, digits, _; at most 63)`);
  return url;
}

function readManifest(opts) {
  const file = manifestPathFor(opts.file);
  if (!existsSync(file)) {
    if (opts['no-verify'] && !opts['verify-only']) return null;
    fail(`no manifest beside the dump (${file}): without it nothing can be checked. Add --no-verify to restore unchecked.`);
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.format !== MANIFEST_FORMAT) fail(`${file} is not a ${MANIFEST_FORMAT} manifest`);
  return manifest;
}

async function checkFile(file, manifest) {
  if (!existsSync(file)) fail(`no such file: ${file}`);
  if (!manifest) return;
  const bytes = statSync(file).size;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  if (bytes !== manifest.file.bytes || hash.digest('hex') !== manifest.file.sha256) {
    fail(`${file} is damaged or is not the dump its manifest describes (${bytes} bytes, the manifest says ${manifest.file.bytes}; SHA-256 differs): nothing restored`);
  }
  log(`step 1/4: ${path.basename(file)} matches its manifest (${(bytes / 1024 / 1024).toFixed(1)} MB, SHA-256)`);
}

/** Compare `url`'s contents with the manifest; logs every difference and returns their number. */
async function verify(url, manifest) {
  const client = await connect(url);
  try {
    const problems = compareManifests(manifest, await computeManifest(client));
    for (const p of problems) log(`MISMATCH ${p}`);
    if (!problems.length) log(`${manifest.layers.length} layers, ${manifest.tables.length} tables, ${totalRows(manifest)} rows: counts and checksums match the manifest`);
    return problems.length;
  } finally {
    await client.end();
  }
}

/** A maintenance connection on the target's server (CREATE/DROP/ALTER DATABASE cannot run inside it). */
async function connectServer(url) {
  try {
    return await connect(withDatabase(url, 'postgres'));
  } catch {
    return connect(withDatabase(url, 'template1'));
  }
}

/** The app role is cluster-wide: make it when this server lacks it, as migration 005 does. */
async function ensureAppRole(admin) {
  if ((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE])).rowCount) return;
  const sql = [`CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`, `GRANT ${APP_ROLE} TO CURRENT_USER`];
  try {
    for (const s of sql) await admin.query(s);
    log(`created the role ${APP_ROLE} (the API's row-security role) on this server`);
  } catch (err) {
    fail(`the role ${APP_ROLE} is missing on this server and could not be made (${err.message}); as a superuser run: ${sql.join('; ')}; GRANT ${APP_ROLE} TO <the API's login role>`);
  }
}

async function restoreInto(admin, opts, manifest, name, url) {
  const major = await serverMajor(admin);
  const role = (await admin.query('SELECT current_user AS me, rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user')).rows[0];
  if (!role.bypass) fail(`restoring needs a superuser or a BYPASSRLS role: the tables FORCE row security (connected as ${role.me})`);
  await ensureAppRole(admin);
  const ownerKnown = !manifest || (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [manifest.owner])).rowCount > 0;
  if (!ownerKnown) log(`the owner ${manifest.owner} does not exist on this server: ${role.me} will own the restored objects`);
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
  log(`step 2/4: pg_restore ${major} into a new database ${name} (one transaction)`);
  const t0 = Date.now();
  const args = ['--exit-on-error', '--single-transaction', '--no-password', ...(ownerKnown ? [] : ['--no-owner']), `--dbname=${url}`, opts.file];
  const r = await runTool(pgTool('pg_restore', major), args);
  if (r.code !== 0) {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    fail(`pg_restore failed, nothing was restored (the new database ${name} is dropped again): ${r.stderr.split('\n').slice(0, 4).join(' | ')}`);
  }
  log(`restored in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Swap the verified side database in for `target`; the old one is kept under another name. */
async function swapIn(admin, target, side) {
  const kept = `${target.slice(0, 40)}_before_restore_${stamp()}`;
  try {
    await admin.query('BEGIN');
    await admin.query(`ALTER DATABASE "${target}" RENAME TO "${kept}"`);
    await admin.query(`ALTER DATABASE "${side}" RENAME TO "${target}"`);
    await admin.query('COMMIT');
  } catch (err) {
    await admin.query('ROLLBACK');
    fail(`could not swap the restored database in (${err.message}); ${target} is unchanged, the verified restore is in ${side}`);
  }
  log(`step 4/4: ${target} replaced; the previous one is kept as ${kept} (drop it with: DROP DATABASE ${kept})`);
}

async function refuseIfInUse(admin, name, side) {
  // a client that has just disconnected stays in pg_stat_activity until its backend has exited:
  // give such sessions up to 3 s to go before calling the database in use
  let sessions = await otherSessions(admin, name);
  for (let i = 0; i < 30 && sessions.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    sessions = await otherSessions(admin, name);
  }
  const kept = side ? `; the verified restore is kept in ${side}` : '';
  if (sessions.length) fail(`${name} is in use (${sessions.join(', ')}): stop \`npm start\` (Ctrl-C) and other clients first, then run the restore again${kept}`);
}

async function main() {
  const opts = options();
  ensureNodeModules();
  const manifest = readManifest(opts);
  const url = targetUrl(opts);
  const target = databaseName(url);
  if (opts['verify-only']) {
    log(`verifying ${safeUrl(url)} against ${manifestPathFor(opts.file)}`);
    process.exitCode = (await verify(url, manifest)) ? 1 : 0;
    return;
  }
  await checkFile(opts.file, manifest);
  const admin = await connectServer(url);
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [target])).rowCount > 0;
    if (exists && !opts.force) fail(`database ${target} exists: restore into a new one (--database <name>) or replace it with --force`);
    if (exists) await refuseIfInUse(admin, target);
    // restored under a name that says so, renamed only once verified: an interrupted restore is never
    // mistaken for a finished one
    const side = `${target.slice(0, 40)}_restoring_${stamp()}`;
    const sideUrl = withDatabase(url, side);
    await restoreInto(admin, opts, manifest, side, sideUrl);
    if (manifest) {
      log('step 3/4: recomputing the counts and checksums of every layer and table');
      const problems = await verify(sideUrl, manifest);
      if (problems) fail(`${problems} difference(s) with the manifest: the restore in ${side} is kept for inspection${exists ? `; ${target} is unchanged` : ''}`);
    } else log('step 3/4: skipped (--no-verify): the restore is NOT checked against a manifest');
    if (exists) {
      await refuseIfInUse(admin, target, side);
      await swapIn(admin, target, side);
    } else {
      await admin.query(`ALTER DATABASE "${side}" RENAME TO "${target}"`);
      log(`step 4/4: done: ${safeUrl(url)}`);
    }
  } finally {
    await admin.end();
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
