/**
 * The wijkschouw as its users do it (issue 7), in real Chromium against the real server and
 * PostGIS: the municipality's area manager creates a walk in the app and gets its code and QR code;
 * a resident's phone (360 px, touch, GPS emulated) joins with the code, loses its connection, posts
 * a knelpunt with a photo, reloads the page (the post is still queued, "1 nog niet verstuurd"),
 * gets its connection back, and the hotspot arrives live in the facilitator's list and on the map;
 * the stored photo has no EXIF left; the area manager publishes it and runs a pairwise session.
 * The photo is a SYNTHETIC test image (tests/fixtures/photos/README.md).
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, SHOTS, openAppPage, waitForMapIdle } from '../helpers/app-page.ts';
import { ROOT } from '../helpers/app-process.ts';
import { launchPhone } from '../helpers/browser.ts';

let ctx: AppPage;
let page: Page;
let phone: BrowserContext;
let mobile: Page;
let code = '';
/** every same-origin path the phone asked for: it must never touch the networks, works or the app's APIs */
const phonePaths: string[] = [];
const PHOTO = path.join(ROOT, 'tests', 'fixtures', 'photos', 'photo.jpg');
// on a street in Maasbracht, inside the demo area
const AT = { latitude: 51.1636, longitude: 5.8903 };

const hook = <T>(fn: string): Promise<T> => page.evaluate(`(() => { const s = window.__samenhang; return ${fn}; })()`) as Promise<T>;

beforeAll(async () => {
  ctx = await openAppPage('e2e_walk', 'regisseur@maasgouw.demo', { demoPlanning: false });
  ({ page } = ctx);
  phone = await launchPhone(AT);
  mobile = await phone.newPage();
  mobile.on('pageerror', (e) => ctx.errors.push(`phone: ${e.message}`));
  mobile.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === new URL(ctx.app.baseUrl).origin) phonePaths.push(url.pathname);
  });
}, 180_000);

afterAll(async () => {
  await phone?.close();
  await ctx?.close();
});

