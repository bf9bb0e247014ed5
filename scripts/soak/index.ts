/**
 * `npm run soak [-- --minutes 15] [--smoke]`: load of issue 10 §5 (scripts/soak/run.ts) against
 * the real server process on a fresh demo database of the project's cluster (or DATABASE_URL's
 * server). Prints a table per phase and class, writes .data/soak/<time>.json, and exits non-zero
 * when any check failed. `--smoke` is the 30 s version tests/integration/soak-smoke.test.ts runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSoak } from './run.ts';
import { table } from './report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const minutes = smoke ? 0.5 : Number(argValue(args, '--minutes') ?? 15);
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  const { resolveDatabaseUrl } = await import('../lib/database.mjs');
  const serverUrl = new URL(process.env.DATABASE_URL ?? resolveDatabaseUrl('postgres'));
  serverUrl.pathname = '/postgres';
  const log = (m: string) => console.error(`[soak] ${m}`);
  const r = await runSoak({ serverUrl: serverUrl.toString(), smoke, minutes, log });
  const out = path.join(ROOT, '.data', 'soak');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  console.log(table(r.phases));
  const mb = r.rss;
  console.log(`server RSS MB: idle ${mb.idleMb}, soak start ${mb.startMb}, end of soak ${mb.soakEndMb} (max ${mb.soakMaxMb}, second half ${mb.secondHalfMbPerMin} MB/min), spike max ${mb.spikeMaxMb}, end ${mb.endMb}`);
  const mbOf = (m: Record<string, number> | null, k: string) => (m?.[k] === undefined ? '?' : (m[k] / 1024 / 1024).toFixed(1));
  const { soakStart, soakEnd, end } = r.metrics;
  if (soakStart) console.log(`heap used MB (/api/metrics): soak start ${mbOf(soakStart, 'nodejs_heap_size_used_bytes')}, end ${mbOf(soakEnd, 'nodejs_heap_size_used_bytes')}, after recovery ${mbOf(end, 'nodejs_heap_size_used_bytes')}; tile cache MB ${mbOf(soakStart, 'samenhang_tile_cache_bytes')} → ${mbOf(soakEnd, 'samenhang_tile_cache_bytes')} → ${mbOf(end, 'samenhang_tile_cache_bytes')}`);
  for (const p of r.phases) if (p.lateSends > 0 || p.retriedResets > 0) console.log(`${p.phase} ${p.class}: ${p.lateSends} sends more than 50 ms late (worst ${p.maxGeneratorLagMs} ms), ${p.retriedResets} GETs resent after a keep-alive reset`);
  console.log(`PATCHes of a work: ${r.edits}; health after the spike: ${r.healthAfterSpikeS ?? 'none'} s; server alive: ${r.serverAlive}; ${r.seconds} s in all`);
  console.log(`${r.ok ? 'HELD' : 'FAILED'} soak (${path.relative(ROOT, file)})`);
  for (const f of r.failures) console.log(`  - ${f}`);
  for (const w of r.warnings) console.log(`  counted: ${w}`);
  process.exitCode = r.ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
