/**
 * The shareable state of the map in the URL's hash (issue 8, "the map state lives in the URL"):
 * format it, and parse it back robustly. Pure; the wiring is app/use-url-state.ts.
 *
 *   #map=16.25/51.17981/5.88043&layers=-gas_ld,-works&owner=wml,gm0935&t=2027-03-01..2027-06-30
 *    &colour=system&group=system&tab=analysis&sel=work:12
 *
 * - map    zoom/lat/lon[/bearing[/pitch]] (the OpenStreetMap order); bearing and pitch only
 *          when not 0; lat/lon rounded to what a pixel shows at that zoom
 * - layers what differs from the default (everything on): `-code` off, `+code` on; codes are
 *          the vital systems' codes plus `works` and `moratoria`
 * - owner, system, status, kind  the works filter: the keys shown (comma-separated, each
 *          percent-encoded); absent = all, empty = none
 * - t      the time window `from..to` (one day `2027-03-01` is read as that day only)
 * - colour, group  `system` (the default `owner` is left out)
 * - tab    `analysis` or `walks` (the layers tab is the default)
 * - sel    the selected object `asset:<id>`, `work:<id>` or `moratorium:<id>`
 *
 * Parsing reads each part on its own: an unknown or malformed part is skipped (never an error),
 * numbers are clamped to their ranges, unknown layer codes are dropped. The language is a
 * personal setting (localStorage) and is never put in the URL. The hash, not the query, so the
 * state never reaches the server or its logs.
 */
import { isSystemCode } from '@model/systems.ts';
import { toDay, type DayWindow } from '../features/works/dates.ts';
import { FACETS, initialWorksFilter, updateWorksFilter, type Facet, type WorksFilter } from '../features/works/works-filter.ts';
import type { Selection, SelectionKind } from './selection.ts';
import { initialVisibility, updateVisibility, type VisibilityState } from './visibility.ts';

export const SIDE_TABS = ['layers', 'analysis', 'walks'] as const;
export type SideTab = (typeof SIDE_TABS)[number];

export interface MapCamera {
  /** [longitude, latitude], WGS84. */
  readonly center: readonly [number, number];
  readonly zoom: number;
  readonly bearing: number;
  readonly pitch: number;
}

export interface ShareState {
  /** null = the default view (fit to the data's extent). */
  readonly camera: MapCamera | null;
  readonly visibility: VisibilityState;
  readonly filter: WorksFilter;
  readonly tab: SideTab;
  readonly selection: Selection;
}

export const defaultShareState: ShareState = {
  camera: null, visibility: initialVisibility, filter: initialWorksFilter, tab: 'layers', selection: null,
};

export const MAX_ZOOM = 22;
/** Web Mercator's latitude limit. */
export const MAX_LAT = 85.051129;
/** MapLibre's default maximum pitch. */
export const MAX_PITCH = 60;
/** A longer key or list is not a real link: skipped. */
const MAX_KEY_LENGTH = 200;
const MAX_KEYS = 500;

/** The URL names of the facets. */
export const FACET_PARAMS: Readonly<Record<Facet, string>> = { owners: 'owner', systems: 'system', statuses: 'status', kinds: 'kind' };

