import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../auth/principal.ts';
import { TileCache } from './tile-cache.ts';

const tile = (text: string) => ({ bytes: Buffer.from(text), etag: `"${text}"` });

function live(maxBytes = 1 << 20): TileCache {
  const c = new TileCache(maxBytes);
  c.connected();
  return c;
}

describe('TileCache', () => {
  it('serves a stored tile until its family changes; other families keep theirs', () => {
    const c = live();
    c.set('works/14/1/2/s', 'works', c.version('works'), tile('w'));
    c.set('gemeenten/14/1/2/', 'gemeenten', c.version('gemeenten'), tile('g'));
    expect(c.get('works/14/1/2/s', 'works')?.bytes.toString()).toBe('w');
    c.changed('works');
    expect(c.get('works/14/1/2/s', 'works')).toBeNull();
    expect(c.get('gemeenten/14/1/2/', 'gemeenten')?.bytes.toString()).toBe('g');
    c.changed('*');
    expect(c.get('gemeenten/14/1/2/', 'gemeenten')).toBeNull();
    expect(c.stats()).toMatchObject({ hits: 2, misses: 2, invalidations: 2 });
  });

  it('an unknown payload invalidates every family', () => {
    const c = live();
    c.set('k', 'assets', c.version('assets'), tile('a'));
    c.changed('something-new');
    expect(c.get('k', 'assets')).toBeNull();
  });

  it('does not store a tile made before a change that arrived while its query ran', () => {
    const c = live();
    const before = c.version('assets');
    c.changed('assets');
    c.set('k', 'assets', before, tile('old'));
    expect(c.get('k', 'assets')).toBeNull();
    expect(c.stats().entries).toBe(0);
  });

  it('is off while the listener is not connected, and comes back empty', () => {
    const c = new TileCache(1 << 20);
    expect(c.enabled).toBe(false);
    c.set('k', 'works', 0, tile('x'));
    expect(c.stats().entries).toBe(0);
    c.connected();
    c.set('k', 'works', c.version('works'), tile('x'));
    expect(c.get('k', 'works')).not.toBeNull();
    c.disconnected();
    expect(c.enabled).toBe(false);
    expect(c.get('k', 'works')).toBeNull();
    c.connected();
    expect(c.get('k', 'works')).toBeNull();
  });

  it('a size of 0 turns it off; a negative size is refused', () => {
    const c = new TileCache(0);
    c.connected();
    expect(c.enabled).toBe(false);
    expect(() => new TileCache(-1)).toThrow(/non-negative/);
  });

  it('evicts the least recently used tiles beyond its budget', () => {
    const c = live(4000);
    const v = c.version('assets');
    for (const k of ['a', 'b', 'c']) c.set(k, 'assets', v, { bytes: Buffer.alloc(700), etag: k });
    expect(c.get('a', 'assets')).not.toBeNull(); // a is now the most recent
    c.set('d', 'assets', v, { bytes: Buffer.alloc(700), etag: 'd' });
    c.set('e', 'assets', v, { bytes: Buffer.alloc(700), etag: 'e' });
    expect(c.stats().bytes).toBeLessThanOrEqual(4000);
    expect(c.get('b', 'assets')).toBeNull();
    expect(c.get('a', 'assets')).not.toBeNull();
    expect(c.get('e', 'assets')).not.toBeNull();
    // a tile larger than a quarter of the budget is not kept at all
    c.set('big', 'assets', v, { bytes: Buffer.alloc(1200), etag: 'big' });
    expect(c.get('big', 'assets')).toBeNull();
  });

  it('callers with different access get different keys; public layers share one', () => {
    const c = live();
    const partner: Principal = { ...ANONYMOUS, via: 'session', userId: 1, orgId: 7, partner: true, scope: 'write' };
    const otherOrg: Principal = { ...partner, userId: 2, orgId: 8 };
    const sameOrg: Principal = { ...partner, userId: 3 };
    const withArea: Principal = { ...partner, areas: '0103000020407100000100000005000000' };
    const withShare: Principal = { ...partner, shares: [{ datasetId: 4, area: null }] };
    const scopes = [ANONYMOUS, partner, otherOrg, withArea, withShare].map((p) => c.scopeOf(p, false));
    expect(new Set(scopes).size).toBe(5);
    // the user id is no part of what a caller may read: same organisation, same rights, same tiles
    expect(c.scopeOf(sameOrg, false)).toBe(c.scopeOf(partner, false));
    expect(c.scopeOf(partner, true)).toBe(c.scopeOf(ANONYMOUS, true));
  });
});
