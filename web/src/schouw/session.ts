/**
 * Which walk the page is for and what the phone remembers of it. The device token of a walk lives
 * in localStorage under `samenhang.schouw.<CODE>` (a stored token skips the join screen); the walk
 * and the last list of hotspots are kept beside it so the page also opens without a connection.
 * The storage is passed in, never a global.
 */
import { isWalk, parseHotspots } from './api.ts';
import type { SchouwKey } from './i18n.ts';
import type { HotspotCollection, Walk } from './types.ts';

export const CODE_PATTERN = /^[A-Z2-9]{6}$/;
export const SCHOUW_PATH = '/schouw';
const PREFIX = 'samenhang.schouw.';
/** The code of the walk opened last: /schouw (the installed app's start page) goes back to it. */
export const LAST_CODE_KEY = `${PREFIX}last`;

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function isWalkCode(value: string): boolean {
  return CODE_PATTERN.test(value);
}

/** What a person typed → a code: capitals, without spaces and dashes. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

/** The code in `/schouw/<CODE>` (also with a trailing slash, or `?code=` for a plain file server); null otherwise. */
export function codeFromLocation(pathname: string, search: string): string | null {
  const match = /^\/schouw\/([^/]+)\/?$/i.exec(pathname);
  const raw = match?.[1] ?? new URLSearchParams(search).get('code');
  if (raw === null || raw === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const code = normaliseCode(decoded);
  return isWalkCode(code) ? code : null;
}

export function walkPath(code: string): string {
  return `${SCHOUW_PATH}/${code}`;
}

export const tokenKey = (code: string): string => `${PREFIX}${code}`;
const walkKey = (code: string): string => `${PREFIX}${code}.walk`;
const hotspotsKey = (code: string): string => `${PREFIX}${code}.hotspots`;

function read(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: KeyValueStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Private mode or quota: then it lasts for this page only.
  }
}

function remove(storage: KeyValueStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // nothing to do
  }
}

function readJson(storage: KeyValueStorage | null, key: string): unknown {
  const text = read(storage, key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function loadToken(storage: KeyValueStorage | null, code: string): string | null {
  const token = read(storage, tokenKey(code));
  return token === null || token === '' ? null : token;
}

export function saveToken(storage: KeyValueStorage | null, code: string, token: string): void {
  write(storage, tokenKey(code), token);
  write(storage, LAST_CODE_KEY, code);
}

export function loadLastCode(storage: KeyValueStorage | null): string | null {
  const code = read(storage, LAST_CODE_KEY);
  return code !== null && isWalkCode(code) ? code : null;
}

export function loadCachedWalk(storage: KeyValueStorage | null, code: string): Walk | null {
  const json = readJson(storage, walkKey(code));
  return isWalk(json) ? json : null;
}

export function saveCachedWalk(storage: KeyValueStorage | null, code: string, walk: Walk): void {
  write(storage, walkKey(code), JSON.stringify(walk));
}

export function loadCachedHotspots(storage: KeyValueStorage | null, code: string): HotspotCollection | null {
  return parseHotspots(readJson(storage, hotspotsKey(code)));
}

export function saveCachedHotspots(storage: KeyValueStorage | null, code: string, hotspots: HotspotCollection): void {
  write(storage, hotspotsKey(code), JSON.stringify(hotspots));
}

/** The server no longer knows this phone's token: forget it (the queued hotspots stay in the outbox). */
export function forgetToken(storage: KeyValueStorage | null, code: string): void {
  remove(storage, tokenKey(code));
}

export type Screen =
  | { kind: 'join'; code: string; notice: SchouwKey | null }
  | { kind: 'loading'; code: string }
  | { kind: 'offline'; code: string }
  | { kind: 'walk'; code: string; walk: Walk };

/** The first screen, from the address and what the phone remembers. */
export function initialScreen(deps: { storage: KeyValueStorage | null; location: { pathname: string; search: string } }): Screen {
  const { pathname, search } = deps.location;
  const atStart = pathname.replace(/(\.html)?\/*$/, '') === SCHOUW_PATH;
  const code = codeFromLocation(pathname, search) ?? (atStart ? loadLastCode(deps.storage) : null);
  if (code === null) return { kind: 'join', code: '', notice: null };
  if (loadToken(deps.storage, code) === null) return { kind: 'join', code, notice: null };
  const walk = loadCachedWalk(deps.storage, code);
  return walk ? { kind: 'walk', code, walk } : { kind: 'loading', code };
}
