import { describe, expect, it } from 'vitest';
import type { WorkProperties } from '../../api/types.ts';
import { layoutTimeline, type TimelineInput } from './timeline-layout.ts';
import { GROUP_PX, OVERSCAN_PX, ROW_PX, WINDOW_ABOVE_ROWS, groupRuns, rowsToDraw, timelineRows } from './timeline-rows.ts';

const OWNERS = ['gemeente', 'wml', 'enexis', 'kpn'];

/** n works, spread over four owners; every third one on two systems. */
function works(n: number): { properties: WorkProperties }[] {
  return Array.from({ length: n }, (_, i) => ({
    properties: {
      id: i + 1, title: `Werk ${i + 1}`, owner: OWNERS[i % 4] ?? null, ownerName: OWNERS[i % 4] ?? null,
      systems: i % 3 === 0 ? ['drinkwater', 'gas_ld'] : ['riool_vrijverval'],
      preferredStart: `2027-0${(i % 9) + 1}-01`, preferredEnd: `2027-0${(i % 9) + 1}-20`,
    },
  }));
}

const input = (n: number, groupBy: TimelineInput['groupBy'] = 'owner'): TimelineInput => ({
  works: works(n), groupBy, range: { from: '2027-01-01', to: '2027-12-31' }, window: null, width: 365,
  colourOf: () => '#000000', titleOf: (p) => p.title ?? '', groupLabel: (_f, o) => o.key, tickLabels: { quarter: (q) => `K${q}`, month: (d) => d },
});

describe('timelineRows', () => {
  it('stacks a title per group and a row per bar at fixed heights, in the order of the arrow keys', () => {
    const layout = layoutTimeline(input(10));
    const t = timelineRows(layout);
    expect(t.rows.filter((r) => r.kind === 'group')).toHaveLength(4);
    expect(t.rows.filter((r) => r.kind === 'bar').map((r) => r.key)).toEqual(layout.order);
    expect(t.height).toBe(4 * GROUP_PX + 10 * ROW_PX);
    for (let i = 1; i < t.rows.length; i++) {
      const prev = t.rows[i - 1];
      expect(t.rows[i]?.top).toBe((prev?.top ?? 0) + (prev?.kind === 'group' ? GROUP_PX : ROW_PX));
    }
    for (const [key, i] of t.indexOf) expect(t.rows[i]?.key).toBe(key);
  });

  it('knows every row of a work that appears under several systems', () => {
    const t = timelineRows(layoutTimeline(input(10, 'system')));
    // work 1 (index 0) is on drinkwater and gas_ld
    expect(t.rowsOfWork.get(1)?.map((i) => t.rows[i]?.key).sort()).toEqual(['drinkwater:1', 'gas_ld:1']);
  });
});

describe('rowsToDraw', () => {
  it('draws every row of a short timeline wherever it is scrolled', () => {
    const t = timelineRows(layoutTimeline(input(40)));
    expect(t.rows.length).toBeLessThanOrEqual(WINDOW_ABOVE_ROWS);
    expect(rowsToDraw(t, 5000, 200)).toEqual(t.rows.map((_, i) => i));
  });

  it('draws only the rows near the view of a long timeline, plus the ones that must stay', () => {
    const t = timelineRows(layoutTimeline(input(2000)));
    const viewTop = 10_000;
    const viewHeight = 250;
    const drawn = rowsToDraw(t, viewTop, viewHeight);
    // every row that overlaps the view and its overscan is there, and nothing else
    const expected = t.rows.flatMap((r, i) => {
      const h = r.kind === 'group' ? GROUP_PX : ROW_PX;
      return r.top + h > viewTop - OVERSCAN_PX && r.top < viewTop + viewHeight + OVERSCAN_PX ? [i] : [];
    });
    expect(drawn.slice(0, expected.length)).toEqual(expected);
    expect(drawn.length).toBeLessThanOrEqual(expected.length + 1);
    expect(drawn.length).toBeLessThan(80);

    const last = t.rows.length - 1;
    const lastKey = t.rows[last]?.key ?? '';
    const withKept = rowsToDraw(t, viewTop, viewHeight, [lastKey, null, 'no-such-bar'], 1);
    expect(withKept).toContain(last);
    expect(withKept).toContain(t.indexOf.get(`${OWNERS[0]}:1`));
    expect(withKept).toEqual([...withKept].sort((a, b) => a - b));
    expect(new Set(withKept).size).toBe(withKept.length);
  });

  it('draws the first rows at the top and the last rows at the bottom', () => {
    const t = timelineRows(layoutTimeline(input(1000)));
    expect(rowsToDraw(t, -24, 250)[0]).toBe(0);
    expect(rowsToDraw(t, t.height - 250, 250).at(-1)).toBe(t.rows.length - 1);
    expect(rowsToDraw(t, t.height + 10_000, 250)).toEqual([]);
  });
});

describe('groupRuns', () => {
  it('cuts the drawn rows into one run per group, also where a group title is not drawn', () => {
    const t = timelineRows(layoutTimeline(input(2000)));
    const drawn = rowsToDraw(t, 0, 250, [t.rows.at(-1)?.key ?? null]);
    const runs = groupRuns(t, drawn);
    expect(runs.flatMap((r) => r.rows)).toEqual(drawn);
    expect(runs).toHaveLength(2);
    expect(runs[0]?.group).toBe(t.rows[0]?.group);
    // the last group's title is far from the view: its run holds only the kept bar, yet knows its group
    expect(runs[1]?.group).toBe(t.rows.at(-1)?.group);
    expect(runs[1]?.rows).toEqual([t.rows.length - 1]);
    for (const r of runs) for (const i of r.rows) expect(t.rows[i]?.group).toBe(r.group);
  });
});
