import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  createMemoryStorage,
  endBackoff,
  newHotspotId,
  newOutboxItem,
  parseRetryAfter,
  retryItem,
  sendAll,
  type OutboxStorage,
  type SendFetch,
} from './outbox.ts';
import type { HotspotBody } from './types.ts';

type Reply = number | 'network' | 'lost' | { status: number; headers?: Record<string, string>; body?: unknown };

/**
 * A fake wijkschouw server: stores hotspots by id (a resent id answers 200), photos by id, and logs
 * every call. `script` overrides the next answers in order: a status, 'network' (nothing arrives)
 * or 'lost' (the server stores it, the answer never arrives).
 */
function fakeServer(script: Reply[] = []) {
  const hotspots = new Map<string, HotspotBody>();
  const photos = new Map<string, Blob>();
  const calls: string[] = [];
  const headers: Record<string, string>[] = [];
  const fetchFn: SendFetch = async (url, init) => {
    calls.push(`${init.method ?? 'GET'} ${url}`);
    headers.push(Object.fromEntries(new Headers(init.headers).entries()));
    const reply = script.shift();
    if (reply === 'network') throw new TypeError('Failed to fetch');
    if (reply !== undefined && reply !== 'lost') {
      const r = typeof reply === 'number' ? { status: reply } : reply;
      return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: r.headers ?? {} });
    }
    let status = 201;
    if (init.method === 'POST') {
      const body = JSON.parse(String(init.body)) as HotspotBody;
      if (hotspots.has(body.id)) status = 200;
      else hotspots.set(body.id, body);
    } else if (init.method === 'PUT') {
      const id = decodeURIComponent(url.split('/')[4] ?? '');
      photos.set(id, init.body as Blob);
      status = 200;
    }
    if (reply === 'lost') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({ ok: true }), { status });
  };
  return { hotspots, photos, calls, headers, fetchFn };
}

