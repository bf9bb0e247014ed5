import { createServer, type Server } from 'node:net';
import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../http/errors.ts';
import { DATABASE_RETRY_AFTER_S, describeUnavailable, isDatabaseUnavailable, retryWhileUnavailable } from './unavailable.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

/** A port nobody listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('isDatabaseUnavailable', () => {
  it('knows the SQLSTATEs of a database that is going or gone', () => {
    for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001', '08P01']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
  });

  it('knows socket errors and the messages of pg and pg-pool', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    for (const m of ['Connection terminated unexpectedly', 'Connection terminated', 'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect', 'Client has encountered a connection error and is not queryable']) {
      expect(isDatabaseUnavailable(new Error(m)), m).toBe(true);
    }
  });

  it('looks through causes and AggregateErrors', () => {
    expect(isDatabaseUnavailable(new Error('load failed', { cause: withCode('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), new Error('bug')], ''))).toBe(false);
    expect(describeUnavailable(new AggregateError([withCode('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')], ''))).toBe('ECONNREFUSED connect ECONNREFUSED ::1:5432');
  });

  it('leaves query faults and bugs alone: they stay 4xx/500', () => {
    for (const code of ['23505', '42P01', '22P02', '40001', '57014', 'ENOENT']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    for (const e of [new Error('Connection terminated by a bug in my code'), new TypeError('x is undefined'), null, 'ECONNREFUSED', 57]) {
      expect(isDatabaseUnavailable(e)).toBe(false);
    }
  });

  it('recognises what pg really throws when nobody listens, and when the pool waits too long', async () => {
    const port = await closedPort();
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` });
    const refused = await client.connect().then(() => null, (e: unknown) => e);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    // a server that accepts the connection but never answers: the pool gives up after connectionTimeoutMillis
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${(silent.address() as { port: number }).port}/x`, connectionTimeoutMillis: 300 });
    const timedOut = await pool.query('SELECT 1').then(() => null, (e: unknown) => e);
    expect(timedOut).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(timedOut)).toBe(true);
    await pool.end();
    silent.close();
  });
});

describe('retryWhileUnavailable', () => {
  it('tries again while the database is away, and not for other errors', async () => {
    let calls = 0;
    const back = await retryWhileUnavailable(async () => {
      calls++;
      if (calls < 3) throw withCode('57P03', 'the database system is starting up');
      return 'written';
    }, 5, 1, 2);
    expect([back, calls]).toEqual(['written', 3]);
    let bugCalls = 0;
    await expect(retryWhileUnavailable(async () => {
      bugCalls++;
      throw withCode('23505', 'duplicate key');
    }, 5, 1, 2)).rejects.toThrow('duplicate key');
    expect(bugCalls).toBe(1);
    let downCalls = 0;
    await expect(retryWhileUnavailable(async () => {
      downCalls++;
      throw withCode('ECONNREFUSED', 'connect ECONNREFUSED');
    }, 4, 1, 2)).rejects.toThrow('ECONNREFUSED');
    expect(downCalls).toBe(4);
  });
});

describe('errorMiddleware and an unreachable database', () => {
  const logged: string[] = [];
  let base = '';
  let server: ReturnType<ReturnType<typeof express>['listen']>;

  beforeAll(async () => {
    const app = express();
    app.get('/gone', () => {
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    });
    app.get('/bug', () => {
      throw new TypeError('cannot read properties of undefined');
    });
    app.use(errorMiddleware((m) => logged.push(m)));
    await new Promise<void>((r) => {
      server = app.listen(0, '127.0.0.1', () => r());
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 503 with Retry-After and a clean JSON body, and logs one line', async () => {
    const res = await fetch(`${base}/gone`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(DATABASE_RETRY_AFTER_S));
    const text = await res.text();
    const body = JSON.parse(text) as { error: { status: number; code: string; message: string; id: string } };
    expect(body.error).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(body.error.id).toMatch(/\S/);
    expect(text).not.toMatch(/administrator|57P01|\bat \S+ \(|\.ts:\d/);
    const line = logged.find((l) => l.includes('/gone'));
    expect(line).toContain('57P01 terminating connection');
    expect(line).not.toContain('\n');
  });

  it('still answers other unexpected errors with a 500 (logged with their stack)', async () => {
    const res = await fetch(`${base}/bug`);
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(logged.find((l) => l.includes('/bug'))).toContain('\n');
  });
});
