/**
 * Chaos part `import-crash` (issue 10 Must 1): kill -9 the real server process (api/src/main.ts)
 * while it loads a SYNTHETIC 200,000-line GeoJSON, when PostgreSQL's COPY of the layer has taken
 * in about 10 %, 50 % and 99 % of the features (pg_stat_progress_copy, polled every few ms),
 * 10 times at each point, and (point "100") 5 times after the COPY, spread evenly over what a load
 * does then (validation, GiST and BRIN, the partition swap, COMMIT, the low-zoom overview), timed
 * from the reference import's phases, and (point "101") 5 times the moment the load's COMMIT is
 * visible (its dataset row), before the job could write `done`. After each kill the server is
 * started again and the part checks:
 *   - the layer is absent or complete (exactly all rows), never partial;
 *   - staging is gone: no asset_load_* table, no job left loading or claimed, nothing in the
 *     upload directory, no backend of the dead process still running a load statement;
 *   - the retry with the same Idempotency-Key runs the import anew (its first attempt failed; a
 *     first attempt that ended `done` is answered instead) and lands exactly the reference row
 *     count and checksum, taken from an uninterrupted import in a fresh database; one more request
 *     with the key answers with that job and loads nothing.
 * Each round runs in its own copy of one migrated template database and its own upload directory.
 * `--smoke`: one kill at 50 % of a 30,000-line file.
 * Figures: kills, the actual COPY percentages at the kills, outcomes (absent / complete), retries
 * matching the reference, seconds per round, restart-to-ready and restart-to-clean times.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type AppProcess, startServerProcess } from '../../tests/helpers/app-process.ts';
import type { ChaosPart, ChaosResult } from './types.ts';
import {
  type Job, type Template, Importer, clean, copyDatabase, copyProgress, createTemplate, dropDatabase, layerChecksum, layerState,
  staging, until, writeSyntheticLines,
} from './import-crash-lib.ts';

interface Plan {
  features: number;
  /** kill when COPY has taken in this percentage of the features; 100 = after the COPY (AFTER_COPY), 101 = at the COMMIT */
  points: number[];
  rounds: number;
  /** rounds of the points 100 and 101 */
  afterCopyRounds: number;
}

const AFTER_COPY = 100;
const AT_COMMIT = 101;
const FULL: Plan = { features: 200_000, points: [10, 50, 99, AFTER_COPY, AT_COMMIT], rounds: 10, afterCopyRounds: 5 };
const SMOKE: Plan = { features: 30_000, points: [50], rounds: 1, afterCopyRounds: 0 };
const roundsAt = (plan: Plan, point: number): number => (point >= AFTER_COPY ? plan.afterCopyRounds : plan.rounds);
/** the job lease of the server processes: a dead process's job is failed this long after its last heartbeat */
const LEASE_S = 2;
const FILE_NAME = 'SYNTHETIC-chaos-lines.geojson';
const LAYER = 'chaos-crash (SYNTHETIC)';

interface Context {
  serverUrl: string;
  plan: Plan;
  tpl: Template;
  file: Buffer;
  reference: { rows: number; checksum: string; afterCopyMs: number };
  log: (m: string) => void;
}

export interface Round {
  point: number;
  round: number;
  /** COPY's progress when the kill was sent, % of the features */
  killedAt: number;
  /** the job's own progress figure at the kill (what the analyst saw) */
  jobPercent: number;
  /** point 100: ms after the end of the COPY */
  msAfterCopy: number;
  outcome: string;
  retried: 'anew' | 'replayed' | 'no';
  matches: boolean;
  replayOk: boolean;
  restartToReadyS: number;
  restartToCleanS: number;
  seconds: number;
  failures: string[];
}

const secondsSince = (t: number): number => Math.round((Date.now() - t) / 100) / 10;
const envFor = (uploadDir: string): Record<string, string> => ({ SAMENHANG_UPLOAD_DIR: uploadDir, SAMENHANG_JOB_LEASE_S: String(LEASE_S), SAMENHANG_DEMO: '0' });

