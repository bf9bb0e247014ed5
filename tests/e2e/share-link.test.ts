/**
 * Shareable links (issue 8) in real Chromium against the real server and PostGIS, signed in as
 * the municipality's area manager: pan and zoom the map, switch a network off, filter the works
 * by owner, colour them by system, move the time slider, select a work and open the analysis tab;
 * the address bar follows (without new history entries), and a colleague opening that address in
 * another page sees the same view, layers, filter, time window, tab and selection. "Kopieer link"
 * puts the same address on the clipboard. A malformed link opens the normal default view, and a
 * link naming what this user cannot see is ignored silently.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinateDecimals, parseShareHash, type MapCamera } from '../../web/src/state/url-state.ts';
import { type AppPage, SHOTS, openAppPage, waitForMapIdle } from '../helpers/app-page.ts';

interface WorkFeature { properties: { id: number; owner?: string | null; title: string; preferredStart?: string | null; startDate?: string | null } }

let ctx: AppPage;
let page: Page;
let base = '';
/** The default view (fit to the data), before anything moved. */
let defaultCamera: MapCamera;
let historyLength = 0;
let owner = '';
let selected: WorkFeature['properties'];
/** The link the first page ended with. */
let link = '';

const cameraOf = (p: Page): Promise<MapCamera> =>
  p.evaluate(() => {
    const m = (window as unknown as { __samenhang: { map: { getCenter(): { lng: number; lat: number }; getZoom(): number; getBearing(): number; getPitch(): number } } }).__samenhang.map;
    const c = m.getCenter();
    return { center: [c.lng, c.lat] as [number, number], zoom: m.getZoom(), bearing: m.getBearing(), pitch: m.getPitch() };
  });

/** The layout visibility of every style layer of a system ('visible' when not set). */
const layerVisibility = (p: Page, system: string): Promise<string[]> =>
  p.evaluate((code) => {
    const m = (window as unknown as { __samenhang: { map: { getStyle(): { layers: { id: string; layout?: { visibility?: string } }[] } } } }).__samenhang.map;
    return m.getStyle().layers.filter((l) => l.id.startsWith(`${code}-`)).map((l) => l.layout?.visibility ?? 'visible');
  }, system);

const worksShown = (p: Page): Promise<number[]> =>
  p.evaluate(() => [...(window as unknown as { __samenhang: { worksShown: number[] } }).__samenhang.worksShown].sort((a, b) => a - b));

const hashOf = (p: Page): Promise<string> => p.evaluate(() => window.location.hash);

function expectNear(actual: MapCamera, expected: MapCamera): void {
  expect(Math.abs(actual.zoom - expected.zoom)).toBeLessThan(0.01);
  // within the link's rounding (about a pixel at that zoom)
  const step = 10 ** -coordinateDecimals(expected.zoom);
  expect(Math.abs(actual.center[0] - expected.center[0])).toBeLessThanOrEqual(step);
  expect(Math.abs(actual.center[1] - expected.center[1])).toBeLessThanOrEqual(step);
  expect(Math.abs(actual.bearing - expected.bearing)).toBeLessThan(0.01);
  expect(Math.abs(actual.pitch - expected.pitch)).toBeLessThan(0.01);
}

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const p = await ctx.browser.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await p.goto(url);
  await waitForMapIdle(p);
  return { page: p, errors };
}

