/**
 * Planar geometry in metric coordinates (RD New), as PostGIS's ST_Distance computes it for
 * geometry types: 0 when the geometries meet (cross, touch, or one lies inside a polygon of the
 * other), else the shortest distance between their segments. Turf's distances are geodesic on
 * WGS84, so the analysis that must agree with PostGIS measures here. Pure.
 */

export type Position = readonly number[];
export type PlanarGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: readonly Position[] }
  | { type: 'LineString'; coordinates: readonly Position[] }
  | { type: 'MultiLineString'; coordinates: readonly (readonly Position[])[] }
  | { type: 'Polygon'; coordinates: readonly (readonly Position[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly Position[])[])[] };

export interface Parts {
  /** Segments as [ax, ay, bx, by]; a point is a segment of length 0. */
  segments: Float64Array;
  /** Polygons, each a list of rings (the first the shell). */
  polygons: (readonly Position[])[][];
  bbox: [number, number, number, number];
}

function lines(g: PlanarGeometry): (readonly Position[])[] {
  switch (g.type) {
    case 'Point': return [[g.coordinates, g.coordinates]];
    case 'MultiPoint': return g.coordinates.map((p) => [p, p]);
    case 'LineString': return [g.coordinates];
    case 'MultiLineString': return [...g.coordinates];
    case 'Polygon': return [...g.coordinates];
    case 'MultiPolygon': return g.coordinates.flat();
  }
}

/** Segments, polygons and bounding box of a geometry, once, for many distance questions. */
export function partsOf(g: PlanarGeometry): Parts {
  const ls = lines(g);
  const n = ls.reduce((s, l) => s + Math.max(1, l.length - 1), 0);
  const segments = new Float64Array(n * 4);
  let k = 0;
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const l of ls) {
    for (const p of l) {
      const x = p[0] ?? 0;
      const y = p[1] ?? 0;
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
    }
    const last = Math.max(1, l.length - 1);
    for (let i = 0; i < last; i++) {
      const a = l[i] ?? [0, 0];
      const b = l[Math.min(i + 1, l.length - 1)] ?? a;
      segments[k++] = a[0] ?? 0;
      segments[k++] = a[1] ?? 0;
      segments[k++] = b[0] ?? 0;
      segments[k++] = b[1] ?? 0;
    }
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates.map((r) => r)] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p.map((r) => r)) : [];
  return { segments, polygons, bbox };
}

function pointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const qx = ax + t * dx - px;
  const qy = ay + t * dy - py;
  return Math.sqrt(qx * qx + qy * qy);
}

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

function segmentsCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

function segmentSegment(s: Float64Array, i: number, t: Float64Array, j: number): number {
  const ax = s[i] ?? 0, ay = s[i + 1] ?? 0, bx = s[i + 2] ?? 0, by = s[i + 3] ?? 0;
  const cx = t[j] ?? 0, cy = t[j + 1] ?? 0, dx = t[j + 2] ?? 0, dy = t[j + 3] ?? 0;
  if (segmentsCross(ax, ay, bx, by, cx, cy, dx, dy)) return 0;
  return Math.min(pointSegment(ax, ay, cx, cy, dx, dy), pointSegment(bx, by, cx, cy, dx, dy), pointSegment(cx, cy, ax, ay, bx, by), pointSegment(dx, dy, ax, ay, bx, by));
}

/** Even-odd rule over the rings of one polygon (a point in a hole is outside). */
function inPolygon(x: number, y: number, rings: readonly (readonly Position[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]?.[0] ?? 0, yi = ring[i]?.[1] ?? 0, xj = ring[j]?.[0] ?? 0, yj = ring[j]?.[1] ?? 0;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function firstPointInside(s: Parts, polygons: Parts['polygons']): boolean {
  if (polygons.length === 0 || s.segments.length === 0) return false;
  const x = s.segments[0] ?? 0;
  const y = s.segments[1] ?? 0;
  return polygons.some((p) => inPolygon(x, y, p));
}

/** The gap between two bounding boxes (a lower bound of the distance). */
export function bboxGap(a: Parts['bbox'], b: Parts['bbox']): number {
  const dx = Math.max(0, b[0] - a[2], a[0] - b[2]);
  const dy = Math.max(0, b[1] - a[3], a[1] - b[3]);
  return Math.sqrt(dx * dx + dy * dy);
}

/** ST_Distance of two geometries in the same metric CRS. */
export function planarDistance(a: Parts, b: Parts): number {
  // one wholly inside a polygon of the other: no segment crosses, but the distance is 0
  if (firstPointInside(a, b.polygons) || firstPointInside(b, a.polygons)) return 0;
  let best = Infinity;
  for (let i = 0; i < a.segments.length; i += 4) {
    for (let j = 0; j < b.segments.length; j += 4) {
      const d = segmentSegment(a.segments, i, b.segments, j);
      if (d < best) {
        best = d;
        if (best === 0) return 0;
      }
    }
  }
  return best;
}
