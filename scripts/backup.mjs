// `npm run backup [-- --out <file>] [--database <url>]`: a pg_dump (custom format) of the database
// `npm start` uses in this checkout (DATABASE_URL when given), by default to
// .data/backups/<database>-<time>.dump, with a manifest beside it (<file>.manifest.json): per layer and
// per table the row count and a checksum (scripts/lib/checksums.mjs), the dump's size and SHA-256.
// `npm run restore` checks a restore against that manifest.
//
// Consistency: the manifest and the dump read the same snapshot. The script opens a repeatable-read
// transaction, exports its snapshot and hands it to pg_dump (--snapshot), so edits made while the
// backup runs are in neither or in both.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, ensureNodeModules, fail, log } from './lib/env.mjs';
import { resolveDatabaseUrl } from './lib/database.mjs';
import { MANIFEST_FORMAT, computeManifest, manifestPathFor, totalRows } from './lib/checksums.mjs';
import { formatDurability, readDurability } from './lib/durability.mjs';
import { connect, databaseName, pgTool, runTool, safeUrl, serverMajor, stamp } from './lib/pg-tools.mjs';

const USAGE = 'usage: npm run backup [-- --out <file.dump>] [--database <postgres-url>]';

function options() {
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' }, database: { type: 'string' } } });
    return values;
  } catch (err) {
    return fail(`${err.message}\n${USAGE}`);
  }
}

function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (d) => hash.update(d)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}

/** Written, flushed to disk, then renamed into place: a crash leaves the old file or the new one. */
function writeDurably(file, text) {
  const tmp = `${file}.partial`;
  writeFileSync(tmp, text, { mode: 0o600 });
  syncFile(tmp);
  renameSync(tmp, file);
}

function syncFile(file) {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Facts recorded in the manifest, read before the snapshot is taken. */
async function describeSource(client) {
  const role = (await client.query('SELECT current_user AS name, rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user')).rows[0];
  // a role subject to row security would dump through the policies, and pg_dump evaluates them with
  // an empty search_path, where the policies' PostGIS calls (samenhang_areas()) do not resolve
  if (!role.bypass) fail(`backing up needs a superuser or a BYPASSRLS role: the tables FORCE row security (connected as ${role.name})`);
  const owner = (await client.query(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'dataset'::regclass`)).rows[0]?.owner ?? role.name;
  const serverVersion = (await client.query('SHOW server_version')).rows[0].server_version;
  return { owner, serverVersion, durability: await readDurability(client), major: await serverMajor(client) };
}

/** pg_dump to `out` and the manifest's contents, both on the snapshot of `client`'s open transaction. */
async function dumpAndSum(client, url, out, major, t0) {
  const snapshot = (await client.query('SELECT pg_export_snapshot() AS s')).rows[0].s;
  const partial = `${out}.partial`;
  writeFileSync(partial, '', { mode: 0o600 }); // pg_dump keeps the mode of the file it truncates
  const args = ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--file=${partial}`, `--dbname=${url}`];
  log(`step 1/3: pg_dump ${major} (custom format) and the manifest's counts and checksums, on one snapshot`);
  const timed = (promise) => promise.then((value) => ({ value, at: seconds(t0) }));
  const [dump, sums] = await Promise.all([timed(runTool(pgTool('pg_dump', major), args)), timed(computeManifest(client))]);
  if (dump.value.code !== 0) {
    rmSync(partial, { force: true });
    fail(`pg_dump failed (exit ${dump.value.code}): ${dump.value.stderr}`);
  }
  syncFile(partial);
  renameSync(partial, out);
  log(`step 2/3: ${out}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB (pg_dump done at ${dump.at}, checksums at ${sums.at})`);
  return sums.value;
}

async function main() {
  const opts = options();
  ensureNodeModules();
  const url = opts.database ?? resolveDatabaseUrl('samenhang');
  const database = databaseName(url);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const out = opts.out ? path.resolve(cwd, opts.out) : path.join(ROOT, '.data', 'backups', `${database}-${stamp()}.dump`);
  // the dump holds password hashes and TOTP secrets: readable by this user only
  mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
  const t0 = Date.now();
  const client = await connect(url);
  try {
    const { major, ...source } = await describeSource(client);
    log(`backing up ${safeUrl(url)} (PostgreSQL ${source.serverVersion}; ${formatDurability(source.durability)})`);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const contents = await dumpAndSum(client, url, out, major, t0);
    await client.query('COMMIT');
    const file = { name: path.basename(out), bytes: statSync(out).size, sha256: await sha256(out) };
    const manifestFile = manifestPathFor(out);
    const manifest = { format: MANIFEST_FORMAT, createdAt: new Date().toISOString(), database, ...source, file, ...contents };
    writeDurably(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    syncFile(path.dirname(out));
    const features = contents.layers.reduce((n, l) => n + l.rows, 0);
    log(`step 3/3: ${manifestFile}: ${contents.layers.length} layers (${features} features), ${contents.tables.length} tables, ${totalRows(contents)} rows checksummed`);
    const shown = path.relative(cwd, out).startsWith('..') ? out : path.relative(cwd, out);
    log(`backup done in ${seconds(t0)}; restore with: npm run restore -- ${shown}`);
  } finally {
    await client.end();
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
