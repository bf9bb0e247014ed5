// Plain ESM (no TypeScript): these scripts run before `npm install` has provided tsx.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * How Node runs the product's TypeScript (api server, import CLI): tsx as an import hook, and a
 * 32 MB young generation: a bulk import allocates a short-lived object or two per feature, and the
 * default 16 MB semi-space made garbage collection ~20% of a 1,000,000-feature load
 * (scripts/bench, `--profile`); 32 MB took a GeoPackage load from 10.2 s to 8.1 s.
 */
export const NODE_TS = ['--max-semi-space-size=32', '--import', 'tsx'];
/** The same for a bundle of the sources (scripts/lib/cli-bundle.mjs): no TypeScript hooks needed. */
export const NODE_BUNDLE = ['--max-semi-space-size=32'];

export function log(msg) {
  console.error(`[samenhang] ${msg}`);
}

export function fail(msg) {
  console.error(`[samenhang] ERROR: ${msg}`);
  process.exit(1);
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

export function runOrFail(cmd, args, opts = {}) {
  const status = run(cmd, args, opts);
  if (status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${status}`);
}

export function capture(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...opts });
}

/** npm dependencies: install when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const nm = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  const stale = !existsSync(nm) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(nm).mtimeMs);
  if (!stale) return;
  log('installing npm dependencies (npm ci)...');
  runOrFail('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

let aptUpdated = false;
/** Install Debian packages when running as root; otherwise say exactly what is missing. */
export function ensureApt(packages, why) {
  if (!isRoot()) {
    fail(`${why} is missing. Install it with: sudo apt-get install -y ${packages.join(' ')}`);
  }
  log(`installing ${packages.join(' ')} through apt (${why})...`);
  if (!aptUpdated) {
    runOrFail('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  runOrFail('apt-get', ['install', '-y', '-qq', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
