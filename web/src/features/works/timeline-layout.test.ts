import { describe, expect, it } from 'vitest';
import type { WorkProperties } from '../../api/types.ts';
import { MIN_BAR_PX, extentOf, isMoveKey, layoutTimeline, moveFocus, tabStop, timeScale, timeTicks, type TimelineInput } from './timeline-layout.ts';
import { NONE_KEY } from './works-filter.ts';

const labels = { quarter: (n: number) => `K${n}`, month: (day: string) => `m${day.slice(5, 7)}` };
const w = (properties: WorkProperties): { properties: WorkProperties } => ({ properties });

describe('timeScale', () => {
  // 2026 has 365 days: 1 px per day
  const scale = timeScale({ from: '2026-01-01', to: '2026-12-31' }, 365);

  it('maps days to pixels, the end of a day one day further', () => {
    expect(scale.x('2026-01-01')).toBe(0);
    expect(scale.x('2026-02-01')).toBe(31);
    expect(scale.xEnd('2026-01-01')).toBe(1);
    expect(scale.xEnd('2026-12-31')).toBe(365);
  });

  it('clamps days outside the range', () => {
    expect(scale.x('2025-06-01')).toBe(0);
    expect(scale.xEnd('2027-06-01')).toBe(365);
  });

  it('gives a one-day work a minimum width that stays inside the axis', () => {
    expect(extentOf(scale, { from: '2026-03-01', to: '2026-03-01' }, MIN_BAR_PX)).toEqual({ x: 59, width: MIN_BAR_PX });
    expect(extentOf(scale, { from: '2026-12-31', to: '2026-12-31' }, MIN_BAR_PX)).toEqual({ x: 365 - MIN_BAR_PX, width: MIN_BAR_PX });
  });
});

describe('timeTicks', () => {
  it('shows years, quarters and months when there is room', () => {
    const ticks = timeTicks(timeScale({ from: '2025-12-15', to: '2026-12-31' }, 2000), labels);
    expect(ticks[0]).toMatchObject({ day: '2026-01-01', level: 'year', label: '2026' });
    expect(ticks.filter((t) => t.level === 'quarter').map((t) => t.label)).toEqual(['K2', 'K3', 'K4']);
    expect(ticks.filter((t) => t.level === 'month')).toHaveLength(8);
    expect(ticks.find((t) => t.day === '2026-02-01')?.label).toBe('m02');
  });

  it('drops months, then quarters, then every other year as the axis narrows', () => {
    const range = { from: '2020-01-01', to: '2029-12-31' };
    expect(new Set(timeTicks(timeScale(range, 2000), labels).map((t) => t.level))).toEqual(new Set(['year', 'quarter']));
    const years = timeTicks(timeScale(range, 300), labels);
    expect(years.every((t) => t.level === 'year')).toBe(true);
    expect(years.map((t) => t.label)).toEqual(['2020', '2022', '2024', '2026', '2028']);
  });
});

