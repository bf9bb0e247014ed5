/**
 * Signed-in callers kept in memory for a short while (issue 9), so that a request (a cached tile
 * above all) needs no SQL to learn who is asking. Keyed on the digest of the token or session
 * secret. Any change to accounts, sessions, tokens, project areas, shares or organisations empties
 * it at once through NOTIFY (migration 018, the same listener as the tile cache); entries also age
 * out after `ttlMs` (project areas and shares are valid by date) and never outlive their session.
 * Without a live listener it is off, like the tile cache.
 */
import type { Principal } from './principal.ts';
import type { ChangeTarget } from '../db/change-listener.ts';

export interface CachedCaller {
  principal: Principal;
  /** sessions: the CSRF token unsafe methods must send */
  csrfToken: string | null;
  /** tokens: the api_token row (its last use is written at most once a minute) */
  tokenId: number | null;
}

interface Entry extends CachedCaller {
  until: number;
}

export const AUTH_CHANGED = 'auth';

export class PrincipalCache implements ChangeTarget {
  private readonly entries = new Map<string, Entry>();
  private live = false;
  private readonly lastUse = new Map<number, number>();
  hits = 0;
  misses = 0;

  constructor(
    readonly ttlMs = 30_000,
    readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get enabled(): boolean {
    return this.live && this.ttlMs > 0 && this.maxEntries > 0;
  }

  connected(): void {
    this.entries.clear();
    this.live = true;
  }

  disconnected(): void {
    this.live = false;
    this.entries.clear();
  }

  changed(payload: string): void {
    if (payload === AUTH_CHANGED || payload === '*') this.entries.clear();
  }

  get(key: string): CachedCaller | null {
    if (!this.enabled) return null;
    const e = this.entries.get(key);
    if (e === undefined || e.until <= this.now()) {
      if (e !== undefined) this.entries.delete(key);
      this.misses++;
      return null;
    }
    this.hits++;
    return e;
  }

  /** `expiresAt`: the session's own end (ms), when it has one. */
  set(key: string, caller: CachedCaller, expiresAt: number | null = null): void {
    if (!this.enabled) return;
    const until = Math.min(this.now() + this.ttlMs, expiresAt ?? Infinity);
    this.entries.delete(key);
    this.entries.set(key, { ...caller, until });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Whether a token's last use should be written now (once a minute per token at most). */
  shouldTouch(tokenId: number): boolean {
    const t = this.now();
    if ((this.lastUse.get(tokenId) ?? -Infinity) > t - 60_000) return false;
    this.lastUse.set(tokenId, t);
    if (this.lastUse.size > this.maxEntries) this.lastUse.clear();
    return true;
  }
}
