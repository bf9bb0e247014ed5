/**
 * "Samenhang in beeld" in real Chromium against the real server and PostGIS (issue 6), signed in
 * as the municipality's area manager: two works planned in the same street show up as a dig-once
 * opportunity with its explanation and numbers; the card shows the works on the map; the
 * area manager accepts it (a joint project) and undoes that; the live what-if shifts one work by
 * years and the opportunity turns into a repeat opening; the openings per square appear on the map.
 * The two works are SYNTHETIC test input on a real street of the demo area.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, SHOTS, openAppPage, signIn, waitForMapIdle } from '../helpers/app-page.ts';

let ctx: AppPage;
let page: Page;
let base = '';
let csrf = '';
const ids: number[] = [];

const hook = <T>(fn: string): Promise<T> => page.evaluate(`(() => { const s = window.__samenhang; return ${fn}; })()`) as Promise<T>;

async function plan(title: string, kind: string, systems: string[], coordinates: number[][], start: string, end: string): Promise<number> {
  const res = await page.request.post(`${base}/api/works`, {
    data: { title, kind, systems, trenchWidth: 1.5, preferredStart: start, preferredEnd: end, geometry: { type: 'LineString', coordinates } },
    headers: { 'x-csrf-token': csrf },
  });
  expect(res.status()).toBe(201);
  return Number(((await res.json()) as { id: number }).id);
}

beforeAll(async () => {
  ctx = await openAppPage('e2e_analysis', 'regisseur@maasgouw.demo', { demoPlanning: false });
  ({ page } = ctx);
  base = ctx.app.baseUrl;
  csrf = ((await (await page.request.get(`${base}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken;
  const works = (await (await page.request.get(`${base}/api/works`)).json()) as { features: { geometry: { coordinates: number[][][] }; properties: { sourceId: string } }[] };
  const ring = works.features.find((f) => f.properties.sourceId.endsWith('22G003179'))?.geometry.coordinates[0] ?? [];
  const [x, y] = [0, 1].map((i) => ring.reduce((s, p) => s + (p[i] ?? 0), 0) / ring.length) as [number, number];
  // the same street, about 8 m apart, a few months apart: a dig-once opportunity
  ids.push(await plan('Vervanging riool Kerkstraat (test)', 'vervanging riool', ['riool_vrijverval'], [[x - 0.0008, y], [x + 0.0008, y]], '2027-03-01', '2027-06-30'));
  ids.push(await plan('Vervanging waterleiding Kerkstraat (test)', 'vervanging waterleiding', ['drinkwater'], [[x - 0.0008, y + 0.00007], [x + 0.0008, y + 0.00007]], '2027-09-01', '2027-11-30'));
  await page.reload();
  await waitForMapIdle(page);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

const subject = (): string => `combine-${Math.min(...ids)}-${Math.max(...ids)}`;

describe('the analysis panel', () => {
  it('lists the dig-once opportunity with what, who, the rule and the numbers', async () => {
    await page.getByTestId('tab-analysis').click();
    const panel = page.getByTestId('analysis-panel');
    await expect.poll(() => panel.getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    // the demo's KLIC requests are search areas, not trenches: only the two planned works make
    // findings — their dig-once opportunity, and couplings with the old real networks beneath them
    const n = async (id: string) => Number(await page.getByTestId(id).locator('.count').innerText());
    expect(await n('analysis-count-combine')).toBe(1);
    for (const t of ['clash', 'repeat_opening', 'moratorium']) expect(await n(`analysis-count-${t}`), t).toBe(0);
    expect(await n('analysis-count-coupling')).toBeGreaterThan(0);
    expect(await n('analysis-filter-all')).toBe(1 + (await n('analysis-count-coupling')));
    const card = page.getByTestId(`finding-card-${subject()}`);
    await expect.poll(() => card.count()).toBe(1);
    const text = await card.innerText();
    expect(text).toContain('Werk-met-werk-kans');
    expect(text).toMatch(/“Vervanging riool Kerkstraat \(test\)” en “Vervanging waterleiding Kerkstraat \(test\)” liggen [\d,]+ m uit elkaar/);
    expect(text).toContain('Schuif 63 dagen');
    expect(text).toContain('Gemeente Maasgouw');
    expect(text).toContain('distance_m = 20');
    const bundle = page.getByTestId(`bundle-card-bundle-${Math.min(...ids)}-${Math.max(...ids)}`);
    // the flexible windows (= the preferred ones here) do not share a day: no bundle yet
    expect(await bundle.count()).toBe(0);
  });

  it('shows the works of a card on the map, highlighted', async () => {
    await page.getByTestId(`finding-card-${subject()}`).locator('.analysis-card-title').click();
    await expect.poll(() => hook<string[]>('[...s.overlayLayers]')).toContain('analysis-highlight');
    await expect.poll(() => page.getByTestId('detail-panel').innerText(), { timeout: 15_000 }).toContain('Kerkstraat (test)');
    await waitForMapIdle(page);
    await page.screenshot({ path: path.join(SHOTS, 'analysis-card.png') });
  });

  it('the area manager accepts it as a joint project, and undoes that', async () => {
    await page.getByTestId(`decide-accept-${subject()}`).click();
    const state = page.getByTestId(`decision-state-${subject()}`);
    await expect.poll(() => state.count(), { timeout: 15_000 }).toBe(1);
    expect(await state.innerText()).toMatch(/Geaccepteerd door Gemeente Maasgouw.*Gezamenlijk project #\d+/s);
    await page.getByTestId(`decide-undo-${subject()}`).click();
    await expect.poll(() => state.count(), { timeout: 15_000 }).toBe(0);
  });

  it('the what-if shifts the water main by two years: the opportunity becomes a repeat opening, live', async () => {
    // select the water main (the what-if shifts the selected work)
    await page.getByTestId(`timeline-bar-${ids[1]}`).click();
    const months = page.getByTestId('what-if-months');
    await expect.poll(() => months.isEnabled(), { timeout: 20_000 }).toBe(true);
    await months.focus();
    // Page Up moves a tenth of the range (7 months) in Chromium
    for (let i = 0; i < 3; i++) await page.keyboard.press('PageUp');
    await expect.poll(() => page.getByTestId('what-if-value').innerText()).toMatch(/\d+ maanden/);
    const value = Number((await months.inputValue()));
    expect(value).toBeGreaterThanOrEqual(20);
    await expect.poll(() => page.getByTestId('what-if-gone').innerText()).toContain('Werk-met-werk-kans');
    expect(await page.getByTestId('what-if-appeared').innerText()).toContain('Herhaalde opening');
    await page.screenshot({ path: path.join(SHOTS, 'analysis-what-if.png') });
    await months.fill('0');
    await expect.poll(() => page.getByTestId('what-if-result').innerText()).toContain('Geen verandering');
  });

  it('draws how often the ground opens per square, with a legend', async () => {
    await page.getByTestId('analysis-openings').check();
    await expect.poll(() => hook<string[]>('[...s.overlayLayers]'), { timeout: 20_000 }).toContain('analysis-openings');
    expect(await page.getByTestId('openings-legend').innerText()).toContain('keer open');
    await waitForMapIdle(page);
    await page.screenshot({ path: path.join(SHOTS, 'analysis-openings.png') });
    expect(ctx.errors).toEqual([]);
  });

  it('an administrator narrows sewer × drinking water in the rule matrix: the opportunity goes; clearing it brings it back', async () => {
    expect((await page.request.post(`${base}/api/auth/logout`, { headers: { 'x-csrf-token': csrf } })).ok()).toBe(true);
    await signIn(page, base, 'beheerder@maasgouw.demo');
    await page.reload();
    await waitForMapIdle(page);
    await page.getByTestId('tab-analysis').click();
    const combine = () => page.getByTestId('analysis-count-combine').locator('.count').innerText();
    await expect.poll(combine, { timeout: 30_000 }).toBe('1');
    const setPair = async (value: string) => {
      await page.getByTestId('rules-open').click();
      const dialog = page.getByTestId('rules-dialog');
      const pair = dialog.getByTestId('rules-pair-riool_vrijverval-drinkwater');
      await expect.poll(() => pair.isVisible(), { timeout: 15_000 }).toBe(true);
      // the lifetimes table names its sources
      expect(await dialog.innerText()).toContain('Stichting RIONED');
      await pair.fill(value);
      await dialog.getByTestId('rules-save').click();
      await expect.poll(() => dialog.getByTestId('rules-message').innerText(), { timeout: 30_000 }).not.toBe('');
      if (value) await page.screenshot({ path: path.join(SHOTS, 'analysis-rules.png') });
      // Escape closes it, also now that the focus left with the save button (disabled while saving)
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
    };
    // the two works are about 8 m apart (6.5 m between their trenches): 5 m is not near any more
    await setPair('5');
    await expect.poll(combine, { timeout: 30_000 }).toBe('0');
    await setPair('');
    await expect.poll(combine, { timeout: 30_000 }).toBe('1');
    expect(ctx.errors).toEqual([]);
  });
});
