/**
 * The demo as a visitor of `npm start` sees it (issue 6): the FICTIONAL demo planning along the
 * real networks of Maasgouw makes every kind of finding appear in the Samenhang tab, with counts
 * per type, a bundle of the werk-met-werk street with its arcs on the map, and the card explaining
 * the rule and the numbers. Signed in as the municipality's area manager.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../../api/src/model/analysis-rules.ts';
import { type AppPage, SHOTS, openAppPage, waitForMapIdle } from '../helpers/app-page.ts';

let ctx: AppPage;
let page: Page;

const hook = <T>(fn: string): Promise<T> => page.evaluate(`(() => { const s = window.__samenhang; return ${fn}; })()`) as Promise<T>;

beforeAll(async () => {
  ctx = await openAppPage('e2e_demo', 'regisseur@maasgouw.demo');
  ({ page } = ctx);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

const count = async (testId: string): Promise<number> => Number(await page.getByTestId(testId).locator('.count').innerText());

describe('the demo planning in the app', () => {
  it('shows every kind of finding, counted per type', async () => {
    await page.getByTestId('tab-analysis').click();
    const panel = page.getByTestId('analysis-panel');
    await expect.poll(() => panel.getAttribute('aria-busy'), { timeout: 60_000 }).toBe('false');
    const perType: Record<string, number> = {};
    for (const t of FINDING_TYPES) perType[t] = await count(`analysis-count-${t}`);
    for (const t of FINDING_TYPES) expect(perType[t], t).toBeGreaterThan(0);
    expect(await count('analysis-filter-all')).toBe(Object.values(perType).reduce((s, n) => s + n, 0));
    await page.screenshot({ path: path.join(SHOTS, 'demo-planning-analysis.png') });
  });

  it('explains a bundle of the werk-met-werk streets and draws its arcs on the map', async () => {
    const bundles = page.locator('[data-testid^="bundle-card-"]');
    await expect.poll(() => bundles.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const text = await bundles.first().innerText();
    expect(text).toMatch(/fictief, werk-met-werk/);
    expect(text).toMatch(/€/);
    await bundles.first().locator('.analysis-card-title').click();
    await expect.poll(() => hook<string[]>('[...s.overlayLayers]'), { timeout: 15_000 }).toContain('analysis-highlight');
    expect(await hook<string[]>('[...s.overlayLayers]')).toContain('analysis-arcs');
    await waitForMapIdle(page);
    await page.screenshot({ path: path.join(SHOTS, 'demo-planning-bundle.png') });
    expect(ctx.errors).toEqual([]);
  });
});
