/**
 * The product side of the analysis benchmark: the real API server as `npm start` runs it (its own
 * process, acting as samenhang_app under row security), signed-in callers with write tokens made
 * through the account functions the admin CLI uses, and the timed HTTP requests: the full analysis
 * (mark stale + GET /api/analysis/findings) and the incremental PATCH of one work.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import { createToken, ensureOrganisation, upsertUser } from '../../api/src/auth/accounts.ts';
import { type Pool, createPool } from '../../api/src/db/pool.ts';
import { asSystem, tenantPool } from '../../api/src/db/tenant-context.ts';
import { ANALYSED_STATUSES } from '../../api/src/model/analysis-rules.ts';
import { ORGANISATIONS } from './generate-city.ts';
import { mulberry32 } from './generate-network.ts';
import { median } from './measure.ts';

/** As scripts/lib/env.mjs NODE_TS: how `npm start` runs the server. */
const NODE_TS = ['--max-semi-space-size=32', '--import', 'tsx'];
const BENCH_PASSWORD = 'bench-password-123';

export interface ApiServer {
  baseUrl: string;
  /** the server process (its own process group) */
  pid: number;
  command: string;
  output(): string;
  stop(): Promise<void>;
}

/** A free loopback port (the benches' servers and anchors start on one). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

/** `node --max-semi-space-size=32 --import tsx api/src/main.ts` against the bench database, on a free loopback port. */
export async function startApi(root: string, databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<ApiServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SAMENHANG_DEMO: '0', ...extraEnv };
  delete env.NODE_OPTIONS;
  const args = [...NODE_TS, 'api/src/main.ts'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await request('GET', `${baseUrl}/api/health`, {}).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the API server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    pid: child.pid ?? -1,
    command: `DATABASE_URL=<bench db> PORT=<free port> HOST=127.0.0.1 SAMENHANG_DEMO=0${Object.entries(extraEnv).map(([k, v]) => ` ${k}=${v}`).join('')} node ${args.join(' ')}`,
    output: () => log,
    stop: async () => {
      if (!child.pid || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface HttpResult { status: number; etag: string | null; body: string; ms: number }

/** One HTTP request with node:http (no client-side timeout: a full analysis may take minutes), timed until the whole body is in. */
export function request(method: string, url: string, headers: Record<string, string>, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, etag: typeof res.headers.etag === 'string' ? res.headers.etag : null,
        body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The owner's pool in the system context (trusted bench code, as the admin CLI's writes are). */
export function ownerPool(databaseUrl: string): Pool {
  return tenantPool(createPool(databaseUrl, 2));
}

/** An administrator with a write token per synthetic organisation, keyed by organisation id. */
export async function benchTokens(pool: Pool): Promise<Map<number, string>> {
  return asSystem(async () => {
    const tokens = new Map<number, string>();
    for (const o of ORGANISATIONS) {
      const id = await ensureOrganisation(pool, o);
      const email = `bench-admin@${o.slug}.test`;
      await upsertUser(pool, { org: o.slug, role: 'admin', email, password: BENCH_PASSWORD });
      tokens.set(id, (await createToken(pool, email, 'write', 'bench')).token);
    }
    return tokens;
  });
}

export const MARK_STALE = "DELETE FROM app_setting WHERE key = 'analysis_computed_at'";

export interface FullRun { ms: number; serverMs: number | null; status: number; findings: number | null; bytes: number; error: string | null }

/**
 * (a) the full analysis through the API: mark the findings stale, then GET them (the server
 * recomputes all, stores, then reads); with `markStale` false only the GET (read + HTTP).
 */
export async function findingsThroughApi(api: ApiServer, pool: Pool, token: string, markStale: boolean): Promise<FullRun> {
  const started = performance.now();
  if (markStale) await asSystem(() => pool.query(MARK_STALE));
  const r = await request('GET', `${api.baseUrl}/api/analysis/findings`, { authorization: `Bearer ${token}` });
  const ms = performance.now() - started;
  if (r.status !== 200) return { ms, serverMs: null, status: r.status, findings: null, bytes: r.body.length, error: r.body.slice(0, 500) };
  const parsed = JSON.parse(r.body) as { findings: unknown[]; ms: number };
  return { ms, serverMs: parsed.ms, status: r.status, findings: parsed.findings.length, bytes: Buffer.byteLength(r.body), error: null };
}

export async function isComputed(pool: Pool): Promise<boolean> {
  const r = await asSystem(() => pool.query("SELECT 1 FROM app_setting WHERE key = 'analysis_computed_at'"));
  return (r.rowCount ?? 0) > 0;
}

interface EditableWork { id: number; owner: number; earliest: string | null; start: string; end: string; latest: string | null }

const addDays = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const dayDiff = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** A shift of the preferred window of 1–60 days either way that keeps the windows nested (0 when there is no room). */
function shiftFor(w: EditableWork, rnd: () => number): number {
  const before = w.earliest === null ? 60 : Math.min(60, dayDiff(w.earliest, w.start));
  const after = w.latest === null ? 60 : Math.min(60, dayDiff(w.end, w.latest));
  const options = [...Array.from({ length: before }, (_, i) => -(i + 1)), ...Array.from({ length: after }, (_, i) => i + 1)];
  return options.length === 0 ? 0 : options[Math.floor(rnd() * options.length)] ?? 0;
}

export interface PatchRun { workId: number; shiftDays: number; ms: number; status: number }
export interface PatchSummary { runs: PatchRun[]; p50: number; p95: number; max: number; stillComputed: boolean }

/** p-quantile by nearest rank (p95 of 50 = the 48th smallest). */
export function quantile(values: readonly number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] as number;
}

/**
 * (d) `count` PATCHes of random analysed works through the API, each by an administrator of the
 * work's owner with the ETag it just read (GET, untimed) as If-Match; only the PATCH is timed
 * (it answers after the work's findings have been recomputed: store.ts refreshWorks).
 */
export async function incrementalPatches(api: ApiServer, pool: Pool, tokens: Map<number, string>, seed: number, count: number): Promise<PatchSummary> {
  const r = await asSystem(() => pool.query<EditableWork>(
    `SELECT id::int, owner_id AS owner, earliest_start::text AS earliest, preferred_start::text AS start, preferred_end::text AS end, latest_end::text AS latest
     FROM work WHERE status = ANY($1::text[]) AND preferred_start IS NOT NULL AND preferred_end IS NOT NULL ORDER BY id`, [ANALYSED_STATUSES]));
  const rnd = mulberry32(seed + 6);
  const runs: PatchRun[] = [];
  for (let guard = 0; runs.length < count && guard < count * 20; guard++) {
    const w = r.rows[Math.floor(rnd() * r.rows.length)];
    const token = w ? tokens.get(w.owner) : undefined;
    if (!w || !token) continue;
    const shift = shiftFor(w, rnd);
    if (shift === 0) continue;
    const auth = { authorization: `Bearer ${token}` };
    const current = await request('GET', `${api.baseUrl}/api/works/${w.id}`, auth);
    if (current.status !== 200 || !current.etag) throw new Error(`GET /api/works/${w.id}: ${current.status} ${current.body.slice(0, 300)}`);
    const change = { preferredStart: addDays(w.start, shift), preferredEnd: addDays(w.end, shift) };
    const patched = await request('PATCH', `${api.baseUrl}/api/works/${w.id}`, { ...auth, 'if-match': current.etag }, JSON.stringify(change));
    if (patched.status !== 200) throw new Error(`PATCH /api/works/${w.id}: ${patched.status} ${patched.body.slice(0, 300)}`);
    w.start = change.preferredStart;
    w.end = change.preferredEnd;
    runs.push({ workId: w.id, shiftDays: shift, ms: patched.ms, status: patched.status });
  }
  const ms = runs.map((x) => x.ms);
  // a refresh that failed after an edit marks the findings stale (store.ts afterEdit): then the PATCHes did not do the work
  return { runs, p50: median(ms), p95: quantile(ms, 0.95), max: Math.max(...ms), stillComputed: await isComputed(pool) };
}
