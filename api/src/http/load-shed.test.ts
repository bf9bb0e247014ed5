import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMiddleware } from './errors.ts';
import { DEFAULT_MAX_INFLIGHT, type LoadShed, loadShed, maxInflightOf } from './load-shed.ts';

/** An app whose /slow answers only when the test lets it; /api/health and /events answer at once. */
function slowApp(max: number): { shed: LoadShed; release: () => void; waiting: () => number; listen: () => Promise<string>; close: () => Promise<void> } {
  const shed = loadShed(max);
  let gates: (() => void)[] = [];
  const app = express();
  app.use(shed);
  app.get('/slow', async (_req, res) => {
    await new Promise<void>((r) => gates.push(r));
    res.json({ ok: true });
  });
  app.get(['/api/health', '/api/walks/1/events'], (_req, res) => void res.json({ ok: true }));
  app.use(errorMiddleware(() => undefined));
  let server: Server | null = null;
  return {
    shed,
    release: () => {
      const g = gates;
      gates = [];
      for (const r of g) r();
    },
    waiting: () => gates.length,
    listen: () => new Promise((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`));
    }),
    close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

let current: ReturnType<typeof slowApp> | null = null;
afterEach(async () => {
  current?.release();
  await current?.close();
  current = null;
});

describe('load shedding', () => {
  it('answers 503 with Retry-After and a JSON error over the cap, and takes requests again once under it', async () => {
    current = slowApp(3);
    const base = await current.listen();
    const held = [1, 2, 3].map(() => fetch(`${base}/slow`));
    await until(() => current?.waiting() === 3);
    expect(current.shed.inflight()).toBe(3);
    const over = await fetch(`${base}/slow`);
    expect(over.status).toBe(503);
    expect(over.headers.get('retry-after')).toBe('1');
    const body = (await over.json()) as { error: { status: number; code: string } };
    expect(body.error).toMatchObject({ status: 503, code: 'overloaded' });
    expect(current.shed.shed()).toBe(1);
    // the exempt ones pass even now
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/walks/1/events`)).status).toBe(200);
    current.release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200]);
    await until(() => current?.shed.inflight() === 0);
    const again = fetch(`${base}/slow`);
    await until(() => current?.waiting() === 1);
    current.release();
    expect((await again).status).toBe(200);
  });

  it('frees the place of a caller that went away before the answer', async () => {
    current = slowApp(1);
    const base = await current.listen();
    const abort = new AbortController();
    const gone = fetch(`${base}/slow`, { signal: abort.signal }).catch(() => null);
    await until(() => current?.waiting() === 1);
    expect((await fetch(`${base}/slow`)).status).toBe(503);
    abort.abort();
    await gone;
    await until(() => current?.shed.inflight() === 0);
    const next = fetch(`${base}/slow`);
    await until(() => current?.waiting() === 2);
    current.release();
    expect((await next).status).toBe(200);
  });

  it('does not shed with a cap of 0', async () => {
    current = slowApp(0);
    const base = await current.listen();
    const many = Array.from({ length: 20 }, () => fetch(`${base}/slow`));
    await until(() => current?.waiting() === 20);
    current.release();
    expect((await Promise.all(many)).every((r) => r.status === 200)).toBe(true);
    expect(current.shed.shed()).toBe(0);
  });

  it('reads its cap from SAMENHANG_MAX_INFLIGHT and refuses nonsense', () => {
    expect(maxInflightOf({})).toBe(DEFAULT_MAX_INFLIGHT);
    expect(maxInflightOf({ SAMENHANG_MAX_INFLIGHT: '40' })).toBe(40);
    expect(maxInflightOf({ SAMENHANG_MAX_INFLIGHT: '0' })).toBe(0);
    for (const bad of ['-1', '2.5', 'many']) expect(() => maxInflightOf({ SAMENHANG_MAX_INFLIGHT: bad })).toThrow(/SAMENHANG_MAX_INFLIGHT/);
  });
});