/** Upload (with the key), wait for the analysis, post the mapping; answers the job. */
async function startImport(api: Importer, ctx: Context, key: string): Promise<Job> {
  const up = await api.upload(FILE_NAME, ctx.file, key);
  if (up.status !== 202) throw new Error(`a new upload answered ${up.status}${up.replayed ? ' (a replay)' : ''}, not 202`);
  const ready = await api.waitFor(up.job.id, ['awaiting-mapping', 'failed'], 180_000);
  if (ready.state !== 'awaiting-mapping') throw new Error(`the analysis failed: ${ready.error?.message ?? '?'}`);
  await api.load(ready, LAYER, ctx.tpl.orgId);
  return ready;
}

/** The uninterrupted import in a fresh database: the row count and checksum every retry must reach. */
async function reference(ctx: Omit<Context, 'reference'>): Promise<{ rows: number; checksum: string; seconds: number; afterCopyMs: number }> {
  const name = ctx.tpl.name.replace(/_tpl$/, '_ref');
  const url = await copyDatabase(ctx.serverUrl, ctx.tpl.name, name);
  const uploadDir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-crash-ref-'));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let server: AppProcess | null = null;
  try {
    server = await startServerProcess(url, envFor(uploadDir));
    const api = new Importer(ctx.tpl.token, server.baseUrl);
    const started = Date.now();
    const job = await startImport(api, { ...ctx, reference: { rows: 0, checksum: '', afterCopyMs: 0 } }, `reference-${randomBytes(4).toString('hex')}`);
    const done = await api.waitFor(job.id, ['done', 'failed', 'cancelled'], 300_000);
    if (done.state !== 'done') throw new Error(`the reference import ended ${done.state}: ${done.error?.message ?? ''}`);
    // how long a load works after its COPY: every phase but the COPY, the overview included
    const afterCopyMs = Object.entries(done.report?.phasesMs ?? {}).reduce((sum, [phase, ms]) => (phase === 'copy' ? sum : sum + ms), 0);
    return { ...(await layerChecksum(c, LAYER)), seconds: secondsSince(started), afterCopyMs };
  } finally {
    await server?.stop();
    await c.end();
    await dropDatabase(ctx.serverUrl, name);
    await rm(uploadDir, { recursive: true, force: true });
  }
}

/**
 * Poll COPY's progress; SIGKILL the server's process group once it passes `point` % — or, for
 * point 100, `afterCopyMs` after the COPY ended.
 */
async function killAt(c: pg.Client, server: AppProcess, jobId: string, point: number, total: number, afterCopyMs: number): Promise<Pick<Round, 'killedAt' | 'jobPercent' | 'msAfterCopy'>> {
  const end = Date.now() + 180_000;
  let seen = 0;
  for (;;) {
    const n = await copyProgress(c);
    if (n !== null) seen = n;
    // the COPY ended between two looks (it went past the point unseen): kill now, at what was seen last
    if ((n !== null && n >= (point / 100) * total && point < AFTER_COPY) || (n === null && seen > 0)) break;
    if (point === AT_COMMIT && (await committed(c))) break;
    if (Date.now() > end) throw new Error(`the load never reached ${point} % of its COPY within 180 s`);
    await new Promise((r) => setTimeout(r, 3));
  }
  const copied = Date.now();
  if (point === AFTER_COPY) await new Promise((r) => setTimeout(r, afterCopyMs));
  if (point === AT_COMMIT) await until('the load committing', 180_000, async () => ((await committed(c)) ? true : null), 2);
  server.kill();
  const j = await c.query<{ p: string | null }>("SELECT job->'progress'->>'percent' AS p FROM import_job WHERE id = $1", [jobId]);
  return { killedAt: Math.round((seen / total) * 1000) / 10, jobPercent: Number(j.rows[0]?.p ?? -1), msAfterCopy: point >= AFTER_COPY ? Date.now() - copied : -1 };
}

/** The load's transaction committed: its dataset row is visible to others. */
async function committed(c: pg.Client): Promise<boolean> {
  return (await c.query('SELECT 1 FROM dataset WHERE layer_name = $1', [LAYER])).rows.length > 0;
}

