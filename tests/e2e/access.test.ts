/**
 * What each kind of user sees, in real Chromium against the real server and the demo area: the
 * public sees no networks; a participant signed in through the sign-in dialog still sees none; the
 * water company's analyst sees its own mains everywhere but Enexis's gas pipes only inside its
 * project area (the Julianalaan KLIC request), while the municipality's area manager sees that gas
 * in the Steenweg area too. Screenshots in tests/e2e/screenshots/access-*.png.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSystem } from '../../api/src/model/systems.ts';
import { type AppPage, SHOTS, openAppPage, waitForMapIdle } from '../helpers/app-page.ts';
import { censusColour } from '../helpers/pixels.ts';

let ctx: AppPage;
let page: Page;
const GAS = getSystem('gas_ld').color;
const WATER = getSystem('drinkwater').color;
const NETWORKS = ['gas_ld', 'drinkwater', 'elektriciteit_ls', 'riool_vrijverval'] as const;

async function mapShot(name: string): Promise<Buffer> {
  const png = await page.locator('canvas.maplibregl-canvas').screenshot();
  writeFileSync(path.join(SHOTS, `access-${name}.png`), png);
  return png;
}

async function signInWithDialog(role: string): Promise<void> {
  await page.getByTestId('signin-open').click();
  await page.getByTestId('signin-dialog').waitFor();
  await page.getByTestId(`demo-account-${role}`).click();
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('user-menu').waitFor();
  await waitForMapIdle(page);
}

async function signOut(): Promise<void> {
  await page.getByTestId('signout').click();
  await page.getByTestId('signin-open').waitFor();
  await waitForMapIdle(page);
}

/** The centre of a KLIC request (a work) as the signed-in user sees it. */
async function centreOf(requestSuffix: string): Promise<[number, number]> {
  const works = (await (await page.request.get(`${ctx.app.baseUrl}/api/works`)).json()) as {
    features: { geometry: { coordinates: number[][][] }; properties: { sourceId: string } }[];
  };
  const ring = works.features.find((f) => f.properties.sourceId.endsWith(requestSuffix))?.geometry.coordinates[0];
  if (!ring) throw new Error(`no work ${requestSuffix} visible`);
  return [0, 1].map((i) => ring.reduce((sum, p) => sum + (p[i] ?? 0), 0) / ring.length) as [number, number];
}

async function jumpTo(center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(([c, z]) => {
    (window as unknown as { __samenhang: { map: { jumpTo(o: unknown): void } } }).__samenhang.map.jumpTo({ center: c, zoom: z });
  }, [center, zoom] as const);
  await waitForMapIdle(page);
}

beforeAll(async () => {
  ctx = await openAppPage('e2e_access');
  page = ctx.page;
});
afterAll(async () => {
  await ctx?.close();
});

describe('who sees what', () => {
  it('the public sees no cables or pipes and is offered the demo accounts', async () => {
    const png = await mapShot('public');
    for (const code of NETWORKS) expect(censusColour(png, getSystem(code).color).count, code).toBe(0);
    expect(await page.getByTestId('layer-panel').innerText()).not.toContain('Gas lage druk');
    expect(await page.getByTestId('import-button').count()).toBe(0); // importing is for analysts
    await page.getByTestId('signin-open').click();
    const dialog = page.getByTestId('signin-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('deelnemer@bewoners.demo');
    await page.screenshot({ path: path.join(SHOTS, 'access-signin-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('a participant signs in through the dialog and still sees no networks', async () => {
    await signInWithDialog('participant');
    expect(await page.getByTestId('user-menu').innerText()).toMatch(/deelnemer/i);
    const png = await mapShot('participant');
    for (const code of NETWORKS) expect(censusColour(png, getSystem(code).color).count, code).toBe(0);
    expect(await page.getByTestId('layer-panel').innerText()).not.toContain('Drinkwater');
    await signOut();
  });

  it("the water company's analyst sees Enexis's gas inside its project area only; the area manager sees it elsewhere too", async () => {
    // the WML analyst typed in: more than one demo account is an analyst
    await page.getByTestId('signin-open').click();
    await page.getByTestId('signin-email').fill('analist@wml.demo');
    await page.getByTestId('signin-password').fill('samenhang-demo-2026');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('user-menu').waitFor();
    await waitForMapIdle(page);
    expect(await page.getByTestId('user-menu').innerText()).toContain('WML');
    // the networks came with the sign-in, and the shader warm-up drew their point layers' program (decision 105)
    expect(await page.evaluate(() => (window as unknown as { __samenhang: { warmedUp: string[] } }).__samenhang.warmedUp)).toContain('circle|');
    expect(await page.getByTestId('import-button').count()).toBe(1);
    // the KLIC deliveries are others' critical infrastructure to WML: listed, never offered in bulk
    await expect.poll(() => page.getByTestId('layer-panel').innerText()).toContain('KLIC-levering');
    expect(await page.getByTestId('layer-panel').innerText()).toContain('niet als geheel te downloaden');
    expect(await page.locator('[data-testid$="-export-geojson"]').count()).toBe(0);

    await jumpTo(await centreOf('22G003179'), 17); // Julianalaan: WML's project area
    const inside = await mapShot('wml-julianalaan');
    expect(censusColour(inside, GAS).count, 'gas inside the project area').toBeGreaterThan(40);
    const steenweg = await centreOf('22O000517');
    await jumpTo(steenweg, 17);
    const outside = await mapShot('wml-steenweg');
    expect(censusColour(outside, WATER).count, "WML's own mains everywhere").toBeGreaterThan(40);
    expect(censusColour(outside, GAS).count, "Enexis's gas outside WML's project area").toBe(0);

    await signOut();
    await signInWithDialog('area_manager');
    await jumpTo(steenweg, 17);
    // after a change of user the new caller's networks tiles may still be on the way at the first
    // idle (seen once in six clean-clone CI runs, the screenshot showing part of the networks):
    // the view must hold gas within 20 s
    await expect.poll(async () => censusColour(await mapShot('regisseur-steenweg'), GAS).count, {
      message: 'the same view holds gas pipes', timeout: 20_000,
    }).toBeGreaterThan(40);
    expect(ctx.errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });
});
