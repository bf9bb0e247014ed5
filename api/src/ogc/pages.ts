/**
 * The HTML pages of the OGC API, one per JSON document (html.ts has the escaping and layout):
 * what the JSON says, readable in a browser, with the same links.
 */
import type { Collection } from './collections.ts';
import type { ItemsDoc } from './documents.ts';
import { a, escapeHtml, fieldTable, page, rowsTable } from './html.ts';
import type { Feature } from './items.ts';
import type { Link } from './links.ts';

interface Doc {
  links: Link[];
}

export function landingPage(root: string, doc: Doc & { title: string; description: string }): string {
  return page(doc.title, root, `<p>${escapeHtml(doc.description)}</p>`, doc.links);
}

export function conformancePage(root: string, doc: { conformsTo: string[] }, links: Link[]): string {
  return page('Conformance', root, `<ul>${doc.conformsTo.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`, links);
}

function collectionSummary(c: Record<string, unknown>): Record<string, unknown> {
  const extent = c.extent as { spatial?: { bbox: number[][] }; temporal?: { interval: string[][] } } | undefined;
  return {
    id: c.id, title: c.title, description: c.description,
    bbox: extent?.spatial?.bbox[0]?.join(', ') ?? '', time: extent?.temporal?.interval[0]?.join(' – ') ?? '',
  };
}

export function collectionsPage(root: string, collections: Record<string, unknown>[], links: Link[]): string {
  const rows = collections.map((c) => ({ href: `${root}/collections/${encodeURIComponent(String(c.id))}?f=html`, cells: collectionSummary(c) }));
  return page('Collections', root, rowsTable(['id', 'title', 'description', 'bbox', 'time'], rows), links);
}

export function collectionPage(root: string, doc: Record<string, unknown>): string {
  const s = collectionSummary(doc);
  const body = fieldTable({ ...s, crs: (doc.crs as string[]).join(' '), storageCrs: doc.storageCrs })
    + `<p>${a(`${root}/collections/${encodeURIComponent(String(doc.id))}/items?f=html`, 'Browse the features')}</p>`;
  return page(String(doc.title), root, body, doc.links as Link[]);
}

export function itemsPage(root: string, c: Collection, doc: ItemsDoc): string {
  const columns = ['id', ...new Set(doc.features.flatMap((f) => Object.keys(f.properties)))].slice(0, 12);
  const rows = doc.features.map((f) => ({
    href: `${root}/collections/${encodeURIComponent(c.id)}/items/${encodeURIComponent(String(f.id))}?f=html`,
    cells: { ...f.properties, id: f.id },
  }));
  const body = `<p>${doc.numberReturned} of ${doc.numberMatched} features (${escapeHtml(doc.timeStamp)})</p>${rowsTable(columns, rows)}`;
  return page(`${c.title}: features`, root, body, doc.links);
}

export function itemPage(root: string, c: Collection, f: Feature & { links: Link[] }): string {
  const body = fieldTable({ id: f.id, ...f.properties }) + `<h2>Geometry</h2><pre>${escapeHtml(f.geometry)}</pre>`;
  return page(`${c.title}: ${String(f.id)}`, root, body, f.links);
}

export function apiPage(root: string, doc: Record<string, unknown>, links: Link[]): string {
  const paths = Object.entries(doc.paths as Record<string, { get?: { summary?: string } }>)
    .map(([p, item]) => `<tr><td><code>GET ${escapeHtml(p)}</code></td><td>${escapeHtml(item.get?.summary ?? '')}</td></tr>`);
  const info = doc.info as { title: string; description: string };
  return page(info.title, root, `<p>${escapeHtml(info.description)}</p><table>${paths.join('')}</table>`, links);
}