/** After the restart: wait until the job ended and the staging is gone (the lease sweep of the new process). */
async function waitClean(c: pg.Client, uploadDir: string, fail: (m: string) => void): Promise<boolean> {
  try {
    await until('staging cleaned up', LEASE_S * 1000 + 30_000, async () => (clean(await staging(c, uploadDir)) ? true : null));
    return true;
  } catch {
    fail(`staging left after the restart: ${JSON.stringify(await staging(c, uploadDir))}`);
    return false;
  }
}

/** The retry with the same key to completion, then one more request: a replay of that job, nothing loaded again. */
async function retry(c: pg.Client, api: Importer, ctx: Context, key: string, firstEnded: string, fail: (m: string) => void): Promise<Pick<Round, 'retried' | 'matches' | 'replayOk'>> {
  const again = await api.upload(FILE_NAME, ctx.file, key);
  const retried = again.status === 202 && !again.replayed ? 'anew' : again.status === 200 && again.replayed ? 'replayed' : 'no';
  // a failed first attempt must not poison the key; a finished one must not be loaded twice
  const want = firstEnded === 'done' ? 'replayed' : 'anew';
  if (retried !== want) fail(`the retry with the same key answered ${again.status} (${retried}); the first attempt ended ${firstEnded}, so it should be ${want}`);
  if (retried === 'anew') {
    const ready = await api.waitFor(again.job.id, ['awaiting-mapping', 'failed'], 180_000);
    if (ready.state !== 'awaiting-mapping') throw new Error(`the retry's analysis failed: ${ready.error?.message ?? '?'}`);
    await api.load(ready, LAYER, ctx.tpl.orgId);
  }
  const done = await api.waitFor(again.job.id, ['done', 'failed', 'cancelled'], 300_000);
  if (done.state !== 'done') fail(`the retry ended ${done.state}: ${done.error?.message ?? ''}`);
  const sum = await layerChecksum(c, LAYER);
  const matches = sum.rows === ctx.reference.rows && sum.checksum === ctx.reference.checksum;
  if (!matches) fail(`after the retry the layer has ${sum.rows} rows, checksum ${sum.checksum}; the reference: ${ctx.reference.rows}, ${ctx.reference.checksum}`);
  const stamp = async () => (await c.query<{ t: string }>('SELECT imported_at::text AS t FROM dataset WHERE layer_name = $1', [LAYER])).rows[0]?.t ?? '';
  const before = await stamp();
  const replay = await api.upload(FILE_NAME, ctx.file, key);
  const replayOk = replay.status === 200 && replay.replayed && replay.job.id === done.id && (await stamp()) === before
    && (await layerChecksum(c, LAYER)).checksum === sum.checksum;
  if (!replayOk) fail(`a request with the key after the retry answered ${replay.status} job ${replay.job.id} (the retry's: ${done.id}) or changed the layer`);
  return { retried, matches, replayOk };
}

