/** The outbox for the walk on screen: its items, the unsent count, and queue/delete/retry. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { newOutboxItem, retryItem, unsentCount, type OutboxItem, type OutboxStorage, type SendFetch } from './outbox.ts';
import { requestBackgroundSync, startOutboxRunner, type OutboxRunner } from './outbox-runner.ts';
import type { HotspotBody } from './types.ts';

export interface OutboxDeps {
  storage: OutboxStorage;
  fetchFn: SendFetch;
  win: Window | null;
  /** its `message` events: the service worker's Background Sync */
  serviceWorker: ServiceWorkerContainer | null;
  registration: Promise<ServiceWorkerRegistration | null> | null;
}

export interface UseOutbox {
  /** this walk's items, newest first */
  items: OutboxItem[];
  count: number;
  /** hotspots of this walk that left the outbox during this visit */
  sent: ReadonlyMap<string, HotspotBody>;
  queue(body: HotspotBody, photo: Blob | null): Promise<void>;
  remove(id: string): Promise<void>;
  retry(id: string): Promise<void>;
  sendNow(): void;
}

export function useOutbox(
  deps: OutboxDeps,
  code: string,
  tokenFor: (code: string) => string | null,
  onUnauthorized: (code: string) => void,
  onSent: () => void,
): UseOutbox {
  const [all, setAll] = useState<OutboxItem[]>([]);
  const [sent, setSent] = useState<ReadonlyMap<string, HotspotBody>>(new Map());
  const runner = useRef<OutboxRunner | null>(null);
  const latest = useRef({ tokenFor, onUnauthorized, onSent });
  useEffect(() => {
    latest.current = { tokenFor, onUnauthorized, onSent };
  });

  const { storage, fetchFn, win, serviceWorker, registration } = deps;
  useEffect(() => {
    const started = startOutboxRunner({
      storage,
      fetchFn,
      now: () => Date.now(),
      tokenFor: (c) => latest.current.tokenFor(c),
      onItems: setAll,
      onResult: (result, sentItems) => {
        if (sentItems.length > 0) {
          setSent((before) => new Map([...before, ...sentItems.map((item) => [item.id, item.body] as const)]));
          latest.current.onSent();
        }
        for (const c of result.unauthorized) latest.current.onUnauthorized(c);
      },
      win,
      doc: win?.document ?? null,
      serviceWorker,
    });
    runner.current = started;
    return () => {
      started.stop();
      if (runner.current === started) runner.current = null;
    };
  }, [storage, fetchFn, win, serviceWorker]);

  const queue = useCallback(
    async (body: HotspotBody, photo: Blob | null) => {
      await storage.put(newOutboxItem(code, body, photo, Date.now()));
      await runner.current?.refresh();
      runner.current?.kick();
      requestBackgroundSync(registration);
    },
    [storage, code, registration],
  );
  const remove = useCallback(
    async (id: string) => {
      await storage.delete(id);
      await runner.current?.refresh();
    },
    [storage],
  );
  const retry = useCallback(
    async (id: string) => {
      await retryItem(storage, id, Date.now());
      await runner.current?.refresh();
      runner.current?.kick();
    },
    [storage],
  );
  const sendNow = useCallback(() => runner.current?.kick(true), []);

  const items = all.filter((item) => item.code === code).sort((a, b) => b.queuedAt - a.queuedAt);
  return { items, count: unsentCount(all, code), sent, queue, remove, retry, sendNow };
}
