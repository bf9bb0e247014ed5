/** The WGS84 bounding box of a GeoJSON geometry, to fly the map to a work. Pure. */
import type { Bbox } from '../../api/types.ts';

function visit(coords: unknown, box: Bbox): void {
  if (!Array.isArray(coords)) return;
  const [x, y] = coords as unknown[];
  if (typeof x === 'number' && typeof y === 'number') {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
    return;
  }
  for (const c of coords) visit(c, box);
}

/** [west, south, east, north] of every position in the geometry; null when it has none. */
export function geometryBbox(geometry: { type: string; coordinates?: unknown; geometries?: unknown } | null | undefined): Bbox | null {
  if (!geometry) return null;
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  if (geometry.type === 'GeometryCollection' && Array.isArray(geometry.geometries)) {
    for (const g of geometry.geometries as unknown[]) {
      if (typeof g === 'object' && g !== null && 'type' in g && typeof g.type === 'string') {
        const inner = geometryBbox(g as { type: string; coordinates?: unknown; geometries?: unknown });
        if (inner) visit([[inner[0], inner[1]], [inner[2], inner[3]]], box);
      }
    }
  } else {
    visit(geometry.coordinates, box);
  }
  return box[0] === Infinity ? null : box;
}
