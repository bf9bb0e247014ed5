import { describe, expect, it } from 'vitest';
import { initialVisibility, isSystemVisible, updateVisibility } from './visibility.ts';

describe('updateVisibility', () => {
  it('starts with everything visible', () => {
    expect(isSystemVisible(initialVisibility, 'drinkwater')).toBe(true);
    expect(initialVisibility.works).toBe(true);
  });

  it('toggles one system off and on again', () => {
    const off = updateVisibility(initialVisibility, { type: 'visibility/toggleSystem', system: 'gas_ld' });
    expect(isSystemVisible(off, 'gas_ld')).toBe(false);
    expect(isSystemVisible(off, 'gas_hd')).toBe(true);
    const on = updateVisibility(off, { type: 'visibility/toggleSystem', system: 'gas_ld' });
    expect(isSystemVisible(on, 'gas_ld')).toBe(true);
    expect(on.hidden).toEqual([]);
  });

  it('sets a group of systems at once without duplicates', () => {
    const a = updateVisibility(initialVisibility, { type: 'visibility/toggleSystem', system: 'elektriciteit_ls' });
    const b = updateVisibility(a, { type: 'visibility/setSystems', systems: ['elektriciteit_ls', 'elektriciteit_ms'], visible: false });
    expect([...b.hidden].sort()).toEqual(['elektriciteit_ls', 'elektriciteit_ms']);
    const c = updateVisibility(b, { type: 'visibility/setSystems', systems: ['elektriciteit_ms'], visible: true });
    expect(c.hidden).toEqual(['elektriciteit_ls']);
  });

  it('toggles and sets the planned works', () => {
    const off = updateVisibility(initialVisibility, { type: 'visibility/toggleWorks' });
    expect(off.works).toBe(false);
    expect(updateVisibility(off, { type: 'visibility/setWorks', visible: true }).works).toBe(true);
    expect(updateVisibility(off, { type: 'visibility/setWorks', visible: false })).toBe(off);
  });

  it('toggles the dig moratoria on their own', () => {
    expect(initialVisibility.moratoria).toBe(true);
    const off = updateVisibility(initialVisibility, { type: 'visibility/toggleMoratoria' });
    expect(off).toEqual({ ...initialVisibility, moratoria: false });
    expect(updateVisibility(off, { type: 'visibility/toggleMoratoria' }).moratoria).toBe(true);
  });

  it('does not mutate the previous state', () => {
    const before = { hidden: [], works: true, moratoria: true } as const;
    const frozen = Object.freeze({ ...before, hidden: Object.freeze([]) });
    const after = updateVisibility(frozen, { type: 'visibility/toggleSystem', system: 'telecom' });
    expect(frozen.hidden).toEqual([]);
    expect(after.hidden).toEqual(['telecom']);
  });
});
