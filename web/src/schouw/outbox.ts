/**
 * The outbox: hotspots saved on the phone and not yet stored by the server. Each item holds the
 * JSON body (its id is the hotspot's uuid, so a resent post is stored once), the walk code, the
 * photo as a Blob, attempts, state and the last error. `sendAll` sends the waiting items in the
 * order they were saved: the hotspot, then its photo; an item leaves the outbox only when both are
 * stored. Network errors and 5xx back off exponentially (1 s … 60 s), a 429 waits its Retry-After,
 * another 4xx marks the item failed (kept, the person may delete it or try again).
 *
 * Storage is an interface: IndexedDB in the browser (outbox-idb.ts), memory in the unit tests.
 */
import { DEVICE_HEADER, errorMessage } from './api.ts';
import type { HotspotBody } from './types.ts';

export type OutboxState = 'waiting' | 'sending' | 'failed';

export interface OutboxItem {
  /** = body.id */
  id: string;
  /** the walk's code: which device token sends it */
  code: string;
  body: HotspotBody;
  photo: Blob | null;
  attempts: number;
  state: OutboxState;
  lastError: string | null;
  /** ms since the epoch: the order of sending */
  queuedAt: number;
  /** not before this moment (ms since the epoch): backoff and Retry-After */
  nextAttemptAt: number;
  /** the server has the hotspot; only the photo is still to go */
  hotspotStored: boolean;
  /** nextAttemptAt comes from the server's Retry-After (kept also when the connection returns) */
  rateLimited: boolean;
}

export interface OutboxStorage {
  put(item: OutboxItem): Promise<void>;
  get(id: string): Promise<OutboxItem | undefined>;
  delete(id: string): Promise<void>;
  list(): Promise<OutboxItem[]>;
}

export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;

/** Wait after the n-th failed attempt (n ≥ 1): 1 s, 2 s, 4 s … at most 60 s. */
export function backoffMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(n - 1, 16));
}

export function createMemoryStorage(): OutboxStorage {
  const items = new Map<string, OutboxItem>();
  return {
    put: (item) => {
      items.set(item.id, { ...item, body: { ...item.body } });
      return Promise.resolve();
    },
    get: (id) => {
      const item = items.get(id);
      return Promise.resolve(item ? { ...item, body: { ...item.body } } : undefined);
    },
    delete: (id) => {
      items.delete(id);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...items.values()].map((item) => ({ ...item, body: { ...item.body } }))),
  };
}

export function newOutboxItem(code: string, body: HotspotBody, photo: Blob | null, now: number): OutboxItem {
  return { id: body.id, code, body, photo, attempts: 0, state: 'waiting', lastError: null, queuedAt: now, nextAttemptAt: now, hotspotStored: false, rateLimited: false };
}

