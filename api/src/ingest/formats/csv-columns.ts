/**
 * CSV specifics that do not depend on the parser: the delimiter, which columns hold the geometry,
 * number parsing (with Dutch decimal commas in ';'-files) and building a row's geometry.
 */
import type { Geometry } from 'geojson';
import { WKTLoader } from '@loaders.gl/wkt';
import { isGeometry } from './common.ts';
import type { OpenOptions, PropertyValue } from './types.ts';

export type Delimiter = ';' | ',' | '\t';

export type GeometryColumns = { kind: 'wkt'; wkt: string } | { kind: 'xy'; x: string; y: string };

const WKT_NAMES = ['wkt', 'geom', 'geometry', 'the_geom', 'geometrie', 'wkt_geom', 'shape', 'geom_wkt'];
const XY_PAIRS: readonly (readonly [string, string])[] = [
  ['x', 'y'],
  ['lon', 'lat'],
  ['lng', 'lat'],
  ['long', 'lat'],
  ['longitude', 'latitude'],
  ['lengtegraad', 'breedtegraad'],
  ['x_coord', 'y_coord'],
  ['xcoord', 'ycoord'],
  ['x_coordinaat', 'y_coordinaat'],
  ['xcoordinaat', 'ycoordinaat'],
  ['rd_x', 'rd_y'],
  ['x_rd', 'y_rd'],
];

/** Count delimiters outside quotes in the header line; the most frequent wins (',' on a tie). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/** The geometry columns: from the options, else by name (case-insensitive). Null when none. */
export function findGeometryColumns(columns: readonly string[], csv: OpenOptions['csv']): GeometryColumns | null {
  const byLower = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
  const resolve = (name: string | undefined) => (name === undefined ? undefined : byLower.get(name.trim().toLowerCase()));
  const wktOption = resolve(csv?.wktColumn);
  if (wktOption) return { kind: 'wkt', wkt: wktOption };
  const xOption = resolve(csv?.xColumn);
  const yOption = resolve(csv?.yColumn);
  if (xOption && yOption) return { kind: 'xy', x: xOption, y: yOption };
  for (const name of WKT_NAMES) {
    const hit = byLower.get(name);
    if (hit) return { kind: 'wkt', wkt: hit };
  }
  for (const [x, y] of XY_PAIRS) {
    const hx = byLower.get(x);
    const hy = byLower.get(y);
    if (hx && hy) return { kind: 'xy', x: hx, y: hy };
  }
  return null;
}

const NUMBER = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const FRACTION = /^[+-]?\.\d+$/;
const DECIMAL_COMMA = /^[+-]?(?:0|[1-9]\d*),\d+$/;

/**
 * A number when the text is one ('12', '-0.5', '1e3'; with decimalComma also '155000,25'),
 * else null. Leading zeros ('0612', '007') stay text: they are codes, not quantities.
 */
export function parseNumber(text: string, decimalComma: boolean): number | null {
  const t = text.trim();
  if (NUMBER.test(t) || FRACTION.test(t)) return Number(t);
  if (decimalComma && DECIMAL_COMMA.test(t)) return Number(t.replace(',', '.'));
  return null;
}

/** A cell as a property: '' → null, numbers as numbers, everything else as text. */
export function cellValue(raw: unknown, decimalComma: boolean): PropertyValue {
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  if (text.trim() === '') return null;
  return parseNumber(text, decimalComma) ?? text;
}

export interface RowGeometry {
  geometry: Geometry | null;
  issue?: string;
}

function wktGeometry(text: string, column: string): RowGeometry {
  if (text.trim() === '') return { geometry: null };
  let parsed: unknown;
  try {
    parsed = WKTLoader.parseTextSync(text);
  } catch {
    parsed = null;
  }
  if (isGeometry(parsed)) return { geometry: parsed };
  return { geometry: null, issue: `column "${column}" does not hold valid WKT (${JSON.stringify(text.slice(0, 40))})` };
}

/**
 * The geometry of one row; unreadable values give null with an issue. x/y accept a decimal comma
 * in any file (in a ','-file such a value must be quoted to be one cell).
 */
export function rowGeometry(row: Record<string, unknown>, cols: GeometryColumns): RowGeometry {
  if (cols.kind === 'wkt') return wktGeometry(String(row[cols.wkt] ?? ''), cols.wkt);
  const xs = String(row[cols.x] ?? '').trim();
  const ys = String(row[cols.y] ?? '').trim();
  if (xs === '' && ys === '') return { geometry: null };
  const x = parseNumber(xs, true);
  const y = parseNumber(ys, true);
  if (x === null || y === null) {
    return { geometry: null, issue: `columns "${cols.x}"/"${cols.y}" do not hold numbers (${JSON.stringify(xs)}, ${JSON.stringify(ys)})` };
  }
  return { geometry: { type: 'Point', coordinates: [x, y] } };
}
