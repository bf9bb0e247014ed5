/**
 * A long works timeline in real Chromium (issue 9, client): an area with 400 planned works (TEST
 * works, created through the API by this file; the demo's KLIC requests filtered away by owner
 * as a user does, so the timeline is one group in start order) draws only the rows in and near the scrolled view,
 * yet the user sees no gap anywhere while scrolling with the wheel, reaches the first and the last
 * work with Home and End, moves with the arrow keys into rows that were not drawn yet, and the
 * selected work's row stays in the page when scrolled far away.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, openAppPage, waitForMapIdle } from '../helpers/app-page.ts';

const N = 400;
let ctx: AppPage;
let page: Page;
let base = '';
let csrf = '';
/** ids in the order of the timeline (one group: every work is the municipality's; by start date) */
const ids: number[] = [];

const day = (i: number): string => {
  const d = new Date(Date.UTC(2027, 0, 1 + i * 3));
  return d.toISOString().slice(0, 10);
};

async function plan(i: number, centre: { lng: number; lat: number }): Promise<number> {
  const x = centre.lng + ((i % 20) - 10) * 0.0004;
  const y = centre.lat + (Math.floor(i / 20) - 10) * 0.0003;
  const res = await page.request.post(`${base}/api/works`, {
    data: {
      title: `Testwerk ${String(i + 1).padStart(3, '0')}`, kind: 'vervanging riool', systems: ['riool_vrijverval'], trenchWidth: 1,
      preferredStart: day(i), preferredEnd: day(i + 10), geometry: { type: 'LineString', coordinates: [[x, y], [x + 0.0002, y]] },
    },
    headers: { 'x-csrf-token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
  return Number(((await res.json()) as { id: number }).id);
}

const body = () => page.locator('#works-timeline-body');
const barsInPage = (): Promise<number> => page.locator('#works-timeline-body .timeline-bar').count();
const focusedWork = (): Promise<number | null> => page.evaluate(() => {
  const id = (document.activeElement as HTMLElement | null)?.dataset['workId'];
  return id === undefined ? null : Number(id);
});

/** Whether the focused element lies inside the scrolled view of the timeline, below its sticky axis. */
const focusedInView = (): Promise<boolean> => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  const b = document.getElementById('works-timeline-body')?.getBoundingClientRect();
  if (!el || !b) return false;
  const r = el.getBoundingClientRect();
  return r.top >= b.top + 20 && r.bottom <= b.bottom + 1;
});

/** What lies under a column of points across the timeline's scrolled view (below the axis): a row, a group title, or a gap. */
const underView = (): Promise<string[]> => page.evaluate(() => {
  const b = document.getElementById('works-timeline-body')?.getBoundingClientRect();
  if (!b) return ['no timeline'];
  const out: string[] = [];
  for (let y = b.top + 30; y < b.bottom - 4; y += 11) {
    const el = document.elementFromPoint(b.left + 60, y);
    out.push(el?.closest('.timeline-row') ? 'row' : el?.closest('.timeline-group-title') ? 'title' : `gap at ${Math.round(y - b.top)} px: ${el?.className ?? 'nothing'}`);
  }
  return out;
});

beforeAll(async () => {
  ctx = await openAppPage('e2e_timeline', 'analist@maasgouw.demo', { demoPlanning: false });
  ({ page } = ctx);
  base = ctx.app.baseUrl;
  csrf = ((await (await page.request.get(`${base}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken;
  const centre = await page.evaluate(() => (window as unknown as { __samenhang: { map: { getCenter(): { lng: number; lat: number } } } }).__samenhang.map.getCenter());
  for (let i = 0; i < N; i += 8) ids.push(...(await Promise.all(Array.from({ length: Math.min(8, N - i) }, (_, k) => plan(i + k, centre)))));
  await page.reload();
  await waitForMapIdle(page);
}, 240_000);

afterAll(async () => {
  await ctx?.close();
});

describe('a timeline of 400 works', () => {
  it('counts every work but puts only the rows near the view in the page', async () => {
    await page.getByTestId('filter-owner').locator('summary').click();
    await page.getByTestId('filter-owner-none').click();
    await page.getByTestId('filter-owner-maasgouw').check();
    await page.getByTestId('filter-owner').locator('summary').click();
    await expect.poll(() => page.getByTestId('timeline-count').innerText(), { timeout: 15_000 }).toMatch(new RegExp(`^${N} van \\d+$`));
    expect(Number(await page.getByTestId('timeline-rows').getAttribute('data-rows'))).toBe(N + 1);
    const drawn = await barsInPage();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(80);
    expect(await page.getByTestId(`timeline-bar-${ids[0]}`).count()).toBe(1);
    expect(await page.getByTestId(`timeline-bar-${ids[N - 1]}`).count()).toBe(0);
    expect(ctx.errors).toEqual([]);
  });

  it('shows rows without gaps wherever the wheel scrolls it, down to the last work', async () => {
    const box = await body().boundingBox();
    if (!box) throw new Error('no timeline body');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    expect((await underView()).filter((s) => s !== 'row' && s !== 'title')).toEqual([]);
    let last = -1;
    for (let i = 0; i < 200; i++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(30);
      const top = await body().evaluate((el) => el.scrollTop);
      expect((await underView()).filter((s) => s !== 'row' && s !== 'title')).toEqual([]);
      expect(await barsInPage()).toBeLessThan(80);
      if (top === last) break;
      last = top;
    }
    expect(await body().evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)).toBe(true);
    await expect.poll(() => page.getByTestId(`timeline-bar-${ids[N - 1]}`).count()).toBe(1);
    // far from the view and not the Tab stop (the first bar is, while nothing is selected): not in the page
    expect(await page.getByTestId(`timeline-bar-${ids[N / 2]}`).count()).toBe(0);
  });

  it('Home, End and the arrow keys move the focus into rows that were not drawn, and keep it in view', async () => {
    await page.getByTestId(`timeline-bar-${ids[N - 1]}`).focus();
    await page.keyboard.press('Home');
    await expect.poll(focusedWork).toBe(ids[0]);
    expect(await focusedInView()).toBe(true);
    for (let k = 1; k <= 30; k++) await page.keyboard.press('ArrowDown');
    await expect.poll(focusedWork).toBe(ids[30]);
    expect(await focusedInView()).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(focusedWork).toBe(ids[N - 1]);
    expect(await focusedInView()).toBe(true);
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedWork).toBe(ids[N - 2]);
  });

  it('keeps the selected work in the page when the timeline scrolls away from it; it is the Tab stop', async () => {
    const selected = ids[N - 2] ?? 0;
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('detail-panel').innerText(), { timeout: 15_000 }).toContain(`Testwerk ${String(N - 1).padStart(3, '0')}`);
    await body().evaluate((el) => {
      el.scrollTop = 0;
    });
    // the scroll is followed on the next frame, which the map's flight to the work can delay
    await expect.poll(() => page.getByTestId(`timeline-bar-${ids[0]}`).count(), { timeout: 15_000 }).toBe(1);
    const bar = page.getByTestId(`timeline-bar-${selected}`);
    expect(await bar.count()).toBe(1);
    expect(await page.getByTestId(`timeline-bar-${ids[N / 2]}`).count()).toBe(0);
    expect(await bar.getAttribute('aria-pressed')).toBe('true');
    // far from its group's title, the bar is still inside a group named for assistive technology
    expect(await bar.locator('xpath=ancestor::*[@role="group"][1]').getAttribute('aria-label')).toContain('Maasgouw');
    expect(await bar.getAttribute('tabindex')).toBe('0');
    expect(await page.locator('#works-timeline-body .timeline-bar[tabindex="0"]').count()).toBe(1);
    expect(ctx.errors).toEqual([]);
  });
});
