/**
 * Observability (issue 10 §7) of the real app against PostGIS: request ids go round and name the
 * error, one JSON log line per request with the fields an operator filters on and no secrets,
 * /api/metrics in Prometheus text format with route patterns (never raw paths) and its access
 * rule, and /api/health saying ok, degraded (with reasons) or down (503 + Retry-After, no stack).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppPool } from '../../api/src/db/tenant-context.ts';
import type { Pool } from '../../api/src/db/pool.ts';
import { ReplicaReads } from '../../api/src/db/replica.ts';
import { DATABASE_RETRY_AFTER_S } from '../../api/src/db/unavailable.ts';
import { createLogger } from '../../api/src/http/observability/log.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/auth.ts';

const METRICS_TOKEN = 'metrics-token-for-the-observability-test';
/** nothing listens on port 1: connections are refused at once */
const NOWHERE = 'postgres://postgres@127.0.0.1:1/nowhere';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let db: TestDatabase;
let server: TestServer;
let admin = '';
let analyst = '';
let analystId = 0;
const lines: string[] = [];
const extraServers: TestServer[] = [];
const extraPools: Pool[] = [];

beforeAll(async () => {
  db = await createTestDatabase('it_observability');
  const org = { slug: 'obs', name: 'Observatie', kind: 'gemeente' };
  admin = await userToken(db.pool, org, 'admin', 'admin@obs.test');
  analyst = await userToken(db.pool, org, 'analyst', 'analist@obs.test');
  analystId = (await db.pool.query<{ id: number }>("SELECT id FROM app_user WHERE email = 'analist@obs.test'")).rows[0]?.id ?? 0;
  const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
  server = await startTestServer(db.pool, null, () => undefined, { observability: { logger, metricsToken: METRICS_TOKEN } });
});

afterAll(async () => {
  for (const s of extraServers) await s.close();
  await server?.close();
  for (const p of extraPools) await p.end();
  await db?.drop();
});

