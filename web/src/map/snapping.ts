/**
 * Snapping a pointer to the street while drawing: to the nearest vertex of another work, else to
 * the nearest point on a network line (the networks follow the streets), when that lies within
 * a few pixels. Pure: the map's projection and the candidates are passed in (draw-controller.ts
 * gathers them with queryRenderedFeatures).
 */
import { nearestPointOnLine } from '@turf/turf';
import type { Geometry, Position } from 'geojson';

export interface ScreenPoint {
  x: number;
  y: number;
}

/** lng/lat → CSS pixels in the map container. */
export type ProjectFn = (position: Position) => ScreenPoint;

export interface SnapCandidates {
  /** Lines to snap onto (polygon rings count as lines). */
  lines: readonly Position[][];
  /** Points to snap to first (the vertices of other works). */
  vertices: readonly Position[];
}

/** West, south, east, north. */
export type LngLatBox = [number, number, number, number];

/** Default snapping distance in CSS pixels. */
export const SNAP_TOLERANCE_PX = 12;

const pixelDistance = (a: ScreenPoint, b: ScreenPoint): number => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The position to use instead of `pointer`: the nearest vertex within `tolerancePx`, else the
 * nearest point on a line within it; undefined when nothing is that close.
 */
export function snapPosition(pointer: Position, candidates: SnapCandidates, project: ProjectFn, tolerancePx = SNAP_TOLERANCE_PX): Position | undefined {
  const at = project(pointer);
  let best: { position: Position; distance: number } | null = null;
  for (const vertex of candidates.vertices) {
    const distance = pixelDistance(at, project(vertex));
    if (distance <= tolerancePx && (!best || distance < best.distance)) best = { position: vertex, distance };
  }
  if (best) return [best.position[0] ?? 0, best.position[1] ?? 0];
  for (const line of candidates.lines) {
    if (line.length < 2) continue;
    const nearest = nearestPointOnLine({ type: 'LineString', coordinates: line }, pointer);
    const position = nearest.geometry.coordinates;
    const distance = pixelDistance(at, project(position));
    if (distance <= tolerancePx && (!best || distance < best.distance)) best = { position, distance };
  }
  return best ? [best.position[0] ?? 0, best.position[1] ?? 0] : undefined;
}

/** The lines of a geometry: a line itself, the parts of a multi-line, the rings of polygons. */
export function linesOf(geometry: Geometry | null | undefined): Position[][] {
  if (!geometry) return [];
  switch (geometry.type) {
    case 'LineString':
      return [geometry.coordinates];
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates;
    case 'MultiPolygon':
      return geometry.coordinates.flat();
    case 'GeometryCollection':
      return geometry.geometries.flatMap(linesOf);
    default:
      return [];
  }
}

/** Every vertex of a geometry (a polygon's closing vertex once). */
export function verticesOf(geometry: Geometry | null | undefined): Position[] {
  if (!geometry) return [];
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'Polygon':
      return geometry.coordinates.flatMap((ring) => ring.slice(0, -1));
    case 'MultiPolygon':
      return geometry.coordinates.flatMap((p) => p.flatMap((ring) => ring.slice(0, -1)));
    case 'GeometryCollection':
      return geometry.geometries.flatMap(verticesOf);
  }
}

export const inBox = (p: Position, [w, s, e, n]: LngLatBox): boolean => {
  const [x = Number.NaN, y = Number.NaN] = p;
  return x >= w && x <= e && y >= s && y <= n;
};

/** The vertices of some geometries that lie in a box (around the pointer): few to project per move. */
export function verticesInBox(geometries: readonly (Geometry | null | undefined)[], box: LngLatBox): Position[] {
  return geometries.flatMap((g) => verticesOf(g).filter((p) => inBox(p, box)));
}

/** The box around a pixel, `radiusPx` each way, in lng/lat (via the map's unproject). */
export function boxAround(point: ScreenPoint, radiusPx: number, unproject: (p: ScreenPoint) => Position): LngLatBox {
  const corners = [
    unproject({ x: point.x - radiusPx, y: point.y - radiusPx }),
    unproject({ x: point.x + radiusPx, y: point.y + radiusPx }),
  ];
  const xs = corners.map((c) => c[0] ?? 0);
  const ys = corners.map((c) => c[1] ?? 0);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The layers to snap to: the drawn line and area layers of the vital systems (`<code>-line`, `<code>-fill`). */
export function snapLayerIds(layerIds: readonly string[], systemCodes: readonly string[]): string[] {
  const wanted = new Set(systemCodes.flatMap((c) => [`${c}-line`, `${c}-fill`]));
  return layerIds.filter((id) => wanted.has(id));
}
