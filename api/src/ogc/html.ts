/**
 * The HTML representation of the OGC API (conformance class html): plain server-rendered pages
 * with the same content and links as the JSON, every value escaped. No script at all (the app's
 * CSP forbids inline script); inline styles are allowed and kept small.
 */
import type { Link } from './links.ts';

export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = 'body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:72rem;color:#222}'
  + 'table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}'
  + 'th{background:#f3f3f3}code{background:#f3f3f3;padding:0 .2rem}nav a{margin-right:1rem}';

export const a = (href: string, text: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

function linkList(links: readonly Link[]): string {
  const items = links.map((l) => `<li>${a(l.href, l.title ?? l.rel)} <small>(${escapeHtml(l.rel)}${l.type ? `, ${escapeHtml(l.type)}` : ''})</small></li>`);
  return `<h2>Links</h2><ul>${items.join('')}</ul>`;
}

/** A whole page: title, a breadcrumb to the landing page and the collections, the body, its links. */
export function page(title: string, root: string, body: string, links: readonly Link[]): string {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`
    + `<nav>${a(root, 'Samenhang OGC API')}${a(`${root}/collections?f=html`, 'Collections')}${a(`${root}/conformance?f=html`, 'Conformance')}${a(`${root}/api?f=html`, 'API')}</nav>`
    + `<h1>${escapeHtml(title)}</h1>${body}${linkList(links)}</body></html>`;
}

/** A two-column table of a record's fields. */
export function fieldTable(record: Record<string, unknown>): string {
  const rows = Object.entries(record).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  return `<table>${rows.join('')}</table>`;
}

/** Rows of records as one table; the first column links to each row's `href`. */
export function rowsTable(columns: readonly string[], rows: readonly { href: string; cells: Record<string, unknown> }[]): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${columns.map((c, i) => `<td>${i === 0 ? a(r.href, String(r.cells[c] ?? '')) : escapeHtml(r.cells[c])}</td>`).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}

/** The page of an error under /ogc when HTML was asked for: what went wrong, in the API's words. */
export function errorPage(root: string, error: { status: number; code: string; message: string; id: string }): string {
  return page(`${error.status} — ${error.code}`, root, `<p>${escapeHtml(error.message)}</p><p><small>id ${escapeHtml(error.id)}</small></p>`, []);
}
