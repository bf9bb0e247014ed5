import { describe, expect, it } from 'vitest';
import { conflicts, resolveMerge, threeWayMerge, unresolved } from './merge.ts';
import { WORK_FIELDS, workChange, workValues, newWorkForm, type WorkValues } from './work-form.ts';

const base: WorkValues = {
  ...workValues({ ...newWorkForm('gemeente-x'), title: 'Riool Dorpsstraat', kind: 'vervanging riool', preferredStart: '2026-05-01', preferredEnd: '2026-06-30' }),
  geometry: { type: 'LineString', coordinates: [[5.1, 52.1], [5.2, 52.1]] },
};

describe('threeWayMerge', () => {
  it('takes by itself what only one side changed', () => {
    const mine = { ...base, title: 'Riool en water Dorpsstraat' };
    const theirs = { ...base, status: 'in voorbereiding', costEstimate: 90000 };
    const plan = threeWayMerge(WORK_FIELDS, base, mine, theirs);
    expect(plan.rows.map((r) => [r.field, r.auto, r.conflict])).toEqual([
      ['title', 'mine', false],
      ['status', 'theirs', false],
      ['costEstimate', 'theirs', false],
    ]);
    expect(conflicts(plan)).toEqual([]);
    const merged = resolveMerge(plan, {}, mine, theirs);
    expect([merged.title, merged.status, merged.costEstimate]).toEqual(['Riool en water Dorpsstraat', 'in voorbereiding', 90000]);
    // sent against theirs: only my change
    expect(workChange(theirs, merged)).toEqual({ title: 'Riool en water Dorpsstraat' });
  });

  it('makes a field both changed differently a conflict the user decides', () => {
    const mine = { ...base, preferredEnd: '2026-07-15' };
    const theirs = { ...base, preferredEnd: '2026-08-01' };
    const plan = threeWayMerge(WORK_FIELDS, base, mine, theirs);
    expect(conflicts(plan)).toEqual(['preferredEnd']);
    expect(unresolved(plan, {})).toEqual(['preferredEnd']);
    expect(() => resolveMerge(plan, {}, mine, theirs)).toThrow(/undecided: preferredEnd/);
    expect(resolveMerge(plan, { preferredEnd: 'mine' }, mine, theirs).preferredEnd).toBe('2026-07-15');
    expect(resolveMerge(plan, { preferredEnd: 'theirs' }, mine, theirs).preferredEnd).toBe('2026-08-01');
  });

  it('needs nothing for a field both changed the same way', () => {
    const plan = threeWayMerge(WORK_FIELDS, base, { ...base, contact: 'Piet' }, { ...base, contact: 'Piet' });
    expect(plan.rows).toEqual([]);
  });

  it('compares geometries by value, and lets the user override an automatic choice', () => {
    const moved = { type: 'LineString' as const, coordinates: [[5.1, 52.1], [5.25, 52.1]] };
    const mine = { ...base, geometry: moved };
    const theirs = { ...base, geometry: { type: 'LineString' as const, coordinates: [[5.1, 52.1], [5.2, 52.1]] }, title: 'Anders' };
    const plan = threeWayMerge(WORK_FIELDS, base, mine, theirs);
    expect(plan.rows.map((r) => [r.field, r.auto])).toEqual([['title', 'theirs'], ['geometry', 'mine']]);
    const merged = resolveMerge(plan, { title: 'mine' }, mine, theirs);
    expect([merged.title, merged.geometry]).toEqual(['Riool Dorpsstraat', moved]);
  });
});
