/** What the pre-COPY check (encode-geometry.ts) says about a geometry, and where it is. */
import type { Geometry, Position } from 'geojson';

export interface GeometryProblem {
  reason: string;
  /** can ST_MakeValid-style repair fix it (after closing rings)? */
  repairable: boolean;
}

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

/** A representative location for the report (first coordinate). */
export function firstPosition(g: Geometry | null): [number, number] | null {
  if (!g) return null;
  for (const p of positions(g)) {
    const [x, y] = p;
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)) return [x, y];
  }
  return null;
}
