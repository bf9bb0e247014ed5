/**
 * The area report as PDF (issue 8): the same HTML document printed by headless Chromium through
 * playwright-core, A4 with page numbers in the footer. JavaScript is off and every request is
 * refused (the document is self-contained), and the browser is always closed. One rendering at a
 * time per API process: Chromium is heavy and reports are rare.
 */
import { chromium } from 'playwright-core';
import { escapeHtml } from '../ogc/html.ts';

/** Debian's Chromium unless CHROMIUM_PATH says otherwise; the launch arguments the tests use too. */
export const CHROMIUM_PATH = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic', '--no-default-browser-check',
];

let queue: Promise<unknown> = Promise.resolve();

/** Run one rendering after the ones before it (whatever became of them). */
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

const footer = (title: string) => `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 7.5pt; color: #5a6b7d; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;">`
  + `<span>${escapeHtml(title)}</span><span>pagina <span class="pageNumber"></span> van <span class="totalPages"></span></span></div>`;

export function renderPdf(html: string, title: string): Promise<Buffer> {
  return serialised(async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH(), headless: true, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true,
        headerTemplate: '<div></div>', footerTemplate: footer(title),
      });
    } finally {
      await browser.close();
    }
  });
}
