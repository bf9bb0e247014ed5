/**
 * The administration panel in real Chromium against the real API: the municipality's
 * administrator makes an API token (shown once, then usable by a script), adds a colleague and
 * finds both actions in the audit log; a participant gets the token section only.
 */
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, SHOTS, openAppPage } from '../helpers/app-page.ts';

let ctx: AppPage;
let page: Page;

beforeAll(async () => {
  ctx = await openAppPage('e2e_admin', 'beheerder@maasgouw.demo');
  page = ctx.page;
});
afterAll(async () => {
  await ctx?.close();
});

describe('administration', () => {
  it('makes an API token that is shown once and works for a script', async () => {
    await page.getByTestId('admin-open').click();
    await page.getByTestId('admin-panel').waitFor();
    await page.getByTestId('admin-tab-tokens').click();
    await page.getByTestId('token-name').fill('QGIS werkplek');
    await page.getByTestId('token-scope').selectOption('read');
    await page.getByTestId('token-create').click();
    const secret = (await page.getByTestId('token-secret').innerText()).trim();
    expect(secret).toMatch(/^shg_[\w-]{40,}$/);
    const res = await fetch(`${ctx.app.baseUrl}/api/layers`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const layers = (await res.json()) as { layers: { id: string }[] };
    expect(layers.layers.map((l) => l.id)).toContain('verlichting'); // the municipality's own street lighting
  });

  it('adds a colleague to the own organisation, and the audit log shows both actions', async () => {
    await page.getByTestId('admin-tab-users').click();
    await page.getByTestId('user-add-email').fill('collega@maasgouw.demo');
    await page.getByTestId('user-add-role').selectOption('analyst');
    await page.getByTestId('user-add-password').fill('een-lang-wachtwoord');
    await page.getByTestId('user-add-submit').click();
    await expect.poll(() => page.getByTestId('user-table').innerText()).toContain('collega@maasgouw.demo');
    await page.getByTestId('admin-tab-audit').click();
    const table = page.getByTestId('audit-table');
    await expect.poll(() => table.innerText()).toContain('user_created');
    expect(await table.innerText()).toContain('token_created');
    await page.screenshot({ path: path.join(SHOTS, 'admin-audit.png') });
    const csv = await page.request.get(`${ctx.app.baseUrl}/api/admin/audit?format=csv`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('user_created');
    await page.keyboard.press('Escape');
    await page.getByTestId('admin-panel').waitFor({ state: 'hidden' });
  });

  it('the administrator turns on the second factor; the next sign-in asks for the code', async () => {
    await page.getByTestId('admin-open').click();
    await page.getByTestId('admin-panel').waitFor();
    await page.getByTestId('admin-tab-tokens').click();
    await page.getByTestId('totp-start').click();
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    await page.getByTestId('totp-code').fill(totp.generate());
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('totp-on').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-open').click();
    await page.getByTestId('demo-account-admin').click();
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-totp').waitFor();
    // the next 30-second step's code: the one that confirmed the set-up may not be used again
    await page.getByTestId('signin-totp').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('user-menu').waitFor();
    expect(await page.getByTestId('user-menu').innerText()).toContain('beheerder@maasgouw.demo');
  });

  it('a participant sees the token section only', async () => {
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-open').click();
    await page.getByTestId('demo-account-participant').click();
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('user-menu').waitFor();
    await page.getByTestId('admin-open').click();
    await page.getByTestId('admin-panel').waitFor();
    expect(await page.getByTestId('admin-tab-tokens').count()).toBe(1);
    expect(await page.getByTestId('admin-tab-users').count()).toBe(0);
    expect(await page.getByTestId('admin-tab-audit').count()).toBe(0);
  });
});