describe('a wijkschouw', () => {
  it('the area manager creates a walk and gets its code, link and QR code', async () => {
    await page.getByTestId('tab-walks').click();
    await page.getByTestId('walk-new').click();
    await page.getByTestId('walk-title').fill('Wijkschouw Maasbracht-centrum (test)');
    await page.getByTestId('walk-date').fill('2026-12-05');
    // the route: three clicks on the map, Enter finishes
    await waitForMapIdle(page);
    await page.getByTestId('walk-route-draw').click();
    const canvas = page.locator('.maplibregl-canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no map canvas');
    for (const [fx, fy] of [[0.4, 0.5], [0.5, 0.45], [0.6, 0.5]] as const) await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('walk-route-status').innerText()).toContain('3');
    expect(await page.getByTestId('walk-route-finish').count()).toBe(0);
    await page.getByTestId('walk-create').click();
    const codeEl = page.getByTestId('walk-code');
    await expect.poll(() => codeEl.count(), { timeout: 15_000 }).toBe(1);
    code = (await codeEl.innerText()).replace(/\s/g, '');
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    const walkRow = await ctx.db.pool.query<{ type: string; n: number }>('SELECT GeometryType(route) AS type, ST_NPoints(route) AS n FROM walk WHERE code = $1', [code]);
    expect(walkRow.rows[0]).toEqual({ type: 'LINESTRING', n: 3 });
    expect(await page.getByTestId('walk-link').innerText()).toContain(`/schouw/${code}`);
    expect(await page.getByTestId('walk-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.screenshot({ path: path.join(SHOTS, 'walk-created.png') });
    // privacy settings: a rounding out of range is refused on the spot; a new retention term is saved
    await page.getByTestId('walk-rounding').fill('5000');
    await page.getByTestId('walk-settings-save').click();
    await expect.poll(() => page.getByTestId('walk-settings').getByRole('alert').count()).toBe(1);
    await page.getByTestId('walk-rounding').fill('25');
    await page.getByTestId('walk-retention').fill('24');
    await page.getByTestId('walk-settings-save').click();
    await expect.poll(async () => (await ctx.db.pool.query<{ r: number; m: number }>('SELECT rounding_m AS r, retention_months AS m FROM walk WHERE code = $1', [code])).rows[0], { timeout: 15_000 })
      .toEqual({ r: 25, m: 24 });
  });

  it('a phone joins by code, posts a knelpunt with a photo while offline, reloads, and it is sent when the connection returns', async () => {
    await mobile.goto(`${ctx.app.baseUrl}/schouw`);
    await mobile.getByTestId('join-code').fill(code.toLowerCase());
    await mobile.getByTestId('join-name').fill('Anna');
    await mobile.getByTestId('join-submit').click();
    await expect.poll(() => mobile.getByTestId('save-hotspot').count(), { timeout: 20_000 }).toBe(1);
    // the service worker takes the page under its wing before we go offline
    await expect.poll(() => mobile.evaluate(() => navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))), { timeout: 20_000 }).toBe(true);

    await phone.setOffline(true);
    await mobile.getByTestId('kind-knelpunt').click();
    await mobile.getByTestId('theme-select').selectOption('drinkwater');
    await mobile.getByTestId('note').fill('Water op straat bij de put (test)');
    await mobile.getByTestId('photo-input').setInputFiles(PHOTO);
    await expect.poll(() => mobile.getByTestId('save-hotspot').isEnabled(), { timeout: 15_000 }).toBe(true);
    await mobile.getByTestId('save-hotspot').click();
    await expect.poll(() => mobile.getByTestId('outbox-count').innerText(), { timeout: 10_000 }).toContain('1');
    await mobile.screenshot({ path: path.join(SHOTS, 'walk-phone-offline.png') });

    // a reload while offline: the page comes from the service worker's cache, the post is still queued
    await mobile.reload();
    await expect.poll(() => mobile.getByTestId('outbox-count').innerText(), { timeout: 20_000 }).toContain('1');
    const stored = await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hotspot');
    expect(stored.rows[0]?.n).toBe(0);

    await phone.setOffline(false);
    await expect.poll(async () => (await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hotspot WHERE photo IS NOT NULL')).rows[0]?.n, { timeout: 60_000 }).toBe(1);
    await expect.poll(() => mobile.getByTestId('outbox-count').isVisible().then(async (v) => (v ? await mobile.getByTestId('outbox-count').innerText() : '0')), { timeout: 30_000 }).toMatch(/^\D*0\D*$|^$/);
    await mobile.screenshot({ path: path.join(SHOTS, 'walk-phone-sent.png') });
    // the participant's page never loads a network layer, a work or another API than the walk's own
    const apis = phonePaths.filter((p) => p.startsWith('/api/'));
    expect(apis.length).toBeGreaterThan(2);
    expect(apis.filter((p) => !/^\/api\/(walk-join|walk\/|config$)/.test(p))).toEqual([]);
    expect(phonePaths.filter((p) => p.startsWith('/tiles/') || p.startsWith('/ogc'))).toEqual([]);
  });

  it('the hotspot arrives live in the facilitator view, without EXIF, on the map', async () => {
    const row = (await ctx.db.pool.query<{ id: string; photo: Buffer; kind: string; author_name: string }>('SELECT id, photo, kind, author_name FROM hotspot')).rows[0];
    expect(row?.kind).toBe('knelpunt');
    expect(row?.author_name).toBe('Anna');
    for (const secret of ['TestPhone', 'Exif\0\0']) expect(row?.photo.includes(Buffer.from(secret)), secret).toBe(false);
    const card = page.getByTestId(`hotspot-card-${row?.id}`);
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
    expect(await card.innerText()).toContain('Water op straat bij de put (test)');
    await expect.poll(() => hook<string[]>('[...s.overlayLayers]'), { timeout: 15_000 }).toContain('walk-hotspots');
    await page.getByTestId(`hotspot-publish-${row?.id}`).click();
    await expect.poll(async () => (await ctx.db.pool.query<{ status: string }>('SELECT status FROM hotspot WHERE id = $1', [row?.id])).rows[0]?.status, { timeout: 15_000 }).toBe('published');
    await expect.poll(() => page.getByTestId(`hotspot-publish-${row?.id}`).getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    // the studio groups it and comments on it
    await page.getByTestId(`hotspot-cluster-${row?.id}`).fill('Put Kerkstraat');
    await page.getByTestId(`hotspot-cluster-save-${row?.id}`).click();
    await expect.poll(async () => (await ctx.db.pool.query<{ cluster: string }>('SELECT cluster FROM hotspot WHERE id = $1', [row?.id])).rows[0]?.cluster, { timeout: 15_000 }).toBe('Put Kerkstraat');
    await page.getByTestId(`hotspot-comments-${row?.id}`).click();
    await page.getByTestId(`hotspot-comment-input-${row?.id}`).fill('Melden bij WML (test)');
    await page.getByTestId(`hotspot-comment-add-${row?.id}`).click();
    await expect.poll(() => page.getByTestId(`hotspot-comment-list-${row?.id}`).innerText(), { timeout: 15_000 }).toContain('Melden bij WML (test)');
    await page.getByTestId('walk-group-by-cluster').click();
    await expect.poll(() => page.getByTestId('walk-group-Put Kerkstraat').count(), { timeout: 10_000 }).toBe(1);
    await card.click();
    await waitForMapIdle(page);
    await page.screenshot({ path: path.join(SHOTS, 'walk-facilitator.png') });
  });

  it('the atelier compares themes pairwise and shows the ranking', async () => {
    await page.getByTestId('pairwise-new-themes').click();
    const ranking = page.getByTestId('pairwise-ranking');
    await expect.poll(() => ranking.count(), { timeout: 15_000 }).toBe(1);
    for (let i = 0; i < 6; i++) {
      await page.getByTestId(i % 3 === 2 ? 'pairwise-tie' : 'pairwise-choose-a').click();
      await expect.poll(() => page.getByTestId('pairwise-count').innerText(), { timeout: 10_000 }).toContain(String(i + 1));
    }
    expect(await page.getByTestId('ranking-row-1').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'walk-pairwise.png') });
    expect(ctx.errors).toEqual([]);
  });
});
