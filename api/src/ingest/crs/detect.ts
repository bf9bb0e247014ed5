/**
 * Guess a coordinate system from coordinate ranges, for files that do not say which one they use.
 * The guess depends only on the bounding box of the sample, so it is stable under reordering,
 * duplication and sub-sampling within the same box; the result always says it was guessed.
 */
import type { Geometry, Position } from 'geojson';
import type { CrsInfo } from '../formats/types.ts';

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** RD New's valid area: x 0–300 000 m, y 300 000–625 000 m. */
const RD_NEW: Box = { minX: 0, minY: 300_000, maxX: 300_000, maxY: 625_000 };
/** The Netherlands (with the Wadden and coastal waters) in longitude/latitude. */
const NL_LON_LAT: Box = { minX: 3, minY: 50, maxX: 8, maxY: 54 };
const WORLD_LON_LAT: Box = { minX: -180, minY: -90, maxX: 180, maxY: 90 };

function boxOf(sample: Iterable<readonly number[]>): Box | null {
  let box: Box | null = null;
  for (const p of sample) {
    const x = p[0];
    const y = p[1];
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (!box) box = { minX: x, minY: y, maxX: x, maxY: y };
    else {
      box.minX = Math.min(box.minX, x);
      box.minY = Math.min(box.minY, y);
      box.maxX = Math.max(box.maxX, x);
      box.maxY = Math.max(box.maxY, y);
    }
  }
  return box;
}

function inside(b: Box, area: Box): boolean {
  return b.minX >= area.minX && b.maxX <= area.maxX && b.minY >= area.minY && b.maxY <= area.maxY;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

function rangeText(b: Box): string {
  return `x ${fmt(b.minX)}..${fmt(b.maxX)}, y ${fmt(b.minY)}..${fmt(b.maxY)}`;
}

function guess(epsg: number | null, detail: string): CrsInfo {
  return { epsg, source: epsg === null ? 'unknown' : 'guessed', guessed: true, detail };
}

/**
 * EPSG:28992 when every coordinate lies in RD New's range, EPSG:4326 when they look like
 * longitude/latitude (in the Netherlands, or anywhere on earth), else unknown. Non-finite
 * coordinates are ignored. `guessed` is always true and `detail` says why.
 */
export function guessCrsFromCoordinates(sampleCoords: Iterable<readonly number[]>): CrsInfo {
  const b = boxOf(sampleCoords);
  if (!b) return guess(null, 'no coordinates to guess the coordinate system from');
  const range = rangeText(b);
  if (inside(b, RD_NEW)) return guess(28992, `coordinates ${range} look like RD New (EPSG:28992)`);
  if (inside(b, NL_LON_LAT)) {
    return guess(4326, `coordinates ${range} look like WGS 84 longitude/latitude in the Netherlands (EPSG:4326)`);
  }
  const swapped = { minX: b.minY, maxX: b.maxY, minY: b.minX, maxY: b.maxX };
  if (inside(swapped, NL_LON_LAT)) {
    return guess(null, `coordinates ${range} look like latitude/longitude in swapped order; the coordinate system is unknown`);
  }
  if (inside(b, WORLD_LON_LAT)) {
    return guess(4326, `coordinates ${range} look like longitude/latitude (EPSG:4326), though not in the Netherlands`);
  }
  return guess(null, `coordinates ${range} match no known coordinate system; the coordinate system is unknown`);
}

function pushPositions(positions: Position[], out: Position[], max: number): void {
  for (const p of positions) {
    if (out.length >= max) return;
    out.push(p);
  }
}

/** Append up to `max` positions of `geom` to `out` (for guessing); returns `out`. */
export function collectPositions(geom: Geometry | null, out: Position[], max = 10_000): Position[] {
  if (!geom || out.length >= max) return out;
  switch (geom.type) {
    case 'Point':
      pushPositions([geom.coordinates], out, max);
      break;
    case 'MultiPoint':
    case 'LineString':
      pushPositions(geom.coordinates, out, max);
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const part of geom.coordinates) pushPositions(part, out, max);
      break;
    case 'MultiPolygon':
      for (const poly of geom.coordinates) for (const ring of poly) pushPositions(ring, out, max);
      break;
    case 'GeometryCollection':
      for (const g of geom.geometries) collectPositions(g, out, max);
      break;
  }
  return out;
}
