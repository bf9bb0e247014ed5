/**
 * The Gantt-like timeline as plain numbers: groups (per owner or per system) of rows, one row per
 * work with a light bar for its flex window and a solid one for its preferred window, an x scale
 * from days to pixels, and year/quarter/month ticks. Pure: the component only draws this.
 *
 * A work with several systems appears under each of them when grouped by system; one without a
 * system under "no system". Works without dates keep their row, without bars.
 */
import type { WorkProperties } from '../../api/types.ts';
import { daysBetween, overlaps, type DayWindow } from './dates.ts';
import { facetKeys, facetOptions, preferredSpan, workSpan, type FacetOption, type GroupBy } from './works-filter.ts';

export interface TimeScale {
  readonly range: DayWindow;
  readonly width: number;
  readonly pxPerDay: number;
  /** Left edge of a day (clamped to the range). */
  x(day: string): number;
  /** Right edge of a day (clamped to the range). */
  xEnd(day: string): number;
}

export function timeScale(range: DayWindow, width: number): TimeScale {
  const days = Math.max(1, daysBetween(range.from, range.to) + 1);
  const pxPerDay = width / days;
  const clamp = (v: number): number => Math.min(width, Math.max(0, v));
  return {
    range,
    width,
    pxPerDay,
    x: (day) => clamp(daysBetween(range.from, day) * pxPerDay),
    xEnd: (day) => clamp((daysBetween(range.from, day) + 1) * pxPerDay),
  };
}

/** A horizontal extent in pixels. */
export interface Extent {
  x: number;
  width: number;
}

/** Narrowest bar drawn, so a one-day work stays visible and clickable. */
export const MIN_BAR_PX = 6;

export function extentOf(scale: TimeScale, w: DayWindow, min = 0): Extent {
  const x = scale.x(w.from);
  const width = Math.max(min, scale.xEnd(w.to) - x);
  return { x: Math.min(x, Math.max(0, scale.width - width)), width };
}

// ---------- ticks ----------

export type TickLevel = 'year' | 'quarter' | 'month';

export interface Tick {
  day: string;
  x: number;
  level: TickLevel;
  label: string;
}

export interface TickLabels {
  /** 1..4 → e.g. 'K1' / 'Q1' */
  quarter(n: number): string;
  /** First of a month → e.g. 'mrt' / 'Mar' */
  month(day: string): string;
}

const monthStart = (year: number, month: number): string => new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);

/**
 * The first of every month inside the range, as a tick when there is room: years always (every
 * n-th year when even those are crowded), quarters when a quarter is at least `minGap` pixels
 * wide, months when a month is.
 */
export function timeTicks(scale: TimeScale, labels: TickLabels, minGap = 40): Tick[] {
  const monthPx = scale.pxPerDay * 30.44;
  const showMonths = monthPx >= minGap;
  const showQuarters = monthPx * 3 >= minGap;
  const yearStep = Math.max(1, Math.ceil(minGap / (monthPx * 12)));
  const { from, to } = scale.range;
  const ticks: Tick[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7)) - 1;
  for (let day = monthStart(year, month); day <= to; day = monthStart(year, month)) {
    if (day >= from) {
      const level: TickLevel | null = month === 0 ? (year % yearStep === 0 ? 'year' : null) : month % 3 === 0 && showQuarters ? 'quarter' : showMonths ? 'month' : null;
      if (level !== null) {
        const label = level === 'year' ? String(year) : level === 'quarter' ? labels.quarter(month / 3 + 1) : labels.month(day);
        ticks.push({ day, x: scale.x(day), level, label });
      }
    }
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return ticks;
}

// ---------- rows ----------

export interface TimelineBar {
  /** Unique per bar: `<group key>:<work id>` (a work may be in several system groups). */
  key: string;
  id: number;
  title: string;
  colour: string;
  span: DayWindow | null;
  preferred: DayWindow | null;
  /** The flex window in pixels; null when the work has no dates. */
  flex: Extent | null;
  /** The preferred window in pixels, relative to the flex bar's left edge; null when unknown. */
  inner: Extent | null;
  /** The work's first bar in the timeline (it carries the work's test id and is scrolled to). */
  first: boolean;
}

export interface TimelineGroup {
  key: string;
  label: string;
  bars: TimelineBar[];
}

export interface TimelineLayout {
  groups: TimelineGroup[];
  ticks: Tick[];
  /** The time window (slider) in pixels; null when no window is set or no dates are known. */
  window: Extent | null;
  /** Every bar key, top to bottom: the order of arrow-key moves. */
  order: string[];
}

