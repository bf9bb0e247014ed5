import { describe, expect, it } from 'vitest';
import { trapIndex } from './focus-trap.ts';

describe('trapIndex', () => {
  it('wraps Tab from the last element to the first and Shift+Tab from the first to the last', () => {
    expect(trapIndex(4, 3, false)).toBe(0);
    expect(trapIndex(4, 0, true)).toBe(3);
  });

  it('lets the browser move focus inside the dialog', () => {
    expect(trapIndex(4, 1, false)).toBeNull();
    expect(trapIndex(4, 2, true)).toBeNull();
  });

  it('brings focus back in from the heading (or from outside)', () => {
    expect(trapIndex(4, -1, false)).toBe(0);
    expect(trapIndex(4, -1, true)).toBe(3);
    expect(trapIndex(0, -1, false)).toBeNull();
  });
});
