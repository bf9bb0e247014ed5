/**
 * Chaos part 'hostile' (issue 10 §4): every file of the hostile corpus (hostile-corpus*.ts) and
 * fuzz files 1..N (hostile-fuzz.ts) go through the real HTTP import path of the real server
 * process, one after another. Held when: every job ends succeeded or rejected with a reason (never
 * a 500 or a job without a reason), each corpus file ends as its case expects, no file takes
 * longer than the timeout (a hang), the server answers /api/health after every file (no crash),
 * its memory stays under the bound, and the network guard (no-network.mjs, preloaded into the
 * server) recorded no attempt to reach anything but loopback.
 * Full: corpus + 2,000 fuzz files; smoke: corpus + 50 fuzz files.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createPool, type Pool } from '../../api/src/db/pool.ts';
import { migrate } from '../../api/src/db/migrate.ts';
import { type AppProcess, startServerProcess } from '../../tests/helpers/app-process.ts';
import { userToken } from '../../tests/helpers/auth.ts';
import { buildCorpus, type HostileCase } from './hostile-corpus.ts';
import { fuzzFile, loadSeeds } from './hostile-fuzz.ts';
import { type Outcome, runFile } from './hostile-run.ts';
import type { ChaosPart, ChaosResult } from './types.ts';

/** bound on the server process's resident memory (peak, VmHWM) */
const RSS_LIMIT_MB = Number(process.env.SAMENHANG_HOSTILE_RSS_MB ?? 1024);
const TIMEOUT_MS = 60_000;
/** the rate limit allows 60 uploads an hour per user: a fresh analyst every 50 files */
const UPLOADS_PER_USER = 50;
const FUZZ_SEED = Number(process.env.SAMENHANG_FUZZ_SEED ?? 20261129);