/** Oldest first; the id breaks ties so the order is the same on every run. */
export function inSendingOrder(items: readonly OutboxItem[]): OutboxItem[] {
  return [...items].sort((a, b) => a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Items the indicator counts: everything still in the outbox (waiting, sending, failed). */
export function unsentCount(items: readonly OutboxItem[], code?: string): number {
  return items.filter((item) => code === undefined || item.code === code).length;
}

export type SendFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface SendResult {
  /** ids that left the outbox: hotspot and photo stored */
  sent: string[];
  /** ids newly marked failed */
  failed: string[];
  /** walk codes whose token the server does not know (401): the page asks to join again */
  unauthorized: string[];
  /** earliest moment a waiting item may be tried again; null when nothing waits */
  retryAt: number | null;
  /** items left in the outbox */
  remaining: number;
}

/** Retry-After in seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

type Outcome =
  | { kind: 'ok' }
  | { kind: 'retry'; message: string; retryAfterS: number | null }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'permanent'; message: string };

async function judge(response: Response, now: number): Promise<Outcome> {
  if (response.ok) return { kind: 'ok' };
  const json: unknown = await response
    .text()
    .then((text) => (text === '' ? null : (JSON.parse(text) as unknown)))
    .catch(() => null);
  const message = errorMessage(json) || `HTTP ${response.status}`;
  if (response.status === 429) return { kind: 'retry', message, retryAfterS: parseRetryAfter(response.headers.get('Retry-After'), now) };
  if (response.status === 401) return { kind: 'unauthorized', message };
  if (response.status === 408 || response.status >= 500 || response.status < 400) return { kind: 'retry', message, retryAfterS: null };
  return { kind: 'permanent', message };
}

async function attempt(fetchFn: SendFetch, url: string, init: RequestInit, now: number): Promise<Outcome> {
  try {
    return await judge(await fetchFn(url, init), now);
  } catch (error) {
    return { kind: 'retry', message: error instanceof Error && error.message ? error.message : 'network error', retryAfterS: null };
  }
}

function postHotspot(fetchFn: SendFetch, item: OutboxItem, token: string, now: number): Promise<Outcome> {
  return attempt(
    fetchFn,
    '/api/walk/hotspots',
    { method: 'POST', headers: { 'Content-Type': 'application/json', [DEVICE_HEADER]: token }, body: JSON.stringify(item.body) },
    now,
  );
}

function putPhoto(fetchFn: SendFetch, item: OutboxItem, photo: Blob, token: string, now: number): Promise<Outcome> {
  return attempt(
    fetchFn,
    `/api/walk/hotspots/${encodeURIComponent(item.id)}/photo`,
    { method: 'PUT', headers: { 'Content-Type': 'image/jpeg', [DEVICE_HEADER]: token }, body: photo },
    now,
  );
}

/**
 * Send what waits, oldest first. Stops at the first item that must wait (backoff, Retry-After,
 * network down) so the order is kept; a failed item or a walk without a known token does not hold
 * up the others. Never throws on HTTP or network trouble; only a storage failure rejects.
 */
export async function sendAll(
  storage: OutboxStorage,
  fetchFn: SendFetch,
  now: () => number,
  tokenFor: (code: string) => string | null,
): Promise<SendResult> {
  const result: SendResult = { sent: [], failed: [], unauthorized: [], retryAt: null, remaining: 0 };
  const blockedCodes = new Set<string>();
  for (const listed of inSendingOrder(await storage.list())) {
    if (listed.state === 'failed' || blockedCodes.has(listed.code)) continue;
    const token = tokenFor(listed.code);
    if (token === null) {
      blockedCodes.add(listed.code);
      continue;
    }
    if (listed.nextAttemptAt > now()) {
      result.retryAt = listed.nextAttemptAt;
      break;
    }
    let item: OutboxItem = { ...listed, state: 'sending' };
    await storage.put(item);

    let outcome: Outcome = { kind: 'ok' };
    if (!item.hotspotStored) {
      outcome = await postHotspot(fetchFn, item, token, now());
      if (outcome.kind === 'ok' && item.photo) {
        item = { ...item, hotspotStored: true, attempts: 0, lastError: null };
        await storage.put(item);
      }
    }
    if (outcome.kind === 'ok' && item.photo) outcome = await putPhoto(fetchFn, item, item.photo, token, now());

    if (outcome.kind === 'ok') {
      await storage.delete(item.id);
      result.sent.push(item.id);
      continue;
    }
    if (outcome.kind === 'permanent') {
      await storage.put({ ...item, state: 'failed', attempts: item.attempts + 1, lastError: outcome.message });
      result.failed.push(item.id);
      continue;
    }
    if (outcome.kind === 'unauthorized') {
      await storage.put({ ...item, state: 'waiting', lastError: outcome.message });
      blockedCodes.add(item.code);
      if (!result.unauthorized.includes(item.code)) result.unauthorized.push(item.code);
      continue;
    }
    const attempts = item.attempts + 1;
    const rateLimited = outcome.retryAfterS !== null;
    const waitMs = outcome.retryAfterS !== null ? outcome.retryAfterS * 1000 : backoffMs(attempts);
    const nextAttemptAt = now() + waitMs;
    await storage.put({ ...item, state: 'waiting', attempts, lastError: outcome.message, nextAttemptAt, rateLimited });
    result.retryAt = nextAttemptAt;
    break;
  }
  result.remaining = (await storage.list()).length;
  return result;
}

/** A failed item back in the queue, to be sent at the next run. */
export async function retryItem(storage: OutboxStorage, id: string, now: number): Promise<void> {
  const item = await storage.get(id);
  if (item) await storage.put({ ...item, state: 'waiting', lastError: null, nextAttemptAt: now, rateLimited: false });
}

/**
 * The connection is back (or the person pressed "send now"): waiting items need not sit out their
 * network backoff. A wait the server asked for (429 Retry-After) stays.
 */
export async function endBackoff(storage: OutboxStorage, now: number): Promise<void> {
  for (const item of await storage.list()) {
    if (item.state !== 'failed' && !item.rateLimited && item.nextAttemptAt > now) await storage.put({ ...item, nextAttemptAt: now });
  }
}

/** A uuid v4 for a new hotspot: crypto.randomUUID() where the browser has it (secure pages), else from getRandomValues. */
export function newHotspotId(source: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string }): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
