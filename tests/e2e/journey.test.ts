/**
 * The analyst's journey in real Chromium against the real server and PostGIS with the demo area,
 * signed in as the municipality's area manager:
 * the map shows the vital systems' colours, a system can be switched off, a click on a pipe shows
 * its owner, search finds a cable by its KLIC gml:id, and the UI switches to English.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CODES, getSystem, type SystemCode } from '../../api/src/model/systems.ts';
import { PICK_RADIUS_PX } from '../../web/src/map/map-sync.ts';
import { type AppPage, SHOTS, openAppPage, waitForMapIdle as waitForMapIdle_ } from '../helpers/app-page.ts';
import { censusColour, pixelMatches } from '../helpers/pixels.ts';

const GAS_PIPE = 'nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955';
const SHOWN: SystemCode[] = ['gas_ld', 'drinkwater', 'riool_vrijverval', 'elektriciteit_ls', 'elektriciteit_ms'];

let ctx: AppPage;
let page: Page;
let app: AppPage['app'];
let pageErrors: string[];
const waitForMapIdle = () => waitForMapIdle_(page);

async function mapShot(name: string): Promise<Buffer> {
  const png = await page.locator('canvas.maplibregl-canvas').screenshot();
  writeFileSync(path.join(SHOTS, `${name}.png`), png);
  return png;
}

beforeAll(async () => {
  // the area manager of the municipality: every network inside the KLIC request areas
  ctx = await openAppPage('e2e', 'regisseur@maasgouw.demo');
  ({ page, app, errors: pageErrors } = ctx);
});

afterAll(async () => {
  await ctx?.close();
});

describe('the map of Maasbracht/Wessem', () => {
  it('draws every vital system in its own colour and lists it in the layer panel', async () => {
    await page.screenshot({ path: path.join(SHOTS, 'overview.png') });
    const png = await mapShot('map');
    for (const code of SHOWN) {
      const census = censusColour(png, getSystem(code).color);
      expect(census.count, `${code} pixels`).toBeGreaterThan(40);
    }
    const panel = page.getByTestId('layer-panel');
    await expect.poll(() => panel.innerText()).toContain('Gas lage druk');
    expect(await panel.innerText()).toContain('Drinkwater');
    // the shader warm-up drew a copy of each kind of network layer when the map loaded, and took
    // its faded copies away again before the map was ready
    const warm = await page.evaluate(() => {
      const s = (window as unknown as { __samenhang: { warmedUp: string[]; map: { getStyle(): unknown } } }).__samenhang;
      const style = s.map.getStyle() as unknown as { layers: { id: string }[]; sources: Record<string, unknown> };
      return { signatures: s.warmedUp, left: style.layers.filter((l) => l.id.startsWith('samenhang-warmup')).length, source: Object.keys(style.sources).some((id) => id.startsWith('samenhang-warmup')) };
    });
    expect(new Set(warm.signatures.map((sig) => sig.split('|')[0]))).toEqual(new Set(['fill', 'line', 'circle']));
    expect(warm).toMatchObject({ left: 0, source: false });
    // frames are paced to the GPU (gpu-pacing.ts) on the map's own WebGL 2 context, and the map
    // above was drawn through it
    const pacing = await page.evaluate(() => {
      const s = (window as unknown as { __samenhang: { pacing: { deferred: number } | null; map: { getCanvas(): HTMLCanvasElement } } }).__samenhang;
      return { deferred: s.pacing?.deferred ?? null, webgl2: s.map.getCanvas().getContext('webgl2') !== null };
    });
    expect(pacing.webgl2).toBe(true);
    expect(pacing.deferred).toBeGreaterThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });

  it('switching a system off removes its colour from the map and leaves the others', async () => {
    const before = await mapShot('before-toggle');
    await page.getByTestId('toggle-gas_ld').uncheck();
    await waitForMapIdle();
    const after = await mapShot('gas-off');
    expect(censusColour(after, getSystem('gas_ld').color).count).toBeLessThan(censusColour(before, getSystem('gas_ld').color).count / 20);
    const water = censusColour(after, getSystem('drinkwater').color).count;
    expect(water).toBeGreaterThan(40);
    await page.getByTestId('toggle-gas_ld').check();
    await waitForMapIdle();
    expect(censusColour(await mapShot('gas-on'), getSystem('gas_ld').color).count).toBeGreaterThan(40);
  });

  it('clicking a drinking-water pipe shows its owner in the detail panel', async () => {
    // Centre on the dig notice in Maasbracht (the middle of the whole extent lies between villages).
    // asked as the signed-in user (page.request shares the browser's session cookie)
    const works = (await (await page.request.get(`${app.baseUrl}/api/works`)).json()) as {
      features: { geometry: { coordinates: number[][][] }; properties: { sourceId: string } }[];
    };
    const ring = works.features.find((f) => f.properties.sourceId.endsWith('22G003179'))?.geometry.coordinates[0] ?? [];
    const center = [0, 1].map((i) => ring.reduce((sum, p) => sum + (p[i] ?? 0), 0) / ring.length);
    await page.evaluate((c) => {
      const s = (window as unknown as { __samenhang: { map: { jumpTo(o: unknown): void } } }).__samenhang;
      s.map.jumpTo({ center: c, zoom: 17 });
    }, center);
    await waitForMapIdle();
    const png = await mapShot('zoom17');
    // Screen positions of the middles of drawn drinking-water pipe segments; click the first one
    // whose pixel really shows the drinking-water colour (not covered by another network) and where
    // the app's pick (the topmost network feature in a box of PICK_RADIUS_PX around the click,
    // map-sync.ts pickAt) is a drinking-water pipe, not a cable passing within a few pixels. Which
    // segment comes first depends on the order the tiles arrived in.
    const candidates = await page.evaluate(({ codes, r }) => {
      type Geo = { type: string; coordinates: unknown };
      const m = (window as unknown as { __samenhang: { map: {
        queryRenderedFeatures(a: unknown, b?: unknown): { geometry: Geo; layer: { id: string } }[];
        project(c: [number, number]): { x: number; y: number };
        getStyle(): { layers: { id: string }[] };
      } } }).__samenhang.map;
      const clickable = m.getStyle().layers.map((l) => l.id).filter((id) => codes.some((c) => id.startsWith(`${c}-`)));
      const out: { x: number; y: number }[] = [];
      for (const f of m.queryRenderedFeatures({ layers: ['drinkwater-line'] })) {
        const lines = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates) as [number, number][][];
        for (const line of lines) {
          for (let i = 1; i < line.length; i++) {
            const a = line[i - 1];
            const b = line[i];
            if (!a || !b) continue;
            const p = m.project([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
            const [x, y] = [Math.round(p.x), Math.round(p.y)];
            const top = m.queryRenderedFeatures([[x - r, y - r], [x + r, y + r]], { layers: clickable })[0];
            if (top?.layer.id.startsWith('drinkwater-')) out.push({ x, y });
          }
        }
      }
      return out;
    }, { codes: [...SYSTEM_CODES], r: PICK_RADIUS_PX });
    const target = candidates.find((c) => pixelMatches(png, c.x, c.y, getSystem('drinkwater').color));
    expect(target, 'a visible drinking-water pipe at z17').toBeDefined();
    const box = await page.locator('canvas.maplibregl-canvas').boundingBox();
    if (!box || !target) throw new Error('no map canvas');
    await page.mouse.click(box.x + target.x, box.y + target.y);
    const detail = page.getByTestId('detail-panel');
    await expect.poll(() => detail.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('detail-owner').innerText()).toMatch(/^WML N\.V\./);
    const text = await detail.innerText();
    expect(text).toContain('Drinkwater');
    expect(text).toContain('Waterleiding');
    await page.screenshot({ path: path.join(SHOTS, 'detail.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);
  });

  it('search finds a gas pipe by its KLIC gml:id and opens it', async () => {
    await page.getByTestId('search-input').fill(GAS_PIPE);
    await page.getByTestId('search-input').press('Enter');
    const results = page.getByTestId('search-results');
    await expect.poll(() => results.innerText(), { timeout: 15_000 }).toContain('gas');
    await results.locator('button, [role="option"], li').first().click();
    await expect.poll(() => page.getByTestId('detail-owner').innerText(), { timeout: 15_000 }).toMatch(/Enexis/i);
    const text = await page.getByTestId('detail-panel').innerText();
    expect(text).toContain('steel');
    expect(text).toContain('80');
    expect(text).toContain('1972');
  });

  it('switches the interface to English', async () => {
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('layer-panel').innerText()).toContain('Drinking water');
    await page.screenshot({ path: path.join(SHOTS, 'english.png') });
    expect(pageErrors).toEqual([]);
  });
});