const get = (s: TestServer, p: string, headers: Record<string, string> = {}) => fetch(s.baseUrl + p, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The log line of one request (written when the answer is finished, maybe just after the client has it). */
async function lineOf(reqId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const found = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === reqId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no log line for request ${reqId}`);
}

/** Prometheus text → sample lines; every line must be a comment or a sample. */
async function scrape(s: TestServer = server, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await get(s, '/api/metrics', headers);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const all = text.split('\n').filter((l) => l !== '');
  // values as Prometheus reads them (Go's ParseFloat: prom-client writes an empty mean as `Nan`)
  for (const l of all) expect(l).toMatch(/^(# (HELP|TYPE) [a-zA-Z_:][\w:]* .*|[a-zA-Z_:][\w:]*(\{([a-zA-Z_]\w*="(\\.|[^"\\])*",?)*\})? (-?[\d.]+(e[+-]?\d+)?|NaN|Nan|\+Inf|-Inf))$/);
  return all;
}

/** The value of the one sample of `name` whose labels include all of `labels`. */
function sample(samples: string[], name: string, labels: Record<string, string> = {}): number | null {
  const hit = samples.filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .find((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return hit === undefined ? null : Number(hit.slice(hit.lastIndexOf(' ') + 1));
}

describe('request ids', () => {
  it("answers with the caller's id, or a new UUID when it has none or a bad one", async () => {
    expect((await get(server, '/api/health', { 'x-request-id': 'lb-42.abc' })).headers.get('x-request-id')).toBe('lb-42.abc');
    expect((await get(server, '/api/health')).headers.get('x-request-id')).toMatch(UUID);
    expect((await get(server, '/api/health', { 'x-request-id': 'x'.repeat(101) })).headers.get('x-request-id')).toMatch(UUID);
    expect((await get(server, '/api/health', { 'x-request-id': 'a b' })).headers.get('x-request-id')).toMatch(UUID);
  });

  it('is the id of the error an answer carries', async () => {
    const own = await get(server, '/api/no-such-route', { 'x-request-id': 'support-case-7' });
    expect(own.status).toBe(404);
    expect(((await own.json()) as { error: { id: string } }).error.id).toBe('support-case-7');
    const made = await get(server, '/api/works/987654', bearer(analyst));
    expect(made.status).toBe(404);
    expect(((await made.json()) as { error: { id: string } }).error.id).toBe(made.headers.get('x-request-id'));
  });
});

describe('request log', () => {
  it('writes one JSON line per request with route, status, time, bytes, process and user', async () => {
    const res = await get(server, '/api/works/987654?limit=5&access_token=s3cret-value', { ...bearer(analyst), 'x-request-id': 'log-line-1' });
    const body = await res.text();
    const line = await lineOf('log-line-1');
    expect(line).toMatchObject({
      level: 30, name: 'samenhang', method: 'GET', route: '/api/works/:id', path: '/api/works/987654',
      query: 'limit=5&access_token=[redacted]', status: 404, userId: analystId, instance: res.headers.get('x-samenhang-process'),
    });
    expect(line.ms).toEqual(expect.any(Number));
    expect(line.bytes).toBeGreaterThan(body.length); // headers and body
    expect(line.msg).toBe('GET /api/works/987654 404');
    expect(lines.filter((l) => l.includes('"reqId":"log-line-1"'))).toHaveLength(1);
    // neither the query's secret nor the caller's token is written anywhere
    expect(lines.join('\n')).not.toContain('s3cret-value');
    expect(lines.join('\n')).not.toContain(analyst);
  });

  it('has no user for an anonymous caller', async () => {
    await get(server, '/api/health', { 'x-request-id': 'log-line-2' });
    const line = await lineOf('log-line-2');
    expect(line).toMatchObject({ route: '/api/health', status: 200 });
    expect(line).not.toHaveProperty('userId');
  });
});

describe('/api/metrics', () => {
  it('counts requests by route pattern, never by raw path', async () => {
    const labels = { method: 'GET', route: '/api/works/:id', status: '404' };
    const before = sample(await scrape(), 'http_requests_total', labels) ?? 0;
    for (const id of [111111, 222222, 333333]) expect((await get(server, `/api/works/${id}`, bearer(analyst))).status).toBe(404);
    const after = await scrape();
    expect(sample(after, 'http_requests_total', labels)).toBe(before + 3);
    expect(after.join('\n')).not.toMatch(/route="\/api\/works\/\d/);
    expect(sample(after, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/works/:id' })).toBeGreaterThanOrEqual(before + 3);
    expect(after).toContain('# TYPE http_request_duration_seconds histogram');
    expect(sample(after, 'http_request_duration_seconds_bucket', { route: '/api/works/:id', le: '+Inf' })).toBeGreaterThanOrEqual(3);
  });

  it('reports the pool, the import queue, the tile cache and the process', async () => {
    const s = await scrape();
    expect(sample(s, 'samenhang_db_pool_max_connections', { pool: 'primary' })).toBe(5); // the test server's pool
    expect(sample(s, 'samenhang_db_pool_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(1);
    expect(sample(s, 'samenhang_db_pool_waiting_clients', { pool: 'primary' })).toBe(0);
    expect(sample(s, 'samenhang_database_up')).toBe(1);
    const jobs = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM import_job WHERE state = 'done'");
    expect(sample(s, 'samenhang_import_jobs', { state: 'done' })).toBe(jobs.rows[0]?.n);
    expect(sample(s, 'samenhang_import_jobs_orphaned')).toBe(0);
    expect(sample(s, 'samenhang_tile_cache_max_bytes')).toBe(64 * 1024 * 1024);
    expect(sample(s, 'samenhang_tile_cache_hits_total')).not.toBeNull();
    expect(sample(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('is for this machine, the metrics token or an administrator', async () => {
    const outside = { 'x-forwarded-for': '203.0.113.7' }; // as a balancer on this machine forwards the world
    expect((await get(server, '/api/metrics', outside)).status).toBe(401);
    expect((await get(server, '/api/metrics', { ...outside, ...bearer(analyst) })).status).toBe(403);
    expect((await get(server, '/api/metrics', { ...outside, ...bearer('not-the-metrics-token-at-all-123') })).status).toBe(401);
    await scrape(server, { ...outside, ...bearer(admin) });
    await scrape(server, { ...outside, ...bearer(METRICS_TOKEN) });
  });
});

describe('/api/health', () => {
  it('is ok with the versions and a result per check', async () => {
    const res = await get(server, '/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { checks: Record<string, { status: string; latencyMs?: number }> };
    expect(body).toMatchObject({ status: 'ok', reasons: [], database: { version: expect.any(String) }, postgis: { version: expect.stringMatching(/^3\./) } });
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'disk', 'imports', 'pool']);
    for (const c of Object.values(body.checks)) expect(c.status).toBe('ok');
    expect(body.checks.database?.latencyMs).toBeGreaterThan(0);
  });

  it('is degraded, with the reasons, when the listener is lost, the replica away, imports orphaned or the disk full', async () => {
    const degradedLines: string[] = [];
    const replicaPool = createAppPool(NOWHERE, 1, { connectionTimeoutMillis: 1000 });
    replicaPool.on('error', () => undefined);
    const s = await startTestServer(db.pool, null, () => undefined, {
      replica: new ReplicaReads(replicaPool),
      observability: {
        listener: { live: false, since: Date.now() - 60_000 }, diskLowBytes: Number.MAX_SAFE_INTEGER, jobLeaseMs: 1000,
        logger: createLogger({ destination: { write: (l: string) => void degradedLines.push(l) } }),
      },
    });
    extraServers.push(s);
    extraPools.push(replicaPool);
    // a job whose process stopped beating 10 s ago (two leases of this server's health: 2 s; the
    // workers of the test servers sweep only after their own 30 s lease)
    const orphan = await db.pool.query<{ id: string }>(
      `INSERT INTO import_job (id, user_id, context, file_name, file_path, state, job, work, claimed_by, heartbeat)
       VALUES (gen_random_uuid(), $1, '{}', 'x.geojson', '/nonexistent/x.geojson', 'loading', '{}', 'load', 'gone/1/dead', now() - interval '10 s')
       RETURNING id`, [analystId]);
    try {
      const res = await get(s, '/api/health');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; reasons: string[]; checks: Record<string, { status: string; connected?: boolean; orphaned?: number }> };
      expect(body.status).toBe('degraded');
      expect(body.checks.database?.status).toBe('ok');
      expect(body.checks.listener).toMatchObject({ status: 'degraded', connected: false });
      expect(body.checks.replica?.status).toBe('degraded');
      expect(body.checks.imports).toMatchObject({ status: 'degraded', orphaned: 1 });
      expect(body.checks.disk?.status).toBe('degraded');
      expect(body.reasons).toHaveLength(4);
      expect(body.reasons.join(' ')).toMatch(/listener.*replica.*import.*volume/s);
      // the change of state is logged once, as a warning
      expect(degradedLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.health === 'degraded')).toEqual([
        expect.objectContaining({ level: 40, was: 'ok', reasons: body.reasons }),
      ]);
      const m = await scrape(s);
      expect(sample(m, 'samenhang_import_jobs_orphaned')).toBe(1);
      expect(sample(m, 'samenhang_change_listener_connected')).toBe(0);
      expect(sample(m, 'samenhang_db_pool_max_connections', { pool: 'replica' })).toBe(1);
    } finally {
      await db.pool.query('DELETE FROM import_job WHERE id = $1', [orphan.rows[0]?.id]);
    }
  });

  it('is degraded, not down, while every connection of the pool is taken', async () => {
    const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const small = createAppPool(url, 1);
    extraPools.push(small);
    const s = await startTestServer(db.pool, null, () => undefined, { pool: small, observability: { healthTimeoutMs: 500 } });
    extraServers.push(s);
    const held = await small.connect();
    try {
      const res = await get(s, '/api/health');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; checks: Record<string, { status: string; waiting?: number }> };
      expect(body.status).toBe('degraded');
      expect(body.checks.database?.status).toBe('degraded');
      expect(body.checks.pool?.waiting).toBeGreaterThanOrEqual(1);
    } finally {
      held.release();
    }
    expect(((await (await get(s, '/api/health')).json()) as { status: string }).status).toBe('ok');
  });

  it('is down with 503 and Retry-After when the database does not answer, and says no more than that', async () => {
    const nowhere = createAppPool(NOWHERE, 2);
    extraPools.push(nowhere);
    const s = await startTestServer(db.pool, null, () => undefined, { pool: nowhere });
    extraServers.push(s);
    const res = await get(s, '/api/health', { 'x-request-id': 'down-1' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(DATABASE_RETRY_AFTER_S));
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; checks: Record<string, { status: string }>; error: { code: string; id: string } };
    expect(body).toMatchObject({ status: 'down', database: { version: null }, error: { code: 'database_unavailable', id: 'down-1' } });
    expect(body.checks.database?.status).toBe('down');
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:1\b|\n\s+at /);
    // the metrics still answer, and say the database is away
    expect(sample(await scrape(s), 'samenhang_database_up')).toBe(0);
  });
});
