import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium, headless, WebGL2 through SwiftShader (no GPU here). */
export async function launchBrowser(): Promise<BrowserContext> {
  return launch({ viewport: { width: 1280, height: 800 } });
}

/** A phone: 360 px wide, touch, with its GPS at `at` (WGS84) and geolocation allowed. */
export async function launchPhone(at: { latitude: number; longitude: number; accuracy?: number }): Promise<BrowserContext> {
  return launch({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    geolocation: { accuracy: 8, ...at }, permissions: ['geolocation'],
  });
}

async function launch(options: Parameters<typeof chromium.launchPersistentContext>[1]): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'samenhang-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    locale: 'nl-NL',
    ...options,
    args: [
      '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-quic', '--no-default-browser-check',
    ],
  });
}