describe('layoutTimeline', () => {
  const works = [
    w({ id: 1, title: 'Riool', owner: 'maasgouw', ownerName: 'Gemeente', systems: ['riool_vrijverval', 'drinkwater'], earliestStart: '2026-01-01', preferredStart: '2026-03-01', preferredEnd: '2026-04-30', latestEnd: '2026-06-30' }),
    w({ id: 2, title: 'KLIC', startDate: '2026-02-01', endDate: '2026-02-10' }),
    w({ id: 3, title: 'Water', owner: 'wml', ownerName: 'WML', systems: ['drinkwater'], preferredStart: '2026-01-15', preferredEnd: '2026-02-15' }),
    w({ id: 4, title: 'Zonder datum', owner: 'wml', ownerName: 'WML', systems: ['drinkwater'] }),
  ];
  const input = (over: Partial<TimelineInput> = {}): TimelineInput => ({
    works,
    groupBy: 'owner',
    range: { from: '2026-01-01', to: '2026-12-31' },
    window: null,
    width: 365,
    colourOf: (p) => (p.owner === 'wml' ? '#0072b2' : '#8c8c8c'),
    titleOf: (p) => p.title ?? '',
    groupLabel: (_f, o) => o.name ?? o.key,
    tickLabels: labels,
    ...over,
  });

  it('groups by owner, dated works first by start, undated without bars', () => {
    const layout = layoutTimeline(input());
    expect(layout.groups.map((g) => [g.label, g.bars.map((b) => b.id)])).toEqual([
      ['Gemeente', [1]],
      ['WML', [3, 4]],
      [NONE_KEY, [2]],
    ]);
    const water = layout.groups[1]?.bars[0];
    expect(water).toMatchObject({ key: 'wml:3', colour: '#0072b2', flex: { x: 14, width: 32 }, inner: { x: 0, width: 32 } });
    expect(layout.groups[1]?.bars[1]).toMatchObject({ id: 4, flex: null, inner: null, span: null });
    expect(layout.order).toEqual(['maasgouw:1', 'wml:3', 'wml:4', `${NONE_KEY}:2`]);
  });

  it('draws the preferred window inside the flex window', () => {
    const sewer = layoutTimeline(input()).groups[0]?.bars[0];
    // flex 1 Jan – 30 Jun (181 days), preferred 1 Mar – 30 Apr (61 days) starting on day 59
    expect(sewer?.flex).toEqual({ x: 0, width: 181 });
    expect(sewer?.inner).toEqual({ x: 59, width: 61 });
  });

  it('puts a work with several systems under each, the first bar marked; no system under "none"', () => {
    const layout = layoutTimeline(input({ groupBy: 'system' }));
    expect(layout.groups.map((g) => [g.key, g.bars.map((b) => b.id)])).toEqual([
      ['riool_vrijverval', [1]],
      ['drinkwater', [1, 3, 4]],
      [NONE_KEY, [2]],
    ]);
    const firsts = layout.groups.flatMap((g) => g.bars.filter((b) => b.first).map((b) => b.key));
    expect(firsts).toEqual(['riool_vrijverval:1', 'drinkwater:3', 'drinkwater:4', `${NONE_KEY}:2`]);
    expect(layout.groups[1]?.bars[0]).toMatchObject({ key: 'drinkwater:1', first: false });
  });

  it('shades the time window, clamped to the axis; none without a window or outside the axis', () => {
    expect(layoutTimeline(input()).window).toBeNull();
    expect(layoutTimeline(input({ window: { from: '2026-02-01', to: '2026-02-28' } })).window).toEqual({ x: 31, width: 28 });
    expect(layoutTimeline(input({ window: { from: '2025-06-01', to: '2026-01-31' } })).window).toEqual({ x: 0, width: 31 });
    expect(layoutTimeline(input({ window: { from: '2027-01-01', to: '2027-02-01' } })).window).toBeNull();
  });

  it('without any dates keeps the rows but draws no bars or ticks', () => {
    const layout = layoutTimeline(input({ range: null }));
    expect(layout.ticks).toEqual([]);
    expect(layout.groups.flatMap((g) => g.bars).every((b) => b.flex === null)).toBe(true);
    expect(layout.order).toHaveLength(4);
  });
});

describe('keyboard', () => {
  const order = ['a:1', 'a:2', 'b:3'];

  it('moves to the next and previous bar, stopping at the ends', () => {
    expect(moveFocus(order, 'a:1', 'ArrowDown')).toBe('a:2');
    expect(moveFocus(order, 'a:2', 'ArrowRight')).toBe('b:3');
    expect(moveFocus(order, 'b:3', 'ArrowDown')).toBe('b:3');
    expect(moveFocus(order, 'a:2', 'ArrowUp')).toBe('a:1');
    expect(moveFocus(order, 'a:1', 'ArrowLeft')).toBe('a:1');
    expect(moveFocus(order, 'a:2', 'Home')).toBe('a:1');
    expect(moveFocus(order, 'a:1', 'End')).toBe('b:3');
    expect(moveFocus(order, 'gone', 'ArrowDown')).toBe('a:1');
    expect(moveFocus([], null, 'ArrowDown')).toBeNull();
  });

  it('knows the move keys', () => {
    expect(isMoveKey('ArrowDown')).toBe(true);
    expect(isMoveKey('Enter')).toBe(false);
  });

  it('puts the Tab stop on the selected work, else on the first bar', () => {
    const layout = { groups: [{ key: 'a', label: 'A', bars: [{ key: 'a:1', id: 1 }, { key: 'a:2', id: 2 }] }], ticks: [], window: null, order: ['a:1', 'a:2'] };
    const l = layout as unknown as Parameters<typeof tabStop>[0];
    expect(tabStop(l, 2)).toBe('a:2');
    expect(tabStop(l, null)).toBe('a:1');
    expect(tabStop(l, 99)).toBe('a:1');
  });
});
