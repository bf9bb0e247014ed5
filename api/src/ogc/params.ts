/**
 * The query parameters of the OGC API – Features endpoints, checked strictly: every problem is a
 * 400 that names the parameter. Unknown parameters are refused too (OGC API – Features Core allows
 * a server to reject them), so a typo such as `limt=5` never silently returns the default page.
 * `limit` above the maximum is clamped (the standard lets a server cap it).
 */
import { badRequest } from '../http/errors.ts';
import { type Crs, parseCrs } from './crs.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** Equality filters on attributes; each collection says which of them it has. */
export const FILTER_NAMES = ['system', 'owner', 'status'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** A time window as UTC calendar days (inclusive); null = open. */
export interface DayWindow {
  from: string | null;
  to: string | null;
}

export interface ItemsQuery {
  limit: number;
  offset: number;
  /** minx, miny, maxx, maxy in x/y order of `bboxCrs` (not yet swapped for lat/lon CRSs) */
  bbox: [number, number, number, number] | null;
  bboxCrs: Crs;
  crs: Crs;
  datetime: DayWindow | null;
  filters: Partial<Record<FilterName, string>>;
}

export type Query = Record<string, unknown>;

/** A parameter given at most once, as text. */
export function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest('invalid_parameter', `${name} must be given once, as a single value`);
  return v;
}

/** 400 for any parameter outside `allowed`, naming it and what is accepted. */
export function rejectUnknown(query: Query, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw badRequest('unknown_parameter', `unknown query parameter ${unknown.map((k) => `"${k}"`).join(', ')}; this endpoint accepts ${allowed.join(', ')}`);
  }
}

function nonNegativeInteger(name: string, text: string): number {
  if (!/^\d{1,12}$/.test(text.trim())) throw badRequest(`invalid_${name}`, `${name} must be a whole number ≥ ${name === 'limit' ? 1 : 0}, not "${text}"`);
  return Number(text.trim());
}

export function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const n = nonNegativeInteger('limit', text);
  if (n < 1) throw badRequest('invalid_limit', `limit must be a whole number ≥ 1, not "${text}"`);
  return Math.min(n, MAX_LIMIT);
}

/** bbox: four numbers (or six, with heights, which are ignored) in the axis order of bbox-crs. */
export function parseBbox(text: string, crs: Crs): [number, number, number, number] {
  const n = text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if ((n.length !== 4 && n.length !== 6) || !n.every(Number.isFinite)) {
    throw badRequest('invalid_bbox', `bbox must be four comma-separated numbers (minx,miny,maxx,maxy in ${crs.uri}), not "${text}"`);
  }
  const [minx, miny, maxx, maxy] = (n.length === 6 ? [n[0], n[1], n[3], n[4]] : n) as [number, number, number, number];
  if (minx > maxx || miny > maxy) throw badRequest('invalid_bbox', 'bbox: the lower corner must come first (minx ≤ maxx and miny ≤ maxy)');
  if (crs.srid === 4326) {
    const [lon1, lat1, lon2, lat2] = crs.latLon ? [miny, minx, maxy, maxx] : [minx, miny, maxx, maxy];
    if (lon1 < -180 || lon2 > 180 || lat1 < -90 || lat2 > 90) throw badRequest('invalid_bbox', 'bbox: longitudes must lie within -180..180 and latitudes within -90..90');
  }
  return [minx, miny, maxx, maxy];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** One end of `datetime` as a UTC calendar day; null for an open end (`..` or empty, intervals only). */
function dayOf(text: string, open: boolean): string | null {
  if (open && (text === '..' || text === '')) return null;
  if (DATE.test(text)) {
    const d = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text) return text;
  } else if (DATE_TIME.test(text)) {
    const d = new Date(text.toUpperCase());
    if (!Number.isNaN(d.getTime())) return d.toISOString().slice(0, 10);
  }
  throw badRequest('invalid_datetime',
    `datetime "${text}" is not an RFC 3339 date or date-time (e.g. 2027-05-01 or 2027-05-01T00:00:00Z)${open ? ' nor ".." (open)' : ''}`);
}

/**
 * `datetime`: an instant or an interval `a/b` with `..` (or nothing) for an open end. The windows
 * it is compared with are calendar days, so it is compared per UTC day; null when both ends are open.
 */
export function parseDatetime(text: string): DayWindow | null {
  const parts = text.trim().split('/');
  if (parts.length > 2) throw badRequest('invalid_datetime', `datetime "${text}" must be an instant or one interval start/end`);
  if (parts.length === 1) {
    const day = dayOf(parts[0] ?? '', false);
    return { from: day, to: day };
  }
  const [from, to] = [dayOf(parts[0] ?? '', true), dayOf(parts[1] ?? '', true)];
  if (from !== null && to !== null && from > to) throw badRequest('invalid_datetime', `datetime "${text}": the start lies after the end`);
  return from === null && to === null ? null : { from, to };
}

/** The parameters an items request accepts, common ones first, then the collection's filters. */
export const itemsParameters = (filters: readonly FilterName[]): string[] => ['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'crs', 'datetime', ...filters];

export function parseItemsQuery(query: Query, filters: readonly FilterName[]): ItemsQuery {
  rejectUnknown(query, itemsParameters(filters));
  const bboxCrs = parseCrs('bbox-crs', single(query, 'bbox-crs'));
  const bboxText = single(query, 'bbox');
  if (bboxText === undefined && query['bbox-crs'] !== undefined) throw badRequest('invalid_bbox', 'bbox-crs was given without a bbox');
  const datetime = single(query, 'datetime');
  const values: Partial<Record<FilterName, string>> = {};
  for (const name of filters) {
    const v = single(query, name);
    if (v === undefined) continue;
    if (v === '' || v.length > 200) throw badRequest('invalid_filter', `${name} must be a value of 1 to 200 characters`);
    values[name] = v;
  }
  const offsetText = single(query, 'offset');
  return {
    limit: parseLimit(single(query, 'limit')),
    offset: offsetText === undefined ? 0 : nonNegativeInteger('offset', offsetText),
    bbox: bboxText === undefined ? null : parseBbox(bboxText, bboxCrs),
    bboxCrs,
    crs: parseCrs('crs', single(query, 'crs')),
    datetime: datetime === undefined ? null : parseDatetime(datetime),
    filters: values,
  };
}