interface Db {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

async function createDatabase(serverUrl: string): Promise<Db> {
  const name = `chaos_hostile_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const pool = createPool(u.toString(), 2);
  pool.on('error', () => undefined); // DROP ... WITH (FORCE) at the end ends idle clients
  await migrate(pool);
  return {
    url: u.toString(), pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The guarded server: resident memory of its processes (the pids the guard wrote) and their peak. */
class Server {
  app: AppProcess | null = null;
  peakMb = 0;
  restarts = 0;
  private sampler: NodeJS.Timeout | null = null;

  constructor(private readonly dbUrl: string, private readonly env: Record<string, string>, private readonly guardFile: string) {}

  async start(): Promise<void> {
    this.app = await startServerProcess(this.dbUrl, this.env);
    this.sampler ??= setInterval(() => this.sample(), 200);
  }

  pids(): number[] {
    const f = `${this.guardFile}.pids`;
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  }

  /** peak RSS (VmHWM) of the guarded processes still alive, in MB; the maximum seen is kept */
  sample(): number {
    for (const pid of this.pids()) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        this.peakMb = Math.max(this.peakMb, kb / 1024);
      } catch {
        /* that process has ended */
      }
    }
    return this.peakMb;
  }

  alive(): boolean {
    return this.pids().some((pid) => existsSync(`/proc/${pid}`));
  }

  async healthy(): Promise<boolean> {
    if (!this.app) return false;
    try {
      return (await fetch(`${this.app.baseUrl}/api/health`, { signal: AbortSignal.timeout(10_000) })).ok;
    } catch {
      return false;
    }
  }

  async restart(): Promise<void> {
    this.app?.kill();
    this.restarts++;
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    await this.app?.stop();
  }
}

interface Item {
  label: string;
  name: string;
  bytes: () => Promise<Uint8Array>;
  case?: HostileCase;
}

function corpusProblems(c: HostileCase, o: Outcome): string[] {
  const out: string[] = [];
  const ended = o.cls === 'succeeded' || o.cls === 'rejected';
  if (ended && c.expect !== 'either' && o.cls !== c.expect) out.push(`expected ${c.expect}, was ${o.cls} (${o.reason || 'no reason'})`);
  if (o.cls === 'rejected' && c.reason && !c.reason.test(o.reason)) out.push(`rejected for "${o.reason}", expected a reason matching ${String(c.reason)}`);
  return out;
}

export const hostileFiles: ChaosPart = async ({ smoke, log, serverUrl }) => {
  const fuzzCount = Number(process.env.SAMENHANG_FUZZ_FILES ?? (smoke ? 50 : 2000));
  const work = await mkdtemp(path.join(tmpdir(), 'samenhang-hostile-'));
  const guardFile = path.join(work, 'network-attempts.jsonl');
  const uploadDir = path.join(work, 'uploads');
  const db = await createDatabase(serverUrl);
  const failures: string[] = [];
  const counts: Record<string, number> = { succeeded: 0, rejected: 0, failed: 0, hang: 0, unreachable: 0 };
  let slowest = { name: '', ms: 0 };
  let crashes = 0;
  let files = 0;
  const env = {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(import.meta.dirname, 'no-network.mjs')).href}`.trim(),
    SAMENHANG_NET_GUARD_FILE: guardFile, SAMENHANG_UPLOAD_DIR: uploadDir, SAMENHANG_DEMO: '0', npm_config_update_notifier: 'false',
  };
  const server = new Server(db.url, env, guardFile);
  try {
    const corpusDir = path.join(work, 'corpus');
    await mkdir(corpusDir);
    const corpus = await buildCorpus(corpusDir);
    const seeds = await loadSeeds();
    const items: Item[] = [
      ...corpus.map((c) => ({ label: `corpus ${c.name}`, name: c.name, case: c, bytes: async () => new Uint8Array(await readFile(c.file)) })),
      ...Array.from({ length: fuzzCount }, (_, i) => {
        const f = fuzzFile(seeds, FUZZ_SEED, i + 1);
        return { label: `fuzz ${f.name} (seed ${FUZZ_SEED})`, name: f.name, bytes: async () => fuzzFile(seeds, FUZZ_SEED, i + 1).bytes };
      }),
    ];
    log(`${corpus.length} corpus files, ${fuzzCount} fuzz files (seed ${FUZZ_SEED}); server memory bound ${RSS_LIMIT_MB} MB`);
    await server.start();
    let token = '';
    for (const [i, item] of items.entries()) {
      if (i % UPLOADS_PER_USER === 0) {
        token = await userToken(db.pool, { slug: 'chaos-hostile', name: 'Chaostest vijandige bestanden', kind: 'overig' }, 'analyst', `hostile${i / UPLOADS_PER_USER}@chaos.test`);
      }
      const ctx = { baseUrl: server.app?.baseUrl ?? '', token, timeoutMs: TIMEOUT_MS, layerName: `vijandig-${i + 1}` };
      const o = await runFile(ctx, item.name, await item.bytes(), item.case?.query ?? '', item.case?.extra);
      files++;
      counts[o.cls] = (counts[o.cls] ?? 0) + 1;
      if (o.ms > slowest.ms) slowest = { name: item.name, ms: o.ms };
      const problems = [...o.problems, ...(item.case ? corpusProblems(item.case, o) : [])];
      if (o.cls !== 'succeeded' && o.cls !== 'rejected') problems.push(`${o.cls} at ${o.stage}: ${o.reason}`);
      if (o.reason.includes(uploadDir) || /\n\s+at \S/.test(o.reason)) problems.push(`the reason shows server internals: ${o.reason.slice(0, 200)}`);
      if (!(await server.healthy())) {
        crashes++;
        problems.push(server.alive() ? 'the server stopped answering /api/health (alive but hung)' : 'the server process died');
        await server.restart();
      }
      if (server.sample() > RSS_LIMIT_MB) problems.push(`server memory peaked at ${Math.round(server.peakMb)} MB (bound ${RSS_LIMIT_MB} MB)`);
      for (const p of problems) failures.push(`${item.label}: ${p}`);
      if (problems.length > 0 || (i + 1) % 100 === 0) log(`${i + 1}/${items.length} ${item.name}: ${o.cls} in ${o.ms} ms ${o.reason.slice(0, 160)}${problems.length ? ` — ${problems.join('; ')}` : ''}`);
    }
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  } finally {
    await server.stop().catch(() => undefined);
    await db.drop().catch((err: unknown) => log(`dropping the database failed: ${String(err)}`));
  }
  const attempts = existsSync(guardFile) ? readFileSync(guardFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const a of attempts.slice(0, 20)) failures.push(`network attempt: ${a.slice(0, 300)}`);
  if (server.pids().length === 0) failures.push('the network guard never ran in the server process (NODE_OPTIONS --import not applied)');
  await rm(work, { recursive: true, force: true });
  const figures = {
    files, fuzzFiles: fuzzCount, fuzzSeed: FUZZ_SEED, succeeded: counts.succeeded ?? 0, rejected: counts.rejected ?? 0,
    failed: counts.failed ?? 0, hangs: counts.hang ?? 0, unreachable: counts.unreachable ?? 0, crashes,
    slowestFile: slowest.name, slowestMs: slowest.ms, maxRssMb: Math.round(server.peakMb), rssBoundMb: RSS_LIMIT_MB,
    networkAttempts: attempts.length, failedChecks: failures.length,
  };
  const ok = failures.length === 0 && files > 0;
  const result: ChaosResult = {
    part: 'hostile', ok, failures, figures,
    summary: `${files} hostile files (${files - fuzzCount} corpus, ${fuzzCount} fuzz from seed ${FUZZ_SEED}) through the HTTP import path of the real server: `
      + `${figures.succeeded} succeeded, ${figures.rejected} rejected with a reason, ${figures.failed} failed without one, ${figures.hangs} hung, `
      + `${crashes} server crashes; slowest ${slowest.name} ${(slowest.ms / 1000).toFixed(1)} s; server memory peak ${figures.maxRssMb} MB (bound ${RSS_LIMIT_MB} MB); `
      + `${attempts.length} network attempts. ${ok ? 'Held.' : `${failures.length} checks failed.`}`,
  };
  return result;
};
