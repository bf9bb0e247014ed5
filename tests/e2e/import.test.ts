/**
 * The analyst drops a zipped Shapefile (Leeuwarden's tree register, written by GDAL from the real
 * data) on the map, maps two attributes, watches the progress bar finish, and sees the new green
 * layer listed and drawn — against the real server, PostGIS and Chromium.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSystem } from '../../api/src/model/systems.ts';
import { ROOT } from '../helpers/app-process.ts';
import { type AppPage, SHOTS, openAppPage, waitForMapIdle as waitForMapIdle_ } from '../helpers/app-page.ts';
import { censusColour } from '../helpers/pixels.ts';

const ZIP = path.join(ROOT, 'tests', 'fixtures', 'formats', 'bomen.shp.zip');

let ctx: AppPage;
let page: Page;
let db: AppPage['db'];
const waitForMapIdle = () => waitForMapIdle_(page);

beforeAll(async () => {
  // importing is for analysts: the municipality's GIS analyst
  ctx = await openAppPage('e2e_import', 'analist@maasgouw.demo');
  ({ page, db } = ctx);
});

afterAll(async () => {
  await ctx?.close();
});

describe('dropping a zipped Shapefile on the map', () => {
  it('previews it, loads it with the analyst mapping and draws the new layer', async () => {
    expect(await page.getByTestId('toggle-groen').count()).toBe(0); // no green layer in the demo yet
    const b64 = readFileSync(ZIP).toString('base64');
    await page.evaluate(async ({ data, name }) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'application/zip' }));
      const target = document.querySelector('.maplibregl-canvas') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    }, { data: b64, name: 'bomen.shp.zip' });

    const dialog = page.locator('[data-testid="import-dialog"]');
    await expect.poll(() => dialog.getAttribute('data-step'), { timeout: 60_000 }).toBe('review');
    expect(await page.getByTestId('import-format').innerText()).toMatch(/Shapefile/i);
    expect(await page.getByTestId('import-crs').innerText()).toMatch(/28992/);
    expect(await page.getByTestId('import-table').innerText()).toContain('BOOMSOORT');
    await page.screenshot({ path: path.join(SHOTS, 'import-review.png') });

    // The analyst maps two attributes explicitly.
    await page.getByTestId('map-label').selectOption('BOOMSOORT');
    await page.getByTestId('map-inServiceYear').selectOption('PLANTJAAR');
    await page.getByTestId('import-layer-name').fill('Monumentale bomen Leeuwarden');
    await page.getByTestId('import-load').click();

    const progress = page.getByTestId('import-progress');
    await expect.poll(() => dialog.getAttribute('data-step'), { timeout: 60_000 }).toBe('report');
    expect(await progress.count()).toBe(0); // the bar is gone: the load finished
    const report = page.getByTestId('import-report');
    expect(await page.getByTestId('report-loaded').innerText()).toMatch(/200/);
    expect(await report.innerText()).toContain('Monumentale bomen Leeuwarden');
    await page.screenshot({ path: path.join(SHOTS, 'import-report.png') });
    await page.getByTestId('import-close').click();

    // The new layer is listed and drawn.
    await expect.poll(() => page.getByTestId('toggle-groen').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('layer-panel').innerText()).toMatch(/Groen\s+200/);
    await waitForMapIdle();
    const png = await page.locator('canvas.maplibregl-canvas').screenshot();
    writeFileSync(path.join(SHOTS, 'import-layer.png'), png);
    expect(censusColour(png, getSystem('groen').color).count).toBeGreaterThan(50);

    // A tree found by its species (the mapped label) shows the mapped year among the model fields;
    // the other attributes hold what no field holds (decision 106), not the species and year again.
    await page.getByTestId('search-input').fill('Tilia');
    await page.getByTestId('search-input').press('Enter');
    const results = page.getByTestId('search-results');
    await expect.poll(() => results.innerText(), { timeout: 15_000 }).toContain('Tilia');
    await results.locator('button, [role="option"], li').first().click();
    const detail = page.getByTestId('detail-panel');
    await expect.poll(() => detail.innerText(), { timeout: 15_000 }).toMatch(/In gebruik sinds\s+1[89]\d\d/);
    // the asset has no mapped owner; the delivery row says whose layer it is, as the layer list does
    expect(await detail.innerText()).toMatch(/Levering\s+Monumentale bomen Leeuwarden \(Gemeente Maasgouw\)/);
    // no id was mapped (ELEMENTNR repeats): the source id is unknown (not the internal "<layer>/#<n>"),
    // and the tree's number in the file is shown
    expect(await detail.innerText()).toMatch(/Bron-id\s+onbekend\s+Objectnummer in bestand\s+\d+/);
    expect(await detail.innerText()).not.toMatch(/\d\/#\d/);
    await detail.locator('.detail-attributes summary').click();
    const others = await detail.locator('.detail-attributes').innerText();
    expect(others).toContain('ELEMENTNR');
    expect(others).not.toContain('BOOMSOORT');
    expect(others).not.toContain('PLANTJAAR');
    await page.screenshot({ path: path.join(SHOTS, 'import-detail.png') });
    await page.keyboard.press('Escape');

    // The two mapped attributes arrived in PostGIS.
    const r = await db.pool.query<{ label: string | null; in_service_year: number | null }>(
      "SELECT label, in_service_year FROM asset WHERE system = 'groen' AND label IS NOT NULL AND in_service_year IS NOT NULL");
    expect(r.rows.length).toBeGreaterThan(150);
    expect(ctx.errors).toEqual([]);
  });

  it('lets the analyst state the CRS of a file that has none, and analyses it again', async () => {
    await page.getByTestId('import-file').setInputFiles(path.join(ROOT, 'tests', 'fixtures', 'formats', 'bgt-wegdeel-nocrs.geojson'));
    const dialog = page.locator('[data-testid="import-dialog"]');
    await expect.poll(() => dialog.getAttribute('data-step'), { timeout: 60_000 }).toBe('review');
    expect(await page.getByTestId('import-crs').innerText()).toMatch(/28992/);
    await page.getByTestId('import-epsg').selectOption('28992');
    await page.getByTestId('import-reanalyse').click();
    // back in review with the stated CRS: no override offered any more
    await expect.poll(async () => `${await dialog.getAttribute('data-step')}/${await page.getByTestId('import-crs-override').count()}`, { timeout: 60_000 })
      .toBe('review/0');
    expect(await page.getByTestId('import-preset').innerText()).toMatch(/BGT/);
    await page.getByTestId('import-cancel').click();
    await expect.poll(() => dialog.count()).toBe(0);
  });
});