beforeAll(async () => {
  ctx = await openAppPage('e2e_share', 'regisseur@maasgouw.demo');
  ({ page } = ctx);
  base = ctx.app.baseUrl;
  defaultCamera = await cameraOf(page);
  historyLength = await page.evaluate(() => window.history.length);
  // the owner with the most works, and one of its works to select
  const works = ((await (await page.request.get(`${base}/api/works`)).json()) as { features: WorkFeature[] }).features;
  const perOwner = new Map<string, WorkFeature[]>();
  const dated = works.filter((w) => w.properties.preferredStart ?? w.properties.startDate);
  for (const w of dated) if (w.properties.owner) perOwner.set(w.properties.owner, [...(perOwner.get(w.properties.owner) ?? []), w]);
  const [top] = [...perOwner.entries()].sort((a, b) => b[1].length - a[1].length);
  expect(top).toBeDefined();
  owner = top?.[0] ?? '';
  expect(perOwner.size).toBeGreaterThan(1);
  selected = (top?.[1][0] as WorkFeature).properties;
}, 240_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the map state in the URL', () => {
  it('follows what the user does, without new history entries', async () => {
    // select a work on the timeline (the map flies to it)
    await page.getByTestId(`timeline-bar-${selected.id}`).click();
    await expect.poll(() => page.getByTestId('detail-panel').innerText(), { timeout: 15_000 }).toContain(selected.title);
    await waitForMapIdle(page);

    // zoom out a notch with the wheel and pan a little by dragging (the work stays in view)
    const box = await page.locator('canvas.maplibregl-canvas').boundingBox();
    if (!box) throw new Error('no map canvas');
    const [cx, cy] = [box.x + box.width * 0.4, box.y + box.height * 0.5];
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, 240);
    await waitForMapIdle(page);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(cx + 10 * i, cy + 5 * i);
    await page.mouse.up();
    await waitForMapIdle(page);
    const camera = await cameraOf(page);
    expect(camera.zoom).not.toBeCloseTo(defaultCamera.zoom, 1);

    // a network off, the works of one owner coloured by system, a narrower time window
    await page.getByTestId('toggle-gas_ld').uncheck();
    await page.getByTestId('filter-owner').locator('summary').click();
    await page.getByTestId('filter-owner-none').click();
    await page.getByTestId(`filter-owner-${owner.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`).check();
    await page.getByTestId('colour-by-system').check();
    await page.getByTestId('time-from').focus();
    await page.keyboard.press('PageUp');
    await page.getByTestId('time-to').focus();
    await page.keyboard.press('PageDown');
    await page.getByTestId('tab-analysis').click();

    await expect
      .poll(async () => {
        const s = parseShareHash(await hashOf(page));
        return { gas: s.visibility.hidden.includes('gas_ld'), owners: s.filter.owners === 'all' ? 'all' : [...s.filter.owners], window: s.filter.window !== null, colour: s.filter.colourBy, tab: s.tab, sel: s.selection };
      }, { timeout: 10_000 })
      .toEqual({ gas: true, owners: [owner], window: true, colour: 'system', tab: 'analysis', sel: { kind: 'work', id: selected.id } });
    // the camera in the URL is the map's (within the rounding of the link)
    const written = parseShareHash(await hashOf(page)).camera;
    expect(written).not.toBeNull();
    if (written) expectNear(written, await cameraOf(page));
    expect(await page.evaluate(() => window.history.length)).toBe(historyLength);
    link = page.url();
    expect(link).toMatch(/#map=[\d.]+\/[\d.]+\/[\d.]+&layers=-gas_ld&owner=[^&]+&t=\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d&colour=system&tab=analysis&sel=work:\d+$/);
  });

  it('a colleague opening the link sees the same view, layers, filter, time, tab and selection', async () => {
    const first = {
      camera: await cameraOf(page),
      shown: await worksShown(page),
      from: await page.getByTestId('time-from-date').innerText(),
      to: await page.getByTestId('time-to-date').innerText(),
    };
    const { page: second, errors } = await openPage(link);
    try {
      expectNear(await cameraOf(second), first.camera);
      const gas = await layerVisibility(second, 'gas_ld');
      expect(gas.length).toBeGreaterThan(0);
      expect(new Set(gas)).toEqual(new Set(['none']));
      expect(new Set(await layerVisibility(second, 'drinkwater'))).toEqual(new Set(['visible']));
      expect(await second.getByTestId('tab-analysis').getAttribute('aria-selected')).toBe('true');
      await expect.poll(() => second.getByTestId('detail-panel').innerText(), { timeout: 15_000 }).toContain(selected.title);
      expect(await second.getByTestId('time-from-date').innerText()).toBe(first.from);
      expect(await second.getByTestId('time-to-date').innerText()).toBe(first.to);
      await expect.poll(() => worksShown(second)).toEqual(first.shown);
      await second.screenshot({ path: path.join(SHOTS, 'share-link-restored.png') });
      // the filter panel, on the layers tab
      await second.getByTestId('tab-layers').click();
      expect(await second.getByTestId('toggle-gas_ld').isChecked()).toBe(false);
      expect(await second.getByTestId('filter-owner-chosen').innerText()).toMatch(/^1 van \d+$/);
      expect(await second.getByTestId('colour-by-system').isChecked()).toBe(true);
      // writing the restored state gives the same link back (apart from the tab just changed)
      await expect.poll(() => second.url()).toBe(link.replace('&tab=analysis', ''));
      expect(errors).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('"Kopieer link" puts the link on the clipboard and says so (keyboard too)', async () => {
    await ctx.browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.getByTestId('share-copy').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('share-status').innerText()).toBe('Link gekopieerd');
    expect(await page.getByTestId('share-status').isVisible()).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
    await page.screenshot({ path: path.join(SHOTS, 'share-link-copied.png') });
    expect(ctx.errors).toEqual([]);
  });

  it('where the clipboard refuses, the link is shown selected to copy by hand; Escape closes only that', async () => {
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    await page.getByTestId('share-copy').click();
    const field = page.getByTestId('share-url');
    await expect.poll(() => field.isVisible()).toBe(true);
    expect(await field.inputValue()).toBe(page.url());
    expect(await page.getByTestId('share-manual').innerText()).toContain('Kopiëren lukte niet');
    expect(await field.evaluate((el) => el === document.activeElement && (el as HTMLInputElement).selectionEnd === (el as HTMLInputElement).value.length)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'share-link-manual.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('share-manual').count()).toBe(0);
    expect(await page.getByTestId('share-copy').evaluate((el) => el === document.activeElement)).toBe(true);
    // the detail card stays open
    expect(await page.getByTestId('detail-panel').count()).toBe(1);
    expect(ctx.errors).toEqual([]);
  });

  it('a malformed link opens the normal default view, without errors, and is written clean', async () => {
    const { page: p, errors } = await openPage(`${base}/#map=abc&layers=nonsense&t=notadate`);
    try {
      expectNear(await cameraOf(p), defaultCamera);
      expect(new Set(await layerVisibility(p, 'gas_ld'))).toEqual(new Set(['visible']));
      expect(await p.getByTestId('time-reset').isDisabled()).toBe(true);
      expect(await p.getByTestId('tab-layers').getAttribute('aria-selected')).toBe('true');
      await expect.poll(() => hashOf(p)).toMatch(/^#map=[\d.]+\/[\d.]+\/[\d.]+$/);
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('a link naming an owner or a work this user cannot see is ignored silently; another link in the same page, and Back', async () => {
    const { page: p, errors } = await openPage(`${base}/#map=14/51.17/5.86&owner=nobody-here&sel=work:987654321&layers=-no_such_layer,-drinkwater`);
    try {
      await expect.poll(() => hashOf(p)).toBe('#map=14/51.17/5.86&layers=-drinkwater');
      expect(await p.getByTestId('filter-owner-chosen').innerText()).toBe('alle');
      expect(await p.getByTestId('detail-panel').count()).toBe(0);
      expect(await p.getByTestId('notice').count()).toBe(0);
      expect(new Set(await layerVisibility(p, 'drinkwater'))).toEqual(new Set(['none']));
      expect(errors).toEqual([]);

      // another link pasted into the same page changes only the hash: the page shows that link
      await Promise.all([p.waitForEvent('load'), p.evaluate(() => { window.location.hash = 'map=15.5/51.175/5.865&layers=-gas_ld'; })]);
      await waitForMapIdle(p);
      expectNear(await cameraOf(p), { center: [5.865, 51.175], zoom: 15.5, bearing: 0, pitch: 0 });
      expect(new Set(await layerVisibility(p, 'gas_ld'))).toEqual(new Set(['none']));
      expect(new Set(await layerVisibility(p, 'drinkwater'))).toEqual(new Set(['visible']));
      // and Back returns to the link before it
      await Promise.all([p.waitForEvent('load'), p.goBack()]);
      await waitForMapIdle(p);
      expect(await hashOf(p)).toBe('#map=14/51.17/5.86&layers=-drinkwater');
      expectNear(await cameraOf(p), { center: [5.86, 51.17], zoom: 14, bearing: 0, pitch: 0 });
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
