/**
 * Checks that must happen before PostGIS sees a geometry: PostGIS refuses NaN, unclosed rings and
 * too few points at parse time (the whole COPY would fail), so these are found here and reported
 * per feature. Self-intersections and the like are left to ST_IsValidDetail in the database.
 * Nothing is repaired silently: `closeRings` only runs when the analyst chose "repair".
 */
import type { Geometry, Position } from 'geojson';

export interface GeometryProblem {
  reason: string;
  /** can ST_MakeValid-style repair fix it (after closing rings)? */
  repairable: boolean;
}

/** RD New bounds (EPSG:28992 area of use, with a margin): the Netherlands incl. the 12-mile zone. */
const RD_BOUNDS = { minX: -8_000, maxX: 300_000, minY: 280_000, maxY: 630_000 };
const ABSURD = 1e9;

function* positions(g: Geometry): Generator<Position> {
  switch (g.type) {
    case 'Point':
      yield g.coordinates;
      break;
    case 'MultiPoint':
    case 'LineString':
      yield* g.coordinates;
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const part of g.coordinates) yield* part;
      break;
    case 'MultiPolygon':
      for (const poly of g.coordinates) for (const ring of poly) yield* ring;
      break;
    case 'GeometryCollection':
      for (const sub of g.geometries) yield* positions(sub);
      break;
  }
}

function ringProblem(ring: Position[]): GeometryProblem | null {
  if (ring.length < 3) return { reason: `Too few points in a polygon ring (${ring.length})`, repairable: false };
  const a = ring[0];
  const b = ring[ring.length - 1];
  const closed = a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
  if (!closed) return { reason: 'Polygon ring is not closed', repairable: true };
  if (ring.length < 4) return { reason: `Too few points in a polygon ring (${ring.length})`, repairable: false };
  return null;
}

function structureProblem(g: Geometry): GeometryProblem | null {
  switch (g.type) {
    case 'LineString':
      return g.coordinates.length < 2 ? { reason: `Too few points in a line (${g.coordinates.length})`, repairable: false } : null;
    case 'MultiLineString':
      return g.coordinates.some((l) => l.length < 2) ? { reason: 'Too few points in a line of a multi-line', repairable: false } : null;
    case 'Polygon':
      return g.coordinates.map(ringProblem).find((p) => p !== null) ?? null;
    case 'MultiPolygon':
      return g.coordinates.flatMap((poly) => poly.map(ringProblem)).find((p) => p !== null) ?? null;
    case 'GeometryCollection':
      return g.geometries.map(structureProblem).find((p) => p !== null) ?? null;
    default:
      return null;
  }
}

/** Problems of one geometry in the working CRS; `rdNew` adds the Netherlands bounds check. */
export function checkGeometry(g: Geometry | null, rdNew: boolean): GeometryProblem | null {
  if (g === null) return { reason: 'Feature has no geometry', repairable: false };
  let count = 0;
  for (const p of positions(g)) {
    count++;
    const [x, y] = p;
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
      return { reason: 'Coordinate is NaN or Infinity', repairable: false };
    }
    if (Math.abs(x) > ABSURD || Math.abs(y) > ABSURD) return { reason: `Absurd coordinate (${x}, ${y})`, repairable: false };
    if (rdNew && (x < RD_BOUNDS.minX || x > RD_BOUNDS.maxX || y < RD_BOUNDS.minY || y > RD_BOUNDS.maxY)) {
      return { reason: `Outside the Netherlands for RD New (${x}, ${y})`, repairable: false };
    }
  }
  if (count === 0) return { reason: 'Geometry is empty', repairable: false };
  return structureProblem(g);
}

/** Close open polygon rings (only on the analyst's "repair" choice). */
export function closeRings(g: Geometry): Geometry {
  const close = (ring: Position[]): Position[] => {
    const a = ring[0];
    const b = ring[ring.length - 1];
    return a && b && (a[0] !== b[0] || a[1] !== b[1]) ? [...ring, a] : ring;
  };
  if (g.type === 'Polygon') return { ...g, coordinates: g.coordinates.map(close) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: g.coordinates.map((p) => p.map(close)) };
  return g;
}

/** A representative location for the report (first coordinate). */
export function firstPosition(g: Geometry | null): [number, number] | null {
  if (!g) return null;
  for (const p of positions(g)) {
    const [x, y] = p;
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)) return [x, y];
  }
  return null;
}