async function crashRound(ctx: Context, point: number, round: number): Promise<Round> {
  const started = Date.now();
  const failures: string[] = [];
  const fail = (m: string): void => void failures.push(`${point} % round ${round}: ${m}`);
  const name = ctx.tpl.name.replace(/_tpl$/, `_p${point}_r${round}`);
  const url = await copyDatabase(ctx.serverUrl, ctx.tpl.name, name);
  const uploadDir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-crash-'));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let server: AppProcess | null = null;
  const result: Round = { point, round, killedAt: -1, jobPercent: -1, msAfterCopy: -1, outcome: 'not reached', retried: 'no', matches: false, replayOk: false,
    restartToReadyS: -1, restartToCleanS: -1, seconds: -1, failures };
  try {
    server = await startServerProcess(url, envFor(uploadDir));
    const api = new Importer(ctx.tpl.token, server.baseUrl);
    const key = `chaos-import-crash/${point}/${round}/${randomBytes(6).toString('hex')}`;
    const job = await startImport(api, ctx, key);
    // after the COPY: spread evenly over the reference load's time after its COPY
    const delay = Math.round(ctx.reference.afterCopyMs * ((round - 0.5) / Math.max(1, ctx.plan.afterCopyRounds)));
    Object.assign(result, await killAt(c, server, job.id, point, ctx.plan.features, delay));
    const killed = Date.now();
    server = await startServerProcess(url, envFor(uploadDir));
    api.baseUrl = server.baseUrl;
    result.restartToReadyS = secondsSince(killed);
    if (await waitClean(c, uploadDir, fail)) result.restartToCleanS = secondsSince(killed);
    const first = await api.get(job.id);
    if (first.state !== 'failed' && first.state !== 'done') fail(`the killed job is ${first.state} after the restart`);
    const layer = await layerState(c, LAYER, ctx.reference.rows);
    result.outcome = layer.outcome;
    if (layer.outcome === 'partial') fail(`the layer is partial: ${layer.rows} rows in ${layer.datasets} dataset(s)`);
    if (first.state === 'done' && layer.outcome !== 'complete') fail('the job says done but the layer is not complete');
    Object.assign(result, await retry(c, api, ctx, key, first.state, fail));
    const after = await staging(c, uploadDir);
    if (!clean(after)) fail(`staging left after the retry: ${JSON.stringify(after)}`);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
    if (server) ctx.log(`server output (last 1,500 characters):\n${server.output().slice(-1500)}`);
  } finally {
    await server?.stop();
    await c.end();
    await dropDatabase(ctx.serverUrl, name);
    await rm(uploadDir, { recursive: true, force: true });
  }
  result.seconds = secondsSince(started);
  return result;
}

const range = (xs: number[]): string => (xs.length === 0 ? '-' : `${Math.min(...xs)}–${Math.max(...xs)}`);
const mean = (xs: number[]): number => (xs.length === 0 ? -1 : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10);

export function summarise(rounds: Round[], plan: Plan, ref: { rows: number; seconds: number }, smoke: boolean): Omit<ChaosResult, 'part'> {
  const failures = rounds.flatMap((r) => r.failures);
  const figures: Record<string, number | string> = {
    features: plan.features, kills: rounds.filter((r) => r.killedAt >= 0).length, referenceRows: ref.rows, referenceLoadS: ref.seconds,
    absent: rounds.filter((r) => r.outcome === 'absent').length, complete: rounds.filter((r) => r.outcome === 'complete').length,
    partial: rounds.filter((r) => r.outcome === 'partial').length, retriesMatching: rounds.filter((r) => r.matches).length,
    replaysOk: rounds.filter((r) => r.replayOk).length, cleanAfterRestart: rounds.filter((r) => r.restartToCleanS >= 0).length, secondsPerRoundMean: mean(rounds.map((r) => r.seconds)),
    restartToReadySMean: mean(rounds.map((r) => r.restartToReadyS)), restartToReadySMax: Math.max(...rounds.map((r) => r.restartToReadyS)),
    restartToCleanSMean: mean(rounds.map((r) => r.restartToCleanS)), restartToCleanSMax: Math.max(...rounds.map((r) => r.restartToCleanS)),
  };
  for (const p of plan.points) {
    const at = rounds.filter((r) => r.point === p);
    figures[`killedAtPercent_${p}`] = range(at.map((r) => r.killedAt));
    figures[`jobPercentAtKill_${p}`] = range(at.map((r) => r.jobPercent));
    figures[`outcomes_${p}`] = `absent ${at.filter((r) => r.outcome === 'absent').length}, complete ${at.filter((r) => r.outcome === 'complete').length}`;
    if (p >= AFTER_COPY) figures[`msAfterCopy_${p}`] = range(at.map((r) => r.msAfterCopy));
  }
  const inCopy = plan.points.filter((p) => p < AFTER_COPY);
  const when = [
    ...(inCopy.length ? [`${plan.rounds} at each of ${inCopy.map((p) => `${p} %`).join(', ')} of the COPY, actually at ${inCopy.map((p) => `${figures[`killedAtPercent_${p}`]} %`).join(', ')}`] : []),
    ...(plan.points.includes(AFTER_COPY) ? [`${roundsAt(plan, AFTER_COPY)} ${figures[`msAfterCopy_${AFTER_COPY}`]} ms after the COPY, in validation, indexing, the swap, COMMIT or the overview`] : []),
    ...(plan.points.includes(AT_COMMIT) ? [`${roundsAt(plan, AT_COMMIT)} the moment the load's COMMIT was visible`] : []),
  ];
  const summary = `${smoke ? 'Smoke: ' : ''}${figures.kills} kill -9 of the server process during the load of a SYNTHETIC ${plan.features.toLocaleString('en')}-line GeoJSON `
    + `(${when.join('; ')}). `
    + `After the restart the layer was absent ${figures.absent} times, complete ${figures.complete}, partial ${figures.partial}; `
    + `staging (asset_load_* tables, live job claims, upload files, load backends) was gone after ${figures.cleanAfterRestart} of ${rounds.length} restarts `
    + `(restart to ready ${figures.restartToReadySMean} s mean, to clean ${figures.restartToCleanSMean} s mean with a ${LEASE_S} s job lease). `
    + `The retry with the same Idempotency-Key matched the reference row count (${ref.rows.toLocaleString('en')}) and checksum of an uninterrupted import ${figures.retriesMatching}/${rounds.length} times; `
    + `a further request with the key answered with the finished job and loaded nothing ${figures.replaysOk}/${rounds.length} times. `
    + `${figures.secondsPerRoundMean} s per round.${failures.length ? ` ${failures.length} check(s) failed.` : ' Every check held.'}`;
  const planned = plan.points.reduce((n, p) => n + roundsAt(plan, p), 0);
  return { ok: failures.length === 0 && rounds.length === planned, summary, figures, failures };
}

