import { describe, expect, it } from 'vitest';
import {
  codeFromLocation,
  forgetToken,
  initialScreen,
  isWalkCode,
  LAST_CODE_KEY,
  loadCachedHotspots,
  loadCachedWalk,
  loadToken,
  normaliseCode,
  saveCachedHotspots,
  saveCachedWalk,
  saveToken,
  tokenKey,
} from './session.ts';
import type { Walk } from './types.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

const walk: Walk = { id: 7, title: 'Schouw Wessem', date: '2026-05-01', themes: ['Groen', 'Verkeer'], status: 'open', route: null, area: null };

describe('walk codes', () => {
  it('accepts 6 characters A-Z and 2-9', () => {
    expect(isWalkCode('ABC234')).toBe(true);
    expect(isWalkCode('ABC123')).toBe(false); // 1 is not used (looks like I)
    expect(isWalkCode('ABC23')).toBe(false);
  });

  it('normalises what a person typed', () => {
    expect(normaliseCode(' abc-234 ')).toBe('ABC234');
  });

  it('reads the code from /schouw/<CODE>', () => {
    expect(codeFromLocation('/schouw/ABC234', '')).toBe('ABC234');
    expect(codeFromLocation('/schouw/abc234/', '')).toBe('ABC234');
    expect(codeFromLocation('/schouw', '')).toBeNull();
    expect(codeFromLocation('/schouw/NOPE', '')).toBeNull();
    expect(codeFromLocation('/schouw.html', '?code=xyz789')).toBe('XYZ789');
    expect(codeFromLocation('/schouw/%E0%A4%A', '')).toBeNull();
  });
});

describe('what the phone remembers', () => {
  it('keeps the token under samenhang.schouw.<CODE> and remembers the last walk', () => {
    const storage = memoryStorage();
    saveToken(storage, 'ABC234', 'secret');
    expect(tokenKey('ABC234')).toBe('samenhang.schouw.ABC234');
    expect(storage.data.get('samenhang.schouw.ABC234')).toBe('secret');
    expect(storage.data.get(LAST_CODE_KEY)).toBe('ABC234');
    expect(loadToken(storage, 'ABC234')).toBe('secret');
    forgetToken(storage, 'ABC234');
    expect(loadToken(storage, 'ABC234')).toBeNull();
  });

  it('caches the walk and the hotspots, and ignores what does not parse', () => {
    const storage = memoryStorage({ 'samenhang.schouw.XYZ789.walk': '{broken' });
    saveCachedWalk(storage, 'ABC234', walk);
    expect(loadCachedWalk(storage, 'ABC234')).toEqual(walk);
    expect(loadCachedWalk(storage, 'XYZ789')).toBeNull();
    const hotspots = {
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [5.9, 51.1] },
          properties: { id: 'h', kind: 'kans' as const, theme: 'Groen', note: '', own: true, status: 'new', hasPhoto: false, receivedAt: null },
        },
      ],
    };
    saveCachedHotspots(storage, 'ABC234', hotspots);
    expect(loadCachedHotspots(storage, 'ABC234')).toEqual(hotspots);
  });

  it('survives a storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => saveToken(throwing, 'ABC234', 't')).not.toThrow();
    expect(loadToken(throwing, 'ABC234')).toBeNull();
  });
});

describe('initialScreen', () => {
  const at = (pathname: string) => ({ pathname, search: '' });

  it('asks for the code when there is none', () => {
    expect(initialScreen({ storage: memoryStorage(), location: at('/schouw') })).toEqual({ kind: 'join', code: '', notice: null });
  });

  it('asks to join a walk the phone has no token for, with the code filled in', () => {
    expect(initialScreen({ storage: memoryStorage(), location: at('/schouw/ABC234') })).toEqual({ kind: 'join', code: 'ABC234', notice: null });
  });

  it('opens a remembered walk at once from the cache (no connection needed)', () => {
    const storage = memoryStorage();
    saveToken(storage, 'ABC234', 'secret');
    expect(initialScreen({ storage, location: at('/schouw/ABC234') })).toEqual({ kind: 'loading', code: 'ABC234' });
    saveCachedWalk(storage, 'ABC234', walk);
    expect(initialScreen({ storage, location: at('/schouw/ABC234') })).toEqual({ kind: 'walk', code: 'ABC234', walk });
    // /schouw (the installed app's start) goes back to the last walk
    expect(initialScreen({ storage, location: at('/schouw') })).toMatchObject({ kind: 'walk', code: 'ABC234' });
  });
});
