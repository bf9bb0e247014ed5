/**
 * The selection export in real Chromium against the real server and PostGIS (issue 8), signed in
 * as the municipality's area manager: "Exporteren" opens a keyboard-usable dialog (focus inside,
 * Escape closes and gives the focus back), the layers start as what the map shows, the area is
 * the municipality Maasgouw, the format GeoPackage; the browser downloads the file and GDAL's
 * ogrinfo finds a table per chosen layer with the counts of the database — the municipality's own
 * sewer (C3), none of Enexis's gas pipes (C3 of another organisation is never exported), the works
 * and moratoria of the (fictional) demo planning. Anonymous visitors see no button.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, SHOTS, openAppPage } from '../helpers/app-page.ts';

let ctx: AppPage;
let page: Page;
const dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-export-'));

beforeAll(async () => {
  ctx = await openAppPage('e2e_export', 'regisseur@maasgouw.demo');
  page = ctx.page;
});
afterAll(async () => {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (sql: string): Promise<number> => Number((await ctx.db.pool.query<{ n: number }>(sql)).rows[0]?.n);
const IN_MAASGOUW = (alias: string): string => `EXISTS (SELECT 1 FROM municipality g WHERE g.code = 'GM1641' AND ST_Intersects(g.geom, ${alias}.geom))`;

describe('export dialog', () => {
  it('opens from the keyboard, keeps the focus inside, and Escape gives it back to the button', async () => {
    const button = page.getByTestId('export-open');
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('dialog');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-area-view');
    for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-open');
  });

  it('downloads a GeoPackage of the chosen layers in the municipality that GDAL opens with the right counts', async () => {
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    // what the map shows is chosen to begin with: every system of the layer panel, works, moratoria
    expect(await page.getByTestId('export-layer-riool_vrijverval').isChecked()).toBe(true);
    expect(await page.getByTestId('export-layer-works').isChecked()).toBe(true);
    // keep the sewer, the gas pipes, works and moratoria
    for (const box of await page.locator('[data-testid^="export-layer-"]').all()) {
      const id = (await box.getAttribute('data-testid'))?.replace('export-layer-', '') ?? '';
      if (!['riool_vrijverval', 'gas_ld', 'works', 'moratoria'].includes(id)) await box.uncheck();
    }
    await page.getByTestId('export-area-municipality').check();
    const municipality = page.getByTestId('export-municipality');
    await page.waitForFunction(() => (document.querySelector('[data-testid="export-municipality"]') as HTMLSelectElement | null)?.value === 'GM1641');
    expect(await municipality.inputValue()).toBe('GM1641'); // the one under the map's centre
    await page.getByTestId('export-format').selectOption('gpkg');
    expect(await page.getByTestId('export-crs').inputValue()).toBe('EPSG:28992');
    const href = await page.getByTestId('export-download').getAttribute('href');
    expect(href).toBe('/api/export?format=gpkg&layers=riool_vrijverval,gas_ld,works,moratoria&crs=EPSG:28992&area=GM1641');
    await dialog.screenshot({ path: path.join(SHOTS, 'export-dialog.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^samenhang-selectie-\d{8}\.gpkg$/);
    const file = path.join(dir, 'selectie.gpkg');
    await download.saveAs(file);
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    const counts = Object.fromEntries([...info.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(counts)).toEqual(['riool_vrijverval', 'gas_ld', 'werken', 'graafrust']);
    const sewer = await count(
      `SELECT count(*)::int AS n FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = 'riool_vrijverval' AND o.slug = 'maasgouw' AND ${IN_MAASGOUW('a')}`);
    expect(sewer).toBeGreaterThan(0);
    expect(counts.riool_vrijverval).toBe(sewer);
    expect(counts.gas_ld).toBe(0); // Enexis's C3 network, though the area manager sees it on the map
    const works = await count(
      `SELECT count(*)::int AS n FROM work w LEFT JOIN organisation o ON o.id = w.owner_id WHERE (w.confidentiality <> 'C3' OR o.slug = 'maasgouw') AND ${IN_MAASGOUW('w')}`);
    expect(works).toBeGreaterThan(0);
    expect(counts.werken).toBe(works);
    expect(counts.graafrust).toBe(await count(
      `SELECT count(*)::int AS n FROM moratorium m LEFT JOIN organisation o ON o.id = m.owner_id WHERE (m.confidentiality <> 'C3' OR o.slug = 'maasgouw') AND ${IN_MAASGOUW('m')}`));
    expect(ctx.errors).toEqual([]);
  });

  it('is not offered to anonymous visitors', async () => {
    await ctx.browser.clearCookies(); // signed out
    await page.reload();
    await page.getByTestId('tab-layers').waitFor();
    await page.getByTestId('signin-open').waitFor();
    expect(await page.getByTestId('export-open').count()).toBe(0);
  });
});