export const importCrash: ChaosPart = async ({ smoke, log, serverUrl }) => {
  // CHAOS_IMPORT_CRASH_ROUNDS=n: fewer (or more) rounds per point, for a quick look at the full-size run
  // CHAOS_IMPORT_CRASH_POINTS=99,101: only these points
  const rounds = Number(process.env.CHAOS_IMPORT_CRASH_ROUNDS ?? NaN);
  const points = (process.env.CHAOS_IMPORT_CRASH_POINTS ?? '').split(',').filter(Boolean).map(Number).filter((p) => FULL.points.includes(p));
  const sized = Number.isInteger(rounds) && rounds > 0 ? { ...FULL, rounds, afterCopyRounds: rounds } : FULL;
  const plan = smoke ? SMOKE : points.length > 0 ? { ...sized, points } : sized;
  const work = await mkdtemp(path.join(os.tmpdir(), 'samenhang-crash-file-'));
  const tpl = await createTemplate(serverUrl);
  try {
    const target = path.join(work, FILE_NAME);
    await writeSyntheticLines(target, plan.features);
    const file = await readFile(target);
    log(`SYNTHETIC file: ${plan.features} lines, ${Math.round(file.length / 1024 / 1024)} MB; template database ${tpl.name}`);
    const ref = await reference({ serverUrl, plan, tpl, file, log });
    log(`reference import: ${ref.rows} rows in ${ref.seconds} s (${ref.afterCopyMs} ms after the COPY), checksum ${ref.checksum}`);
    if (ref.rows !== plan.features) throw new Error(`the reference import loaded ${ref.rows} rows, not ${plan.features}`);
    const ctx: Context = { serverUrl, plan, tpl, file, reference: ref, log };
    const rounds: Round[] = [];
    for (const point of plan.points) {
      for (let round = 1; round <= roundsAt(plan, point); round++) {
        const r = await crashRound(ctx, point, round);
        rounds.push(r);
        log(`${point} % round ${round}: killed at ${r.killedAt} % (job said ${r.jobPercent} %), ${r.outcome}, retry ${r.retried}, `
          + `${r.matches ? 'checksum matches' : 'CHECKSUM DIFFERS'}, ready ${r.restartToReadyS} s, clean ${r.restartToCleanS} s, ${r.seconds} s${r.failures.length ? ` — ${r.failures.join('; ')}` : ''}`);
      }
    }
    return { part: 'import-crash', ...summarise(rounds, plan, ref, smoke) };
  } finally {
    await dropDatabase(serverUrl, tpl.name);
    await rm(work, { recursive: true, force: true });
  }
};
