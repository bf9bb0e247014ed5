import { describe, expect, it } from 'vitest';
import { createInitialState, updateApp, updateFocus } from './app-state.ts';
import { isSystemVisible } from './visibility.ts';

describe('updateApp', () => {
  const initial = createInitialState('nl');

  it('routes actions to the small updaters', () => {
    const s1 = updateApp(initial, { type: 'language/toggle' });
    expect(s1.language).toBe('en');
    const s2 = updateApp(s1, { type: 'visibility/toggleSystem', system: 'drinkwater' });
    expect(isSystemVisible(s2.visibility, 'drinkwater')).toBe(false);
    const s3 = updateApp(s2, { type: 'selection/select', kind: 'asset', id: 3 });
    expect(s3.selection).toEqual({ kind: 'asset', id: 3 });
    const s4 = updateApp(s3, { type: 'notice/show', key: 'errorDetail', detail: 'fout' });
    expect(s4.notice?.detail).toBe('fout');
    expect(initial.language).toBe('nl');
  });

  it('choosing a search result selects it, focuses its box and switches its layer on', () => {
    const hidden = updateApp(initial, { type: 'visibility/toggleSystem', system: 'gas_ld' });
    const chosen = updateApp(hidden, { type: 'search/choose', kind: 'asset', id: 12, bbox: [5.9, 51.1, 5.91, 51.11], system: 'gas_ld' });
    expect(chosen.selection).toEqual({ kind: 'asset', id: 12 });
    expect(chosen.focus).toEqual({ seq: 1, bbox: [5.9, 51.1, 5.91, 51.11] });
    expect(isSystemVisible(chosen.visibility, 'gas_ld')).toBe(true);
  });

  it('choosing a work switches the works layer on', () => {
    const off = updateApp(initial, { type: 'visibility/toggleWorks' });
    const chosen = updateApp(off, { type: 'search/choose', kind: 'work', id: 2, bbox: [5, 51, 6, 52], system: null });
    expect(chosen.visibility.works).toBe(true);
    expect(chosen.selection).toEqual({ kind: 'work', id: 2 });
  });
});

describe('updateFocus', () => {
  it('makes a repeated request for the same box distinct', () => {
    const a = updateFocus(null, { type: 'focus/bbox', bbox: [1, 2, 3, 4] });
    const b = updateFocus(a, { type: 'focus/bbox', bbox: [1, 2, 3, 4] });
    expect(b?.seq).toBe(2);
    expect(b).not.toBe(a);
  });
});

describe('tiles/refresh', () => {
  it('asks the map to reload some systems, each request distinct', () => {
    const once = updateApp(createInitialState('nl'), { type: 'tiles/refresh', version: '7-1', systems: ['gas_ld', 'gas_ld', 'drinkwater'] });
    expect(once.tiles).toEqual({ seq: 1, version: '7-1', systems: ['gas_ld', 'drinkwater'] });
    const twice = updateApp(once, { type: 'tiles/refresh', version: '7-1', systems: ['gas_ld'] });
    expect(twice.tiles?.seq).toBe(2);
  });
});
