import { describe, expect, it } from 'vitest';
import { MoratoriumChange } from '@model/moratorium.ts';
import { moratoriumChange, moratoriumFormFrom, moratoriumValues, moratoriumValuesFrom, newMoratoriumForm, validateMoratorium } from './moratorium-form.ts';

const street = { type: 'LineString' as const, coordinates: [[5.1, 52.1], [5.1005, 52.1]] };
const loaded = { id: 3, from: '2026-01-01', until: '2030-12-31', reason: 'Nieuwe bestrating', exceptions: ['nieuwe aansluiting', 'spoed'], version: 2, geometry: street };

describe('moratorium form', () => {
  it('starts with a five-year term and the usual exceptions', () => {
    expect(newMoratoriumForm('2026-03-01')).toMatchObject({ from: '2026-03-01', until: '2031-03-01', exceptions: ['spoed', 'nieuwe aansluiting'] });
  });

  it('accepts a complete moratorium', () => {
    const r = validateMoratorium({ ...newMoratoriumForm('2026-03-01'), reason: 'Nieuw asfalt', geometry: street });
    expect(r.ok).toBe(true);
  });

  it('says the end lies before the start, and what is missing', () => {
    const r = validateMoratorium({ from: '2026-03-01', until: '2026-02-01', reason: '', exceptions: [], geometry: null });
    if (r.ok) throw new Error('expected errors');
    expect(r.errors.until).toEqual({ key: 'editErrorUntilBeforeFrom', vars: { date: '2026-03-01' } });
    expect(r.errors.reason?.key).toBe('editErrorRequired');
    expect(r.errors.geometry?.key).toBe('editErrorGeometryRequired');
  });

  it('refuses an exception that is not in the list', () => {
    const r = validateMoratorium({ ...moratoriumFormFrom(loaded), exceptions: ['altijd'] });
    expect(r.ok ? null : r.errors.exceptions?.key).toBe('editErrorChoose');
  });

  it('changes only what changed; exceptions compared in list order', () => {
    const base = moratoriumValuesFrom(loaded);
    expect(base.exceptions).toEqual(['spoed', 'nieuwe aansluiting']);
    expect(moratoriumChange(base, moratoriumValues({ ...moratoriumFormFrom(loaded), exceptions: ['spoed', 'nieuwe aansluiting'] }))).toEqual({});
    expect(moratoriumChange(base, moratoriumValues({ ...moratoriumFormFrom(loaded), until: '2031-06-30' }))).toEqual({ until: '2031-06-30' });
  });

  it('a change of the reason alone parses to the reason alone (no default fills the exceptions)', () => {
    const base = moratoriumValuesFrom({ ...loaded, exceptions: ['relining'] });
    const change = moratoriumChange(base, moratoriumValues({ ...moratoriumFormFrom(loaded), exceptions: ['relining'], reason: 'Nieuw asfalt' }));
    expect(MoratoriumChange.parse(change)).toEqual({ reason: 'Nieuw asfalt' });
  });
});
