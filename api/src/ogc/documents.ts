/**
 * The JSON documents of the OGC API – Features (landing page, conformance, collections, items,
 * item) with their links. Built from plain values and the request (for absolute URLs); the
 * database work is done by the router. The conformance list claims exactly what is implemented
 * here, plus what the tiles module (tiles-meta.ts) claims for itself.
 */
import type { Request } from 'express';
import { CRS84, CRS_URIS, storageCrsUri } from './crs.ts';
import type { Collection } from './collections.ts';
import type { Feature } from './items.ts';
import { GEOJSON_TYPE, HTML_TYPE, JSON_TYPE, type Format, type Link, OPENAPI_TYPE, href, selfLinks, thisUrl } from './links.ts';
import { TILES_CONFORMANCE } from './tiles-meta.ts';

export const FEATURES_CONFORMANCE: readonly string[] = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
];

export const conformance = (): { conformsTo: string[] } => ({ conformsTo: [...FEATURES_CONFORMANCE, ...TILES_CONFORMANCE] });

export const TITLE = 'Samenhang — OGC API';
const OGC_REL = 'http://www.opengis.net/def/rel/ogc/1.0';

export function landing(req: Request, format: Format): { title: string; description: string; links: Link[] } {
  return {
    title: TITLE,
    description: 'Vital systems, planned works, dig moratoria, analysis findings and bundles, and published walk hotspots of Samenhang, '
      + 'as far as you may see them (sign in with a session or send Authorization: Bearer <token>).',
    links: [
      ...selfLinks(req, format, JSON_TYPE),
      { rel: 'service-desc', type: OPENAPI_TYPE, title: 'the API definition (OpenAPI 3.0)', href: href(req, '/api') },
      { rel: 'service-doc', type: HTML_TYPE, title: 'the API documentation', href: href(req, '/api', { f: 'html' }) },
      { rel: 'conformance', type: JSON_TYPE, title: 'conformance classes implemented', href: href(req, '/conformance') },
      { rel: `${OGC_REL}/conformance`, type: JSON_TYPE, title: 'conformance classes implemented', href: href(req, '/conformance') },
      { rel: 'data', type: JSON_TYPE, title: 'the collections', href: href(req, '/collections') },
      { rel: `${OGC_REL}/data`, type: JSON_TYPE, title: 'the collections', href: href(req, '/collections') },
    ],
  };
}

export interface Extent {
  bbox: number[] | null;
  from: string | null;
  to: string | null;
}

const round = (v: number, up: boolean): number => (up ? Math.ceil(v * 1e6) : Math.floor(v * 1e6)) / 1e6;

/** A collection's description; `self` is this document's own links when it is asked for alone. */
export function collectionDoc(req: Request, c: Collection, extent: Extent | null, workingSrid: number, self: Link[] | null): Record<string, unknown> {
  const base = `/collections/${encodeURIComponent(c.id)}`;
  const links: Link[] = [
    ...(self ?? [{ rel: 'self', type: JSON_TYPE, title: c.title, href: href(req, base) }, { rel: 'alternate', type: HTML_TYPE, title: `${c.title} as HTML`, href: href(req, base, { f: 'html' }) }]),
    { rel: 'items', type: GEOJSON_TYPE, title: `the features of ${c.id}`, href: href(req, `${base}/items`) },
    { rel: 'items', type: HTML_TYPE, title: `the features of ${c.id} as HTML`, href: href(req, `${base}/items`, { f: 'html' }) },
  ];
  if (c.tiles) links.push({ rel: `${OGC_REL}/tilesets-vector`, type: JSON_TYPE, title: `vector tiles of ${c.id}`, href: href(req, `${base}/tiles`) });
  const doc: Record<string, unknown> = { id: c.id, title: c.title, description: c.description, itemType: 'feature', links };
  const spatial = extent?.bbox ? { bbox: [[round(extent.bbox[0] ?? 0, false), round(extent.bbox[1] ?? 0, false), round(extent.bbox[2] ?? 0, true), round(extent.bbox[3] ?? 0, true)]], crs: CRS84 } : null;
  const temporal = extent?.from && extent.to
    ? { interval: [[`${extent.from}T00:00:00Z`, `${extent.to}T23:59:59Z`]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } : null;
  if (spatial || temporal) doc.extent = { ...(spatial ? { spatial } : {}), ...(temporal ? { temporal } : {}) };
  doc.crs = [...CRS_URIS];
  const storage = storageCrsUri(workingSrid);
  if (storage) doc.storageCrs = storage;
  return doc;
}

export function collectionsDoc(req: Request, format: Format, collections: Record<string, unknown>[]): Record<string, unknown> {
  return { links: selfLinks(req, format, JSON_TYPE), collections, crs: [...CRS_URIS] };
}

export interface ItemsDoc {
  type: 'FeatureCollection';
  features: Feature[];
  links: Link[];
  numberMatched: number;
  numberReturned: number;
  timeStamp: string;
}

/** A page of features with next/prev links that carry every other query parameter. */
export function itemsDoc(
  req: Request, format: Format, c: Collection, features: Feature[], numberMatched: number, page: { limit: number; offset: number }, returned = features.length,
): ItemsDoc {
  const links: Link[] = [...selfLinks(req, format, GEOJSON_TYPE)];
  const type = format === 'html' ? HTML_TYPE : GEOJSON_TYPE;
  if (page.offset + returned < numberMatched) {
    links.push({ rel: 'next', type, title: 'the next page', href: thisUrl(req, { offset: String(page.offset + returned), limit: String(page.limit) }) });
  }
  if (page.offset > 0) {
    const prev = Math.max(0, page.offset - page.limit);
    links.push({ rel: 'prev', type, title: 'the previous page', href: thisUrl(req, { offset: prev === 0 ? undefined : String(prev), limit: String(page.limit) }) });
  }
  links.push({ rel: 'collection', type: JSON_TYPE, title: c.title, href: href(req, `/collections/${encodeURIComponent(c.id)}`) });
  return { type: 'FeatureCollection', features, links, numberMatched, numberReturned: returned, timeStamp: new Date().toISOString() };
}

/**
 * The JSON text of an items document whose features are already JSON text (as PostgreSQL wrote
 * them, comma-separated within each part), in pieces to write out one after the other: spliced in,
 * never parsed and written again, and never joined into one string. Members in the same order as
 * JSON.stringify(doc).
 */
export function itemsJson(doc: Omit<ItemsDoc, 'features'>, featureParts: readonly string[]): string[] {
  const { type, links, numberMatched, numberReturned, timeStamp } = doc;
  const rest = JSON.stringify({ links, numberMatched, numberReturned, timeStamp });
  const out = [`{"type":${JSON.stringify(type)},"features":[`];
  featureParts.forEach((part, i) => (i === 0 ? out.push(part) : out.push(',', part)));
  out.push(`],${rest.slice(1)}`);
  return out;
}

export function itemDoc(req: Request, format: Format, c: Collection, feature: Feature): Feature & { links: Link[] } {
  return {
    ...feature,
    links: [
      ...selfLinks(req, format, GEOJSON_TYPE),
      { rel: 'collection', type: JSON_TYPE, title: c.title, href: href(req, `/collections/${encodeURIComponent(c.id)}`) },
    ],
  };
}
