/**
 * Issue 10 §3, concurrent edits: the real server process on a fresh database (on the server the
 * options name), one work, and per round 50 writers that PATCH it at the same moment, each with a
 * random If-Match version between 1 and the current one (most of them stale) and a value of its
 * own. A writer that gets a 412 tries again with the version the 412 named, up to 5 attempts in
 * all, as the web client's merge dialog does. Checked per round:
 *   - the successes (2xx) equal the work's version increments
 *   - every failure is a 412 naming the current version (ETag, body and message agree, newer than sent)
 *   - no lost update: the history holds every success at the version it was acknowledged with,
 *     versions without a gap, each change made on top of the one before (its old value is the
 *     previous version's new one), and the work's value is the last success's
 * Full: 20 rounds; smoke: 3.
 */
import { randomBytes } from 'node:crypto';
import { createToken, ensureOrganisation, upsertUser } from '../../api/src/auth/accounts.ts';
import { migrate } from '../../api/src/db/migrate.ts';
import { createPool } from '../../api/src/db/pool.ts';
import { startServerProcess } from '../../tests/helpers/app-process.ts';
import { type Caller, call, tokenCaller, versionOf } from './session.ts';
import type { ChaosOptions, ChaosPart, ChaosResult } from './types.ts';
import { databaseUrl, onServer } from './import-crash-lib.ts';

const WRITERS = 50;
const ATTEMPTS = 5;

interface Success { writer: number; attempt: number; version: number; title: string }

interface RoundResult {
  requests: number;
  successes: Success[];
  stale: number;
  firstAttemptSuccesses: number;
  increments: number;
  lost: number;
}

/** A migrated database with one analyst (write token) of a test organisation (SYNTHETIC). */
async function prepare(serverUrl: string, name: string): Promise<{ url: string; token: string }> {
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(serverUrl, name);
  const pool = createPool(url, 2);
  try {
    await migrate(pool);
    await ensureOrganisation(pool, { slug: 'chaos-editors', name: 'Chaos-test editors (SYNTHETIC)', kind: 'overig' });
    await upsertUser(pool, { org: 'chaos-editors', role: 'analyst', email: 'writer@chaos.test', password: randomBytes(12).toString('hex') });
    return { url, token: (await createToken(pool, 'writer@chaos.test', 'write', 'chaos')).token };
  } finally {
    await pool.end();
  }
}

async function readWork(base: string, who: Caller, id: number): Promise<{ version: number; title: string }> {
  const res = await call(base, who, 'GET', `/api/works/${id}`);
  if (res.status !== 200) throw new Error(`GET /api/works/${id} answered ${res.status}`);
  const w = (await res.json()) as { version: number; title: string };
  if (versionOf(res.headers.get('etag')) !== w.version) throw new Error(`work ${id}: ETag ${res.headers.get('etag') ?? '-'} does not name version ${w.version}`);
  return w;
}

/** What is wrong with a 412 to If-Match version `sent` (null: it names the current version properly). */
async function staleProblem(res: Response, sent: number): Promise<{ named: number | null; problem: string | null }> {
  const body = (await res.json()) as { error?: { code?: string; message?: string }; current?: { version?: number } };
  const named = versionOf(res.headers.get('etag'));
  const current = body.current?.version;
  if (body.error?.code !== 'stale') return { named, problem: `412 with code ${body.error?.code ?? 'none'}` };
  if (named === null || current !== named) return { named, problem: `412 whose ETag (${res.headers.get('etag') ?? '-'}) and current.version (${current ?? '-'}) disagree` };
  if (!body.error.message?.includes(`now version ${named}`)) return { named, problem: `412 whose message does not name version ${named}: ${body.error.message ?? ''}` };
  if (named <= sent) return { named, problem: `412 to If-Match v${sent} naming v${named}, which is not newer` };
  return { named, problem: null };
}

async function writer(base: string, who: Caller, id: number, round: number, w: number, v0: number, failures: string[]): Promise<{ requests: number; stale: number; success: Success | null }> {
  let version = 1 + Math.floor(Math.random() * v0); // 1 … current: most are stale
  const title = `round ${round} writer ${w}`;
  let stale = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const res = await call(base, who, 'PATCH', `/api/works/${id}`, { title }, { 'if-match': `"work-${id}-v${version}"` });
    if (res.status === 200) {
      const v = versionOf(res.headers.get('etag'));
      const body = (await res.json()) as { version?: number; title?: string };
      if (v === null || body.version !== v || body.title !== title) failures.push(`round ${round} writer ${w}: 200 with ETag ${res.headers.get('etag') ?? '-'} and body v${body.version ?? '-'} "${body.title ?? ''}"`);
      return { requests: attempt, stale, success: v === null ? null : { writer: w, attempt, version: v, title } };
    }
    if (res.status !== 412) {
      failures.push(`round ${round} writer ${w} attempt ${attempt}: ${res.status} (not 412): ${(await res.text()).slice(0, 200)}`);
      return { requests: attempt, stale, success: null };
    }
    stale++;
    const { named, problem } = await staleProblem(res, version);
    if (problem !== null) failures.push(`round ${round} writer ${w} attempt ${attempt}: ${problem}`);
    if (named === null) return { requests: attempt, stale, success: null };
    version = named;
  }
  return { requests: ATTEMPTS, stale, success: null };
}

interface HistoryEntry { version: number; action: string; changes: { title?: [unknown, unknown] } | null }