export interface TimelineInput {
  works: readonly { properties: WorkProperties }[];
  groupBy: GroupBy;
  /** Extent of the x axis (the slider's full range); null when no work has a date. */
  range: DayWindow | null;
  window: DayWindow | null;
  /** Pixels available for the bars. */
  width: number;
  colourOf(p: WorkProperties): string;
  titleOf(p: WorkProperties): string;
  groupLabel(facet: 'owners' | 'systems', option: FacetOption): string;
  tickLabels: TickLabels;
}

function barOf(p: WorkProperties, groupKey: string, input: TimelineInput, scale: TimeScale | null): TimelineBar {
  const span = workSpan(p);
  const preferred = preferredSpan(p);
  const flex = scale && span ? extentOf(scale, span, MIN_BAR_PX) : null;
  let inner: Extent | null = null;
  if (scale && flex && preferred) {
    const e = extentOf(scale, preferred, 2);
    const width = Math.min(e.width, flex.width);
    inner = { x: Math.max(0, Math.min(e.x - flex.x, flex.width - width)), width };
  }
  return { key: `${groupKey}:${p.id}`, id: p.id, title: input.titleOf(p), colour: input.colourOf(p), span, preferred, flex, inner, first: false };
}

/** Dated works first, by start, then by end, title and id. */
function byTime(a: TimelineBar, b: TimelineBar): number {
  if (a.span === null || b.span === null) return (a.span === null ? 1 : 0) - (b.span === null ? 1 : 0) || a.title.localeCompare(b.title) || a.id - b.id;
  return a.span.from.localeCompare(b.span.from) || a.span.to.localeCompare(b.span.to) || a.title.localeCompare(b.title) || a.id - b.id;
}

export function layoutTimeline(input: TimelineInput): TimelineLayout {
  const { works, groupBy, range, window } = input;
  const scale = range && input.width > 0 ? timeScale(range, input.width) : null;
  const facet = groupBy === 'owner' ? 'owners' : 'systems';
  const seen = new Set<number>();
  const groups: TimelineGroup[] = facetOptions(works, facet).map((option) => {
    const bars = works
      .filter((w) => facetKeys(w.properties, facet).includes(option.key))
      .map((w) => barOf(w.properties, option.key, input, scale))
      .sort(byTime)
      .map((b) => {
        const first = !seen.has(b.id);
        seen.add(b.id);
        return { ...b, first };
      });
    return { key: option.key, label: input.groupLabel(facet, option), bars };
  });
  return {
    groups,
    ticks: scale ? timeTicks(scale, input.tickLabels) : [],
    window: scale && window && overlaps(window, scale.range) ? extentOf(scale, clampWindow(window, scale.range)) : null,
    order: groups.flatMap((g) => g.bars.map((b) => b.key)),
  };
}

function clampWindow(w: DayWindow, range: DayWindow): DayWindow {
  const from = w.from < range.from ? range.from : w.from > range.to ? range.to : w.from;
  const to = w.to > range.to ? range.to : w.to < from ? from : w.to;
  return { from, to };
}

// ---------- keyboard ----------

export type MoveKey = 'ArrowDown' | 'ArrowRight' | 'ArrowUp' | 'ArrowLeft' | 'Home' | 'End';

export function isMoveKey(key: string): key is MoveKey {
  return ['ArrowDown', 'ArrowRight', 'ArrowUp', 'ArrowLeft', 'Home', 'End'].includes(key);
}

/** The bar to focus after a key press: down/right is the next bar, up/left the previous one. */
export function moveFocus(order: readonly string[], current: string | null, key: MoveKey): string | null {
  if (order.length === 0) return null;
  if (key === 'Home') return order[0] ?? null;
  if (key === 'End') return order[order.length - 1] ?? null;
  const at = current === null ? -1 : order.indexOf(current);
  if (at === -1) return order[0] ?? null;
  const step = key === 'ArrowDown' || key === 'ArrowRight' ? 1 : -1;
  return order[Math.min(order.length - 1, Math.max(0, at + step))] ?? null;
}

/** The key of the bar that takes Tab focus: the selected work's first bar, else the first bar. */
export function tabStop(layout: TimelineLayout, selectedId: number | null): string | null {
  if (selectedId !== null) {
    for (const g of layout.groups) {
      const bar = g.bars.find((b) => b.id === selectedId);
      if (bar) return bar.key;
    }
  }
  return layout.order[0] ?? null;
}
