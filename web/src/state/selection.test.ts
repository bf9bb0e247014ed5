import { describe, expect, it } from 'vitest';
import { initialSelection, isSelected, updateSelection } from './selection.ts';

describe('updateSelection', () => {
  it('selects an asset and a work', () => {
    const a = updateSelection(initialSelection, { type: 'selection/select', kind: 'asset', id: 7 });
    expect(a).toEqual({ kind: 'asset', id: 7 });
    const w = updateSelection(a, { type: 'selection/select', kind: 'work', id: 7 });
    expect(w).toEqual({ kind: 'work', id: 7 });
    expect(isSelected(w, 'work', 7)).toBe(true);
    expect(isSelected(w, 'asset', 7)).toBe(false);
  });

  it('selects a moratorium apart from a work with the same id', () => {
    const w = updateSelection(null, { type: 'selection/select', kind: 'work', id: 3 });
    const m = updateSelection(w, { type: 'selection/select', kind: 'moratorium', id: 3 });
    expect(m).toEqual({ kind: 'moratorium', id: 3 });
    expect(isSelected(m, 'moratorium', 3)).toBe(true);
    expect(isSelected(m, 'work', 3)).toBe(false);
  });

  it('keeps the same object when selecting the same feature again', () => {
    const a = updateSelection(null, { type: 'selection/select', kind: 'asset', id: 1 });
    expect(updateSelection(a, { type: 'selection/select', kind: 'asset', id: 1 })).toBe(a);
  });

  it('clears', () => {
    const a = updateSelection(null, { type: 'selection/select', kind: 'asset', id: 1 });
    expect(updateSelection(a, { type: 'selection/clear' })).toBeNull();
    expect(isSelected(null, 'asset', 1)).toBe(false);
  });
});