/** No lost update: versions v0+1 … final each hold one success, made on top of the version before. */
function checkHistory(round: number, history: HistoryEntry[], successes: Success[], v0: number, title0: string, final: { version: number; title: string }, failures: string[]): number {
  let lost = 0;
  const byVersion = new Map(successes.map((s) => [s.version, s]));
  if (byVersion.size !== successes.length) failures.push(`round ${round}: two successes were acknowledged with the same version`);
  const entries = history.filter((h) => h.version > v0);
  let previous = title0;
  for (let v = v0 + 1; v <= final.version; v++) {
    const found = entries.filter((h) => h.version === v);
    const s = byVersion.get(v);
    const h = found[0];
    if (found.length !== 1 || !h || h.action !== 'updated' || !s) {
      failures.push(`round ${round}: version ${v} has ${found.length} history entries (${h?.action ?? '-'}) and ${s ? 'a' : 'no'} success`);
      continue;
    }
    const [was, now] = h.changes?.title ?? [undefined, undefined];
    if (now !== s.title) {
      lost++;
      failures.push(`round ${round}: v${v} acknowledged "${s.title}" to writer ${s.writer}, history has ${JSON.stringify(now)}`);
    }
    if (was !== previous) failures.push(`round ${round}: v${v} was made on ${JSON.stringify(was)}, not on v${v - 1}'s ${JSON.stringify(previous)}: an update was lost`);
    previous = typeof now === 'string' ? now : previous;
  }
  for (const s of successes) {
    if (s.version > final.version) {
      lost++;
      failures.push(`round ${round}: writer ${s.writer}'s v${s.version} is beyond the stored v${final.version}`);
    }
  }
  if (final.title !== previous) failures.push(`round ${round}: the work holds "${final.title}", the last version's change was "${previous}"`);
  return lost;
}

async function runRound(base: string, who: Caller, id: number, round: number, failures: string[]): Promise<RoundResult> {
  const start = await readWork(base, who, id);
  const results = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(base, who, id, round, w, start.version, failures)));
  const final = await readWork(base, who, id);
  const successes = results.flatMap((r) => (r.success ? [r.success] : []));
  const increments = final.version - start.version;
  if (successes.length !== increments) failures.push(`round ${round}: ${successes.length} successes, but the version went from ${start.version} to ${final.version}`);
  const h = await call(base, who, 'GET', `/api/works/${id}/history`);
  const history = ((await h.json()) as { history: HistoryEntry[] }).history;
  const lost = checkHistory(round, history, successes, start.version, start.title, final, failures);
  return {
    requests: results.reduce((n, r) => n + r.requests, 0), successes, stale: results.reduce((n, r) => n + r.stale, 0),
    firstAttemptSuccesses: successes.filter((s) => s.attempt === 1).length, increments, lost,
  };
}

export const concurrentEdits: ChaosPart = async (opts: ChaosOptions): Promise<ChaosResult> => {
  const rounds = opts.smoke ? 3 : 20;
  const failures: string[] = [];
  const name = `chaos_edits_${randomBytes(4).toString('hex')}`;
  const { url, token } = await prepare(opts.serverUrl, name);
  let app: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    app = await startServerProcess(url, { SAMENHANG_DEMO: '0' });
    const who = tokenCaller('writer@chaos.test', token);
    const created = await call(app.baseUrl, who, 'POST', '/api/works', {
      title: 'concurrent edits (SYNTHETIC)', kind: 'onderhoud', status: 'idee', preferredStart: '2027-03-01', preferredEnd: '2027-04-30',
      geometry: { type: 'LineString', coordinates: [[5.883, 51.1555], [5.8836, 51.1558]] },
    });
    if (created.status !== 201) throw new Error(`could not create the work: ${created.status} ${(await created.text()).slice(0, 300)}`);
    const id = ((await created.json()) as { id: number }).id;
    const all: RoundResult[] = [];
    for (let r = 1; r <= rounds; r++) {
      const started = performance.now();
      const res = await runRound(app.baseUrl, who, id, r, failures);
      all.push(res);
      opts.log(`round ${r}: ${res.requests} PATCHes, ${res.successes.length} successes (${res.firstAttemptSuccesses} at the first attempt), ${res.stale} × 412, +${res.increments} versions, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const sum = (f: (r: RoundResult) => number) => all.reduce((n, r) => n + f(r), 0);
    const successes = sum((r) => r.successes.length);
    const figures: ChaosResult['figures'] = {
      rounds, writersPerRound: WRITERS, patches: sum((r) => r.requests), successes, firstAttemptSuccesses: sum((r) => r.firstAttemptSuccesses),
      stale412: sum((r) => r.stale), otherFailures: failures.filter((f) => f.includes('(not 412)')).length,
      versionIncrements: sum((r) => r.increments), lostUpdates: sum((r) => r.lost),
    };
    const ok = failures.length === 0;
    const summary = `${rounds} rounds of ${WRITERS} concurrent PATCHes of one work, each with a random If-Match version between 1 and the current one `
      + `(a writer refused with 412 tried again with the version named, up to ${ATTEMPTS} attempts): ${figures.patches} PATCHes, ${successes} successes `
      + `(${figures.firstAttemptSuccesses} at the first attempt), ${figures.stale412} × 412, ${figures.versionIncrements} version increments. `
      + `${ok ? 'Held' : 'Did not hold'}: successes = increments, every failure a 412 naming the current version, no lost update `
      + `(${figures.lostUpdates}; every success in the history at its version, each made on top of the one before).`;
    return { part: 'concurrent-edits', ok, summary, figures, failures: failures.slice(0, 50) };
  } finally {
    await app?.stop().catch(() => undefined);
    await onServer(opts.serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  }
};
