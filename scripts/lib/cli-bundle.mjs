// The import CLI bundled by esbuild (tsx's own dependency) into .data/build/<name>/ (an entry plus a
// chunk per format reader): starting it skips loading and transforming ~150 TypeScript modules
// through the tsx hooks, ~1.1 s of every `npm run import` (scripts/bench `import`). Rebuilt whenever
// a file under api/src, the tsconfigs, the lockfile or this script changed; packages stay external
// (node_modules), so it behaves exactly like the sources.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { NODE_BUNDLE, ROOT } from './env.mjs';

export { NODE_BUNDLE };

const SOURCES = path.join(ROOT, 'api', 'src');
const OUT_DIR = path.join(ROOT, '.data', 'build');

function listFiles(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** Every input's path, size and modification time: what the bundle was built from. */
function fingerprint() {
  const h = createHash('sha256');
  const inputs = ['package-lock.json', 'tsconfig.base.json', 'api/tsconfig.json', 'scripts/lib/cli-bundle.mjs'].map((f) => path.join(ROOT, f));
  for (const f of [...listFiles(SOURCES, []), ...inputs.filter((f) => existsSync(f))].sort()) {
    const s = statSync(f);
    h.update(`${path.relative(ROOT, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/**
 * Keeps each module's `import.meta.url` its own source file's URL (migrate.ts finds its SQL files
 * next to itself), as if the sources were run directly.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/** Path of the bundled entry (built or rebuilt first when the sources changed). */
export async function cliBundle(entry = 'api/src/cli/import.ts') {
  const name = path.basename(entry, '.ts');
  mkdirSync(OUT_DIR, { recursive: true });
  const dir = path.join(OUT_DIR, name);
  const out = path.join(dir, `${name}.mjs`);
  const stamp = `${out}.fingerprint`;
  const current = fingerprint();
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return out;
  const { build } = await import('esbuild');
  // built beside and moved into place, so that two imports started together never run a half-written bundle
  const tmp = `${dir}.build-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  // splitting: what a module imports only dynamically (a format's reader and its packages) stays out of the start
  // the staging worker of a large load (api/src/ingest/load/parallel-stage.ts) is an entry of its own,
  // found through the path defined here (the bundle is built beside `dir` and moved there)
  await build({
    entryPoints: { [name]: path.join(ROOT, entry), 'stage-worker': path.join(SOURCES, 'ingest', 'load', 'stage-worker.ts') }, outdir: tmp,
    define: { __SAMENHANG_STAGE_WORKER__: JSON.stringify(path.join(dir, 'stage-worker.mjs')) }, splitting: true, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    outExtension: { '.js': '.mjs' }, packages: 'external', tsconfig: path.join(ROOT, 'api', 'tsconfig.json'), plugins: [keepModuleUrls],
    logLevel: 'warning',
  });
  writeFileSync(path.join(tmp, `${name}.mjs.fingerprint`), current);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(out)) throw err; // else another process put the same build in place first
  }
  return out;
}
