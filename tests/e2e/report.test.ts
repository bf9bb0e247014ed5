/**
 * The area report in real Chromium against the real server and PostGIS (issue 8), on the demo
 * area with the FICTIONAL demo planning, signed in as the municipality's area manager: the
 * "Gebiedsrapport" button opens the dialog (by keyboard too; Escape closes it and gives the focus
 * back), the report of gemeente Maasgouw is made with a progress bar that reaches the end, and
 * the HTML link opens the report with the area name and the map. Screenshots of the dialog and
 * the report in tests/e2e/screenshots/report-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, SHOTS, openAppPage } from '../helpers/app-page.ts';

let ctx: AppPage;
let page: Page;

beforeAll(async () => {
  ctx = await openAppPage('e2e_report', 'regisseur@maasgouw.demo');
  ({ page } = ctx);
}, 240_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the area report dialog', () => {
  it('opens from the header by keyboard and closes with Escape, giving the focus back', async () => {
    const button = page.getByTestId('report-open');
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('report-dialog');
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.getAttribute('role')).toBe('dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('report-open');
  });

  it('makes the report of gemeente Maasgouw with a progress bar that reaches the end', async () => {
    await page.getByTestId('report-open').click();
    const area = page.getByTestId('report-area');
    await expect.poll(() => area.locator('option[value="GM1641"]').count(), { timeout: 15_000 }).toBe(1);
    await area.selectOption('GM1641');
    expect(await page.getByTestId('report-from').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByTestId('report-make').click();
    const bar = page.getByTestId('report-progress');
    await expect.poll(() => bar.count(), { timeout: 10_000 }).toBe(1);
    const seen = new Set<number>();
    let shot = false;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = Number(await bar.getAttribute('aria-valuenow'));
      seen.add(now);
      if (!shot && now > 0 && now < 100) {
        await page.getByTestId('report-dialog').screenshot({ path: path.join(SHOTS, 'report-dialog-progress.png') });
        shot = true;
      }
      if (now === 100 || Date.now() > deadline) break;
      await page.waitForTimeout(100);
    }
    expect(seen.has(100)).toBe(true);
    expect([...seen].some((v) => v > 0 && v < 100)).toBe(true);
    expect(await page.getByTestId('report-step').innerText()).toBe('Klaar');
    await expect.poll(() => page.getByTestId('report-links').count()).toBe(1);
    await page.getByTestId('report-dialog').screenshot({ path: path.join(SHOTS, 'report-dialog-done.png') });
    expect(ctx.errors).toEqual([]);
  }, 90_000);

  it('opens the HTML report with the area name and the map', async () => {
    const href = await page.getByTestId('report-html').getAttribute('href');
    expect(href).toMatch(/^\/api\/reports\/[\w-]+\/report\.html$/);
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('report-html').click()]);
    await report.waitForLoadState('load');
    expect(await report.getByTestId('report-title').innerText()).toBe('Gebiedsrapport Maasgouw');
    expect(await report.locator('svg[data-testid="report-map"] path').count()).toBeGreaterThan(10);
    expect(await report.getByTestId('report-summary').innerText()).toMatch(/\d+ werken, \d+ bundels/);
    await report.setViewportSize({ width: 1000, height: 1300 });
    await report.screenshot({ path: path.join(SHOTS, 'report-cover.png') });
    await report.getByTestId('report-map').screenshot({ path: path.join(SHOTS, 'report-map.png') });
    // the demo's works lie in two places (Maasbracht, Thorn/Wessem): each gets a detail map
    expect(await report.getByTestId('report-detail-1').count()).toBe(1);
    await report.getByTestId('report-detail-1').screenshot({ path: path.join(SHOTS, 'report-map-detail.png') });
    await report.locator('#werken figure').first().screenshot({ path: path.join(SHOTS, 'report-timeline.png') });
    await report.close();
    const pdf = await page.request.get(`${ctx.app.baseUrl}${(href ?? '').replace(/html$/, 'pdf')}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
  });
});
