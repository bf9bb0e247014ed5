import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, testServerUrl, type TestDatabase } from './db.ts';
import { setUpTemplate, startApp, ROOT, type AppProcess } from './app-process.ts';
import { launchBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../api/src/auth/demo.ts';

export const SHOTS = path.join(ROOT, 'tests', 'e2e', 'screenshots');

/** Wait until the map has its layers, has loaded every tile in view, and drew once more. */
export async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const s = (window as unknown as { __samenhang?: { ready: boolean; map: { loaded(): boolean; areTilesLoaded(): boolean } } }).__samenhang;
    return Boolean(s?.ready && s.map.loaded() && s.map.areTilesLoaded());
  }, undefined, { timeout: 60_000 });
  await page.waitForTimeout(500);
}

export interface AppPage {
  db: TestDatabase;
  app: AppProcess;
  browser: BrowserContext;
  page: Page;
  /** page errors and console errors seen so far */
  errors: string[];
  close(): Promise<void>;
}

/** Sign the browser context in as a demo account through POST /api/auth/login (the cookie is the browser's). */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  const res = await page.request.post(`${baseUrl}/api/auth/login`, { data: { email, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`sign-in as ${email} failed: ${res.status()} ${await res.text()}`);
}

/**
 * A fresh database with the demo area and demo accounts, the real server process, and the app
 * open in Chromium — signed in as `signInAs` (a demo account) when given, else anonymous.
 * `demoPlanning: false` leaves the fictional demo planning out (a test that counts its own works).
 */
export async function openAppPage(dbPrefix: string, signInAs?: string, opts: { demoPlanning?: boolean } = {}): Promise<AppPage> {
  mkdirSync(SHOTS, { recursive: true });
  const extraEnv = opts.demoPlanning === false ? { SAMENHANG_DEMO_PLANNING: '0' } : {};
  const template = await setUpTemplate(testServerUrl(), extraEnv);
  const db = await createTestDatabase(dbPrefix, { template });
  const app = await startApp(db.url, extraEnv, { setUp: template === null });
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  if (signInAs !== undefined) await signIn(page, app.baseUrl, signInAs);
  await page.goto(app.baseUrl);
  await waitForMapIdle(page);
  return {
    db, app, browser, page, errors,
    async close() {
      await browser.close();
      await app.stop();
      await db.drop();
    },
  };
}