const SELECTION_KINDS: readonly SelectionKind[] = ['asset', 'work', 'moratorium'];
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Decimals of lat/lon that still matter at this zoom (about a pixel; as Mapbox's hash does). */
export function coordinateDecimals(zoom: number): number {
  return Math.max(0, Math.ceil((zoom * Math.LN2 + Math.log(512 / 360 / 0.5)) / Math.LN10));
}

/** A number with at most `decimals` decimals, without trailing zeros ('-0' becomes '0'). */
export function formatNumber(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Bearing in (-180, 180]. */
export function normaliseBearing(bearing: number): number {
  const b = ((((bearing + 180) % 360) + 360) % 360) - 180;
  return b === -180 ? 180 : b;
}

function formatCamera(c: MapCamera): string {
  const zoom = formatNumber(clamp(c.zoom, 0, MAX_ZOOM), 2);
  // decimals from the zoom as written, so formatting a parsed camera again gives the same text
  const d = coordinateDecimals(Number(zoom));
  const parts = [zoom, formatNumber(clamp(c.center[1], -MAX_LAT, MAX_LAT), d), formatNumber(clamp(c.center[0], -180, 180), d)];
  const bearing = formatNumber(normaliseBearing(c.bearing), 1);
  const pitch = formatNumber(clamp(c.pitch, 0, MAX_PITCH), 0);
  if (bearing !== '0' || pitch !== '0') parts.push(bearing);
  if (pitch !== '0') parts.push(pitch);
  return parts.join('/');
}

function formatLayers(v: VisibilityState): string {
  const off = [...new Set(v.hidden)].map((code) => `-${code}`);
  if (!v.works) off.push('-works');
  if (!v.moratoria) off.push('-moratoria');
  return off.join(',');
}

/** Percent-encoded; a lone surrogate (not valid UTF-16, cannot be encoded) becomes U+FFFD. */
const encodeKey = (key: string): string => encodeURIComponent(key.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
const formatKeys = (keys: ReadonlySet<string>): string => [...keys].map(encodeKey).join(',');

/** The hash (without '#') for this state; parts at their default are left out. */
export function formatShareHash(s: ShareState): string {
  const parts: [string, string][] = [];
  if (s.camera) parts.push(['map', formatCamera(s.camera)]);
  const layers = formatLayers(s.visibility);
  if (layers !== '') parts.push(['layers', layers]);
  for (const facet of FACETS) {
    const sel = s.filter[facet];
    if (sel !== 'all') parts.push([FACET_PARAMS[facet], formatKeys(sel)]);
  }
  const w = s.filter.window;
  if (w) parts.push(['t', w.from === w.to ? w.from : `${w.from}..${w.to}`]);
  if (s.filter.colourBy !== 'owner') parts.push(['colour', s.filter.colourBy]);
  if (s.filter.groupBy !== 'owner') parts.push(['group', s.filter.groupBy]);
  if (s.tab !== 'layers') parts.push(['tab', s.tab]);
  if (s.selection) parts.push(['sel', `${s.selection.kind}:${s.selection.id}`]);
  return parts.map(([k, v]) => `${k}=${v}`).join('&');
}

// ---------- parsing ----------

const NUMBER = /^-?\d{1,12}(\.\d{1,20})?$/;

/** A plain decimal number (no exponent, no Infinity, no hex); null otherwise. */
function parseNumber(text: string | undefined): number | null {
  if (text === undefined || !NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export function parseCamera(text: string): MapCamera | null {
  const [z, lat, lon, bearing, pitch, ...rest] = text.split('/').map((p) => parseNumber(p));
  if (rest.length > 0 || z == null || lat == null || lon == null) return null;
  return {
    center: [clamp(lon, -180, 180), clamp(lat, -MAX_LAT, MAX_LAT)],
    zoom: clamp(z, 0, MAX_ZOOM),
    bearing: bearing == null ? 0 : normaliseBearing(bearing),
    pitch: pitch == null ? 0 : clamp(pitch, 0, MAX_PITCH),
  };
}

export function parseLayers(text: string): VisibilityState {
  let v = initialVisibility;
  for (const item of text.split(',')) {
    const visible = !item.startsWith('-');
    const code = item.replace(/^[-+ ]/, '');
    if (code === 'works') v = updateVisibility(v, { type: 'visibility/setWorks', visible });
    else if (code === 'moratoria') v = { ...v, moratoria: visible };
    else if (isSystemCode(code)) v = updateVisibility(v, { type: 'visibility/setSystems', systems: [code], visible });
  }
  return v;
}

/** The keys of a facet; null when the list is malformed (then the facet stays 'all'). */
export function parseKeys(text: string): string[] | null {
  if (text === '') return [];
  const items = text.split(',');
  if (items.length > MAX_KEYS) return null;
  const keys: string[] = [];
  for (const item of items) {
    const key = decode(item);
    if (key === null || key === '' || key.length > MAX_KEY_LENGTH) return null;
    keys.push(key);
  }
  return keys;
}

/** `from..to` or one day; the ends are put in order. null when not two real days. */
export function parseWindow(text: string): DayWindow | null {
  const [from, to, ...rest] = text.split('..');
  const end = to ?? from;
  if (rest.length > 0 || from === undefined || end === undefined || toDay(from) !== from || toDay(end) !== end) return null;
  return from <= end ? { from, to: end } : { from: end, to: from };
}

export function parseSelection(text: string): Selection {
  const [kind, id, ...rest] = text.split(':');
  const n = id !== undefined && /^\d{1,15}$/.test(id) ? Number(id) : 0;
  const known = SELECTION_KINDS.find((k) => k === kind);
  return rest.length === 0 && known !== undefined && Number.isSafeInteger(n) && n > 0 ? { kind: known, id: n } : null;
}

/** The name=value pairs of a hash or query string; the first of a repeated name wins. */
function pairs(hash: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of hash.replace(/^[#?]/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq);
    if (!out.has(name)) out.set(name, part.slice(eq + 1));
  }
  return out;
}

const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T => list.some((v) => v === value);

/** Read the shareable state from a hash (with or without '#'); what cannot be read keeps its default. */
export function parseShareHash(hash: string): ShareState {
  const p = pairs(hash);
  // map, t and sel may arrive percent-encoded (some mail and chat programs do that)
  const whole = (name: string): string | undefined => {
    const raw = p.get(name);
    return raw === undefined ? undefined : (decode(raw) ?? undefined);
  };
  const mapText = whole('map');
  const layersText = p.get('layers');
  let filter = initialWorksFilter;
  for (const facet of FACETS) {
    const raw = p.get(FACET_PARAMS[facet]);
    const keys = raw === undefined ? null : parseKeys(raw);
    if (keys !== null) filter = updateWorksFilter(filter, { type: 'works/setFacet', facet, keys });
  }
  const tText = whole('t');
  const window = tText === undefined ? null : parseWindow(tText);
  if (window) filter = updateWorksFilter(filter, { type: 'works/window', window });
  const colour = p.get('colour');
  if (colour === 'owner' || colour === 'system') filter = updateWorksFilter(filter, { type: 'works/colourBy', by: colour });
  const group = p.get('group');
  if (group === 'owner' || group === 'system') filter = updateWorksFilter(filter, { type: 'works/groupBy', by: group });
  const tab = p.get('tab');
  const selText = whole('sel');
  return {
    camera: mapText === undefined ? null : parseCamera(mapText),
    visibility: layersText === undefined ? initialVisibility : parseLayers(layersText),
    filter,
    tab: isOneOf(SIDE_TABS, tab) ? tab : 'layers',
    selection: selText === undefined ? null : parseSelection(selText),
  };
}
