/**
 * Links and content negotiation of the OGC API: every answer links to itself and to its other
 * representation with absolute URLs built from the request's protocol and host (the app trusts
 * the loopback proxy for X-Forwarded-Proto), keeping every other query parameter.
 * JSON or HTML is chosen by `f=json|html`, else by the Accept header (JSON when undecided).
 */
import type { Request } from 'express';
import { badRequest } from '../http/errors.ts';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

export type Format = 'json' | 'html';

export const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';
export const HTML_TYPE = 'text/html';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

/** The representation asked for: `f` wins; then Accept (text/html only when preferred to JSON). */
export function formatOf(req: Request): Format {
  const f = req.query.f;
  if (f !== undefined) {
    if (f === 'json' || f === 'html') return f;
    throw badRequest('invalid_f', `f must be json or html, not "${String(f)}"`);
  }
  return req.accepts([JSON_TYPE, GEOJSON_TYPE, 'application/vnd.oai.openapi+json', HTML_TYPE]) === HTML_TYPE ? 'html' : 'json';
}

/** The absolute URL of the OGC API root (`…/ogc`) for this request. */
export function apiRoot(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}/ogc`;
}

/** An absolute URL under /ogc with the given query parameters (undefined ones left out). */
export function href(req: Request, path: string, params: Record<string, string | undefined> = {}): string {
  const url = new URL(`${apiRoot(req)}${path}`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** This request's URL with some parameters changed (undefined removes one); all others kept. */
export function thisUrl(req: Request, changes: Record<string, string | undefined> = {}): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  return url.toString();
}

/** self + alternate for an answer given as `format`, whose JSON form has media type `jsonType`. */
export function selfLinks(req: Request, format: Format, jsonType: string): Link[] {
  const json: Link = { href: thisUrl(req, { f: 'json' }), type: jsonType, title: 'this document as JSON', rel: 'alternate' };
  const html: Link = { href: thisUrl(req, { f: 'html' }), type: HTML_TYPE, title: 'this document as HTML', rel: 'alternate' };
  return format === 'json'
    ? [{ ...json, rel: 'self', href: thisUrl(req) }, html]
    : [{ ...html, rel: 'self', href: thisUrl(req) }, json];
}
