/**
 * When the outbox is sent: at start, when the connection returns (`online`), when the page becomes
 * visible again, every 15 s while something waits, at the moment a backoff or Retry-After ends,
 * and when the service worker asks (Background Sync, where the browser has it). One run at a time;
 * a trigger during a run starts one more run after it.
 */
import { endBackoff, sendAll, type OutboxItem, type OutboxStorage, type SendFetch, type SendResult } from './outbox.ts';

export const SEND_INTERVAL_MS = 15_000;
/** What the service worker posts to the page on a `sync` event. */
export const SYNC_MESSAGE = 'schouw-outbox-sync';
export const SYNC_TAG = 'schouw-outbox';

export interface RunnerDeps {
  storage: OutboxStorage;
  fetchFn: SendFetch;
  now: () => number;
  tokenFor: (code: string) => string | null;
  /** Every item in the outbox, after each change. */
  onItems: (items: OutboxItem[]) => void;
  /** After each run, with the items that left the outbox in it. */
  onResult: (result: SendResult, sentItems: OutboxItem[]) => void;
  /** The window (online, focus), the document (visibilitychange), the service worker container (message). */
  win: EventTarget | null;
  doc: (EventTarget & { visibilityState?: DocumentVisibilityState }) | null;
  serviceWorker: EventTarget | null;
  intervalMs?: number;
  log?: (message: string, error: unknown) => void;
}

export interface OutboxRunner {
  /** Send now (or right after the run in progress); `urgent`: also end the network backoff. */
  kick(urgent?: boolean): void;
  /** Read the outbox again and report it (after a change from outside, e.g. a new item). */
  refresh(): Promise<OutboxItem[]>;
  stop(): void;
}

export function startOutboxRunner(deps: RunnerDeps): OutboxRunner {
  const log = deps.log ?? ((message, error) => console.warn(message, error));
  let running = false;
  let again = false;
  let urgentNext = false;
  let stopped = false;
  let known: OutboxItem[] = [];
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  async function refresh(): Promise<OutboxItem[]> {
    known = await deps.storage.list();
    if (!stopped) deps.onItems(known);
    return known;
  }

  function scheduleRetry(at: number | null): void {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    if (at === null || stopped) return;
    retryTimer = setTimeout(() => kick(), Math.max(0, at - deps.now()) + 50);
  }

  async function run(urgent: boolean): Promise<void> {
    running = true;
    try {
      if (urgent) await endBackoff(deps.storage, deps.now());
      const before = await refresh();
      if (before.some((item) => item.state !== 'failed')) {
        const result = await sendAll(deps.storage, deps.fetchFn, deps.now, deps.tokenFor);
        const sentItems = before.filter((item) => result.sent.includes(item.id));
        await refresh();
        if (!stopped) deps.onResult(result, sentItems);
        scheduleRetry(result.retryAt);
      }
    } catch (error) {
      log('[schouw] outbox', error);
    } finally {
      running = false;
    }
    if (again && !stopped) {
      again = false;
      const next = urgentNext;
      urgentNext = false;
      void run(next);
    }
  }

  function kick(urgent = false): void {
    if (stopped) return;
    if (running) {
      again = true;
      urgentNext ||= urgent;
      return;
    }
    void run(urgent);
  }
  const kickUrgent = (): void => kick(true);

  const onVisible = (): void => {
    if (deps.doc?.visibilityState !== 'hidden') kick(true);
  };
  const onMessage = (event: Event): void => {
    const data: unknown = (event as MessageEvent).data;
    if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SYNC_MESSAGE) kick(true);
  };
  const interval = setInterval(() => {
    if (known.some((item) => item.state !== 'failed')) kick();
  }, deps.intervalMs ?? SEND_INTERVAL_MS);

  deps.win?.addEventListener('online', kickUrgent);
  deps.doc?.addEventListener('visibilitychange', onVisible);
  deps.serviceWorker?.addEventListener('message', onMessage);
  kick(true);

  return {
    kick,
    refresh,
    stop: () => {
      stopped = true;
      clearInterval(interval);
      scheduleRetry(null);
      deps.win?.removeEventListener('online', kickUrgent);
      deps.doc?.removeEventListener('visibilitychange', onVisible);
      deps.serviceWorker?.removeEventListener('message', onMessage);
    },
  };
}

interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Ask for a Background Sync (Chromium); elsewhere the page's own triggers do the work. */
export function requestBackgroundSync(registration: Promise<ServiceWorkerRegistration | null> | null): void {
  registration
    ?.then((reg) => (reg as (ServiceWorkerRegistration & SyncRegistration) | null)?.sync?.register(SYNC_TAG))
    .catch(() => undefined);
}
