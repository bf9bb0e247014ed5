import { describe, expect, it } from 'vitest';
import { moveHandle, sliderPositions } from './slider.ts';

const range = { from: '2026-01-01', to: '2026-12-31' };

describe('sliderPositions', () => {
  it('stands at the ends without a window', () => {
    expect(sliderPositions(range, null)).toEqual({ max: 364, from: 0, to: 364 });
  });

  it('places the handles on the window, clamped to the range', () => {
    expect(sliderPositions(range, { from: '2026-02-01', to: '2026-03-01' })).toEqual({ max: 364, from: 31, to: 59 });
    expect(sliderPositions(range, { from: '2025-01-01', to: '2030-01-01' })).toEqual({ max: 364, from: 0, to: 364 });
  });

  it('has one position for a one-day range', () => {
    expect(sliderPositions({ from: '2026-05-05', to: '2026-05-05' }, null)).toEqual({ max: 0, from: 0, to: 0 });
  });
});

describe('moveHandle', () => {
  it('moves one handle and keeps the other', () => {
    expect(moveHandle(range, null, 'from', 31)).toEqual({ from: '2026-02-01', to: '2026-12-31' });
    expect(moveHandle(range, { from: '2026-02-01', to: '2026-12-31' }, 'to', 59)).toEqual({ from: '2026-02-01', to: '2026-03-01' });
  });

  it('pushes the other handle along when crossing it', () => {
    const w = { from: '2026-02-01', to: '2026-03-01' };
    expect(moveHandle(range, w, 'from', 100)).toEqual({ from: '2026-04-11', to: '2026-04-11' });
    expect(moveHandle(range, w, 'to', 10)).toEqual({ from: '2026-01-11', to: '2026-01-11' });
  });

  it('clamps and rounds the index', () => {
    expect(moveHandle(range, null, 'to', 999)).toEqual(range);
    expect(moveHandle(range, null, 'from', -5)).toEqual(range);
    expect(moveHandle(range, null, 'from', 30.6)).toEqual({ from: '2026-02-01', to: '2026-12-31' });
  });
});
