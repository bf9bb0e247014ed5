import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage, newOutboxItem, type OutboxItem, type SendFetch } from './outbox.ts';
import { SEND_INTERVAL_MS, startOutboxRunner, SYNC_MESSAGE } from './outbox-runner.ts';
import type { HotspotBody } from './types.ts';

const body = (id: string): HotspotBody => ({ id, kind: 'kans', theme: 'Groen', note: '', lon: 5.9, lat: 51.1, accuracy: 5, observedAt: '2026-05-01T10:00:00Z' });

/** Let the runner's promise chain settle (fake timers do not move microtasks along). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('startOutboxRunner', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(online: { value: boolean }) {
    const storage = createMemoryStorage();
    const calls: string[] = [];
    const fetchFn: SendFetch = (url) => {
      calls.push(url);
      return online.value ? Promise.resolve(new Response(null, { status: 201 })) : Promise.reject(new TypeError('offline'));
    };
    const win = new EventTarget();
    const sw = new EventTarget();
    const seen: OutboxItem[][] = [];
    const sent: string[] = [];
    const runner = startOutboxRunner({
      storage,
      fetchFn,
      now: () => Date.now(),
      tokenFor: () => 'tok',
      onItems: (items) => seen.push(items),
      onResult: (_result, items) => sent.push(...items.map((i) => i.id)),
      win,
      doc: null,
      serviceWorker: sw,
      log: () => undefined,
    });
    return { storage, calls, win, sw, seen, sent, runner };
  }

  it('sends at start, backs off while offline, and sends at once when the connection returns', async () => {
    const online = { value: false };
    const { storage, calls, win, sent, runner } = setup(online);
    await storage.put(newOutboxItem('ABC234', body('h-1'), null, Date.now()));
    runner.kick();
    await settle();
    expect(calls).toHaveLength(1);
    // the 1 s backoff timer tries again
    await vi.advanceTimersByTimeAsync(1100);
    await settle();
    expect(calls).toHaveLength(2);
    online.value = true;
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(sent).toEqual(['h-1']);
    expect(await storage.list()).toEqual([]);
    runner.stop();
  });

  it('tries every 15 s while something waits, and on the service worker sync message', async () => {
    const online = { value: true };
    const { storage, calls, sw, sent, runner } = setup(online);
    await settle();
    await storage.put({ ...newOutboxItem('ABC234', body('h-1'), null, Date.now()) });
    await runner.refresh();
    await vi.advanceTimersByTimeAsync(SEND_INTERVAL_MS);
    await settle();
    expect(sent).toEqual(['h-1']);

    await storage.put(newOutboxItem('ABC234', body('h-2'), null, Date.now()));
    sw.dispatchEvent(Object.assign(new Event('message'), { data: { type: SYNC_MESSAGE } }));
    await settle();
    expect(sent).toEqual(['h-1', 'h-2']);
    expect(calls).toHaveLength(2);
    runner.stop();
  });

  it('does nothing after stop', async () => {
    const online = { value: true };
    const { storage, calls, win, runner } = setup(online);
    await settle();
    runner.stop();
    await storage.put(newOutboxItem('ABC234', body('h-1'), null, Date.now()));
    win.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(SEND_INTERVAL_MS * 2);
    expect(calls).toEqual([]);
  });
});