function body(id: string, note = ''): HotspotBody {
  return { id, kind: 'kans', theme: 'Groen', note, lon: 5.9, lat: 51.15, accuracy: 8, observedAt: '2026-05-01T10:00:00.000Z' };
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

const tokens = (code: string): string | null => (code === 'ABC234' || code === 'XYZ789' ? `token-${code}` : null);

async function queue(storage: OutboxStorage, id: string, at: number, photo: Blob | null = null, code = 'ABC234'): Promise<void> {
  await storage.put(newOutboxItem(code, body(id, `note ${id}`), photo, at));
}

describe('sendAll', () => {
  it('sends the waiting items in the order they were saved, with the device token, and empties the outbox', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer();
    const c = clock();
    await queue(storage, 'c-1', 10);
    await queue(storage, 'a-2', 20);
    await queue(storage, 'b-3', 30);
    const result = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(result.sent).toEqual(['c-1', 'a-2', 'b-3']);
    expect([...server.hotspots.keys()]).toEqual(['c-1', 'a-2', 'b-3']);
    expect(server.calls).toEqual(['POST /api/walk/hotspots', 'POST /api/walk/hotspots', 'POST /api/walk/hotspots']);
    expect(server.headers[0]).toMatchObject({ 'x-walk-device': 'token-ABC234', 'content-type': 'application/json' });
    expect(await storage.list()).toEqual([]);
    expect(result).toMatchObject({ remaining: 0, retryAt: null, failed: [] });
  });

  it('after a lost answer resends the same id; the server answers 200 and the item leaves once', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer(['lost']);
    const c = clock();
    await queue(storage, 'h-1', 1);

    const first = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(first.sent).toEqual([]);
    expect(server.hotspots.size).toBe(1); // the server has it, the phone does not know
    const waiting = await storage.get('h-1');
    expect(waiting).toMatchObject({ state: 'waiting', attempts: 1, nextAttemptAt: c.now() + 1000 });

    c.advance(1000);
    const second = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(second.sent).toEqual(['h-1']);
    expect(server.calls.filter((call) => call.startsWith('POST'))).toHaveLength(2);
    expect(server.hotspots.size).toBe(1);
    expect(await storage.list()).toEqual([]);

    const third = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(third.sent).toEqual([]);
    expect(server.calls).toHaveLength(2);
  });

  it('backs off exponentially on network errors and 5xx, from 1 s up to 60 s, and keeps the order', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer(['network', 503, 'network', 500, 502, 'network', 'network', 'network', 'network']);
    const c = clock();
    await queue(storage, 'first', 1);
    await queue(storage, 'second', 2);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const result = await sendAll(storage, server.fetchFn, c.now, tokens);
      expect(result.retryAt).not.toBeNull();
      waits.push((result.retryAt ?? 0) - c.now());
      // before the wait is over nothing is sent
      c.advance(waits[i]! - 1);
      const early = server.calls.length;
      await sendAll(storage, server.fetchFn, c.now, tokens);
      expect(server.calls.length).toBe(early);
      c.advance(1);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    // the second item never went ahead of the first
    expect(server.calls.every((call) => call === 'POST /api/walk/hotspots')).toBe(true);
    expect(await storage.get('first')).toMatchObject({ attempts: 9, state: 'waiting', lastError: 'Failed to fetch' });
    expect(await storage.get('second')).toMatchObject({ attempts: 0 });

    const result = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(result.sent).toEqual(['first', 'second']);
  });

  it('backoffMs: 1 s, doubling, at most 60 s', () => {
    expect([1, 2, 3, 6, 7, 8, 100].map(backoffMs)).toEqual([1000, 2000, 4000, 32000, 60000, 60000, 60000]);
  });

  it('honours Retry-After on 429, also when the connection comes back', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer([{ status: 429, headers: { 'Retry-After': '30' }, body: { error: { status: 429, code: 'rate_limited', message: 'Te veel meldingen' } } }]);
    const c = clock();
    await queue(storage, 'h-1', 1);
    const result = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(result.retryAt).toBe(c.now() + 30_000);
    expect(await storage.get('h-1')).toMatchObject({ state: 'waiting', rateLimited: true, lastError: 'Te veel meldingen' });

    await endBackoff(storage, c.now()); // the `online` event must not cut the server's wait short
    c.advance(29_999);
    await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(server.calls).toHaveLength(1);

    c.advance(1);
    expect((await sendAll(storage, server.fetchFn, c.now, tokens)).sent).toEqual(['h-1']);
  });

  it('endBackoff lets a network backoff end at once', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer(['network', 'network', 'network']);
    const c = clock();
    await queue(storage, 'h-1', 1);
    for (let i = 0; i < 3; i++) {
      if (i > 0) c.advance(backoffMs(i));
      await sendAll(storage, server.fetchFn, c.now, tokens);
    }
    expect((await storage.get('h-1'))?.nextAttemptAt).toBe(c.now() + 4000);
    await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(server.calls).toHaveLength(3);
    await endBackoff(storage, c.now());
    expect((await sendAll(storage, server.fetchFn, c.now, tokens)).sent).toEqual(['h-1']);
  });

  it('marks a permanent 4xx failed with the server message, keeps it, and sends the rest', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer([{ status: 409, body: { error: { status: 409, code: 'walk_closed', message: 'De schouw is gesloten' } } }]);
    const c = clock();
    await queue(storage, 'bad', 1);
    await queue(storage, 'good', 2);
    const result = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(result).toMatchObject({ sent: ['good'], failed: ['bad'], remaining: 1, retryAt: null });
    expect(await storage.get('bad')).toMatchObject({ state: 'failed', lastError: 'De schouw is gesloten', attempts: 1 });

    // a failed item is not sent again by itself …
    await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(server.calls).toHaveLength(2);
    // … only when the person asks
    await retryItem(storage, 'bad', c.now());
    expect((await sendAll(storage, server.fetchFn, c.now, tokens)).sent).toEqual(['bad']);
  });

  it('a 4xx without an error body fails with the status', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer([422]);
    await queue(storage, 'h-1', 1);
    await sendAll(storage, server.fetchFn, clock().now, tokens);
    expect(await storage.get('h-1')).toMatchObject({ state: 'failed', lastError: 'HTTP 422' });
  });

  it('sends the photo after the hotspot; the item leaves only when both are stored', async () => {
    const storage = createMemoryStorage();
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const server = fakeServer([201, 503]);
    const c = clock();
    await queue(storage, 'h-1', 1, photo);

    const first = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(server.calls).toEqual(['POST /api/walk/hotspots', 'PUT /api/walk/hotspots/h-1/photo']);
    expect(server.headers[1]).toMatchObject({ 'content-type': 'image/jpeg', 'x-walk-device': 'token-ABC234' });
    expect(first.sent).toEqual([]);
    expect(await storage.get('h-1')).toMatchObject({ hotspotStored: true, state: 'waiting', attempts: 1 });

    c.advance(1000);
    const second = await sendAll(storage, server.fetchFn, c.now, tokens);
    // the hotspot is not posted again: only the photo
    expect(server.calls.slice(2)).toEqual(['PUT /api/walk/hotspots/h-1/photo']);
    expect(second.sent).toEqual(['h-1']);
    expect(server.photos.get('h-1')).toBe(photo);
    expect(await storage.list()).toEqual([]);
  });

  it('does not send the photo when the hotspot was refused', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer([400]);
    await queue(storage, 'h-1', 1, new Blob(['x'], { type: 'image/jpeg' }));
    await sendAll(storage, server.fetchFn, clock().now, tokens);
    expect(server.calls).toEqual(['POST /api/walk/hotspots']);
    expect(await storage.get('h-1')).toMatchObject({ state: 'failed', hotspotStored: false });
  });

  it('reports a 401 walk, keeps its items waiting, and still sends the other walks', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer([401]);
    const c = clock();
    await queue(storage, 'old-1', 1, null, 'ABC234');
    await queue(storage, 'old-2', 2, null, 'ABC234');
    await queue(storage, 'other', 3, null, 'XYZ789');
    await queue(storage, 'no-token', 4, null, 'QQQ222');
    const result = await sendAll(storage, server.fetchFn, c.now, tokens);
    expect(result).toMatchObject({ unauthorized: ['ABC234'], sent: ['other'], failed: [], remaining: 3 });
    expect(server.calls).toHaveLength(2);
    expect(await storage.get('old-1')).toMatchObject({ state: 'waiting' });
  });

  it('picks up an item left "sending" by a reload', async () => {
    const storage = createMemoryStorage();
    const server = fakeServer();
    await storage.put({ ...newOutboxItem('ABC234', body('h-1'), null, 1), state: 'sending' });
    expect((await sendAll(storage, server.fetchFn, clock().now, tokens)).sent).toEqual(['h-1']);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('newHotspotId', () => {
  it('uses crypto.randomUUID where there is one', () => {
    expect(newHotspotId({ randomUUID: () => 'from-browser', getRandomValues: (a) => a })).toBe('from-browser');
  });

  it('makes a uuid v4 from random bytes otherwise', () => {
    const id = newHotspotId({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => (a instanceof Uint8Array ? (a.fill(0xff), a) : a) });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
