/**
 * `npm run chaos [-- <part> ...] [--smoke]`: fault tests of issue 10, not part of the quick `npm test`
 * (which runs each part's smoke version through tests/integration/chaos-*.test.ts). Parts:
 * import-crash, db-restart, concurrent-edits, hostile. Each result is printed and written to
 * .data/chaos/<part>-<time>.json; the exit code is non-zero when any check failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChaosPart, ChaosResult } from './types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PARTS: Record<string, () => Promise<ChaosPart>> = {
  'import-crash': async () => (await import('./import-crash.ts')).importCrash,
  'db-restart': async () => (await import('./db-restart.ts')).dbRestart,
  'concurrent-edits': async () => (await import('./concurrent-edits.ts')).concurrentEdits,
  hostile: async () => (await import('./hostile.ts')).hostileFiles,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const names = args.filter((a) => !a.startsWith('--'));
  for (const n of names) if (!(n in PARTS)) throw new Error(`unknown chaos part "${n}"; parts: ${Object.keys(PARTS).join(', ')}`);
  const { resolveDatabaseUrl } = await import('../lib/database.mjs');
  const dbUrl = new URL(process.env.DATABASE_URL ?? resolveDatabaseUrl('samenhang'));
  dbUrl.pathname = '/postgres';
  const out = path.join(ROOT, '.data', 'chaos');
  mkdirSync(out, { recursive: true });
  const results: ChaosResult[] = [];
  for (const name of names.length ? names : Object.keys(PARTS)) {
    const log = (m: string) => console.error(`[chaos ${name}] ${m}`);
    const started = Date.now();
    const part = await (PARTS[name] as () => Promise<ChaosPart>)();
    const r = await part({ smoke, log, serverUrl: dbUrl.toString() });
    r.figures.seconds = Math.round((Date.now() - started) / 100) / 10;
    results.push(r);
    writeFileSync(path.join(out, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(r, null, 2)}\n`);
    console.log(`${r.ok ? 'HELD' : 'FAILED'} ${name}: ${r.summary}`);
    for (const f of r.failures) console.log(`  - ${f}`);
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
