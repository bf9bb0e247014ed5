/** The two-handle time slider as numbers: day indices over the full range. Pure. */
import { addDays, daysBetween, type DayWindow } from './dates.ts';

export interface SliderPositions {
  /** Index of the last day (the inputs' max); 0 when the range is one day. */
  max: number;
  from: number;
  to: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Where the handles stand: at the ends when no window is set. */
export function sliderPositions(range: DayWindow, window: DayWindow | null): SliderPositions {
  const max = Math.max(0, daysBetween(range.from, range.to));
  if (window === null) return { max, from: 0, to: max };
  const from = clamp(daysBetween(range.from, window.from), 0, max);
  const to = clamp(daysBetween(range.from, window.to), from, max);
  return { max, from, to };
}

/**
 * The window after moving one handle to `index`; the other handle is pushed along when crossed,
 * so the window never turns inside out.
 */
export function moveHandle(range: DayWindow, window: DayWindow | null, handle: 'from' | 'to', index: number): DayWindow {
  const p = sliderPositions(range, window);
  const at = clamp(Math.round(index), 0, p.max);
  const from = handle === 'from' ? at : Math.min(p.from, at);
  const to = handle === 'to' ? at : Math.max(p.to, at);
  return { from: addDays(range.from, from), to: addDays(range.from, to) };
}
