import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from './principal.ts';
import { PrincipalCache } from './principal-cache.ts';

const analyst: Principal = { ...ANONYMOUS, via: 'token', userId: 5, orgId: 2, role: 'analyst', partner: true };
const caller = { principal: analyst, csrfToken: null, tokenId: 9 };

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('PrincipalCache', () => {
  it('keeps a caller for its time to live, and never past the end of its session', () => {
    const c = clock();
    const cache = new PrincipalCache(30_000, 100, c.now);
    cache.connected();
    cache.set('t:a', caller);
    cache.set('s:b', { ...caller, tokenId: null, csrfToken: 'x' }, c.now() + 5_000);
    expect(cache.get('t:a')?.principal.userId).toBe(5);
    c.advance(6_000);
    expect(cache.get('s:b')).toBeNull(); // the session ended
    expect(cache.get('t:a')).not.toBeNull();
    c.advance(25_000);
    expect(cache.get('t:a')).toBeNull(); // aged out
  });

  it('empties on an auth change or a change of everything, not on tile changes', () => {
    const cache = new PrincipalCache();
    cache.connected();
    cache.set('t:a', caller);
    cache.changed('works');
    expect(cache.size).toBe(1);
    cache.changed('auth');
    expect(cache.size).toBe(0);
    cache.set('t:a', caller);
    cache.changed('*');
    expect(cache.get('t:a')).toBeNull();
  });

  it('is off without a listener and comes back empty', () => {
    const cache = new PrincipalCache();
    cache.set('t:a', caller);
    expect(cache.get('t:a')).toBeNull();
    cache.connected();
    cache.set('t:a', caller);
    cache.disconnected();
    expect(cache.enabled).toBe(false);
    cache.connected();
    expect(cache.get('t:a')).toBeNull();
  });

  it('holds at most maxEntries callers, dropping the oldest', () => {
    const cache = new PrincipalCache(30_000, 2);
    cache.connected();
    for (const k of ['a', 'b', 'c']) cache.set(k, caller);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeNull();
    expect(cache.get('c')).not.toBeNull();
  });

  it("writes a token's last use at most once a minute", () => {
    const c = clock();
    const cache = new PrincipalCache(30_000, 100, c.now);
    expect(cache.shouldTouch(9)).toBe(true);
    expect(cache.shouldTouch(9)).toBe(false);
    expect(cache.shouldTouch(10)).toBe(true);
    c.advance(61_000);
    expect(cache.shouldTouch(9)).toBe(true);
  });
});
