/** The works timeline of the report (report/timeline.ts): rows, windows clipped to the horizon, ticks, today. */
import { describe, expect, it } from 'vitest';
import { ROW, clip, dayX, layoutTimeline, timelineSvg } from './timeline.ts';

const work = (id: number, p: Partial<Parameters<typeof layoutTimeline>[0][number]> = {}) => ({
  id, title: `Werk ${id}`, status: 'gepland', earliestStart: null, preferredStart: '2027-01-01', preferredEnd: '2027-12-31', latestEnd: null, ...p,
});
const horizon = { from: '2026-01-01', to: '2030-12-31' };

describe('layoutTimeline', () => {
  it('puts one work per row and the preferred window as the bar', () => {
    const l = layoutTimeline([work(1), work(2, { preferredStart: '2029-01-01', preferredEnd: '2029-06-30' })], horizon, '2026-11-29', 800);
    expect(l.rows.map((r) => r.y)).toEqual([20, 20 + ROW]);
    const [a, b] = l.rows;
    expect(a?.bar?.x0).toBeCloseTo(dayX(Date.parse('2027-01-01') / 86_400_000, Date.parse('2026-01-01') / 86_400_000, Date.parse('2030-12-31') / 86_400_000, l.left, 800));
    expect((a?.bar?.x0 ?? 0) < (b?.bar?.x0 ?? 0)).toBe(true);
    expect(a?.flex).toBeNull(); // no slack given
    expect(l.height).toBe(20 + 2 * ROW + 4);
  });

  it('draws the slack as a line around the bar', () => {
    const l = layoutTimeline([work(1, { earliestStart: '2026-06-01', latestEnd: '2028-06-30' })], horizon, '2026-11-29');
    const r = l.rows[0];
    expect(r?.flex?.x0).toBeLessThan(r?.bar?.x0 ?? 0);
    expect(r?.flex?.x1).toBeGreaterThan(r?.bar?.x1 ?? 0);
  });

  it('clips windows to the horizon and says so', () => {
    const l = layoutTimeline([work(1, { earliestStart: '2025-01-01', preferredStart: '2025-06-01', preferredEnd: '2026-03-01', latestEnd: '2031-06-01' })], horizon, '2026-11-29', 800);
    const r = l.rows[0];
    expect(r?.before).toBe(true);
    expect(r?.after).toBe(true);
    expect(r?.bar?.x0).toBe(l.left);
    expect(r?.flex?.x1).toBeCloseTo(800 - 8);
  });

  it('leaves out a bar wholly outside the horizon', () => {
    const l = layoutTimeline([work(1, { preferredStart: '2032-01-01', preferredEnd: '2032-06-01' })], horizon, '2026-11-29');
    expect(l.rows[0]?.bar).toBeNull();
    expect(l.rows[0]?.after).toBe(true);
  });

  it('ticks every new year inside the horizon and marks today only inside it', () => {
    const l = layoutTimeline([work(1)], horizon, '2026-11-29');
    expect(l.ticks.map((t) => t.label)).toEqual(['2026', '2027', '2028', '2029', '2030']);
    expect(l.today).not.toBeNull();
    expect(layoutTimeline([work(1)], horizon, '2035-01-01').today).toBeNull();
  });
});

describe('timelineSvg', () => {
  it('escapes titles and shortens long ones', () => {
    const l = layoutTimeline([work(1, { title: '<script>alert(1)</script> & een hele lange titel die niet in de kolom met de namen past' })], horizon, '2026-11-29');
    const svg = timelineSvg(l, '#123456', 'Tijdlijn "test"');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;');
    expect(svg).toContain('aria-label="Tijdlijn &quot;test&quot;"');
    expect(svg).toContain('…');
    expect(svg).toContain('fill="#123456"');
  });

  it('clips text with an ellipsis', () => {
    expect(clip('kort', 10)).toBe('kort');
    expect(clip('een lange zin', 8)).toBe('een lan…');
  });
});
