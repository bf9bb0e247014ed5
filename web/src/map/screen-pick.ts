/**
 * Picking the planned works and dig moratoria on the CPU, in screen pixels.
 *
 * deck.gl's own picking draws the pickable layers into an offscreen buffer and reads the pixels
 * back (`readPixels`), synchronously, on every pointerdown and on every hover: a stall on a real
 * GPU and 100–600 ms per pick under software WebGL (issue 9: the long tasks while panning were
 * these picks). Works and moratoria are few (thousands) and already in memory as GeoJSON, so the
 * features whose box is near the pointer are tested here instead, exactly as drawn: a line or an
 * outline is hit within half its pixel width, a filled polygon anywhere inside, a point within
 * its radius, and anything within `radius` more pixels counts as a near miss (nearest wins).
 */
import type { Geometry, Position } from 'geojson';

export interface PickFeature {
  geometry: Geometry;
  properties: { id: number };
}

export interface ScreenProjector {
  project(lngLat: [number, number]): { x: number; y: number };
  unproject(point: [number, number]): { lng: number; lat: number };
}

/** One feature as drawn: its box in lon/lat and its stroke width in pixels. */
interface Entry {
  id: number;
  geometry: Geometry;
  box: [number, number, number, number];
  widthPx: number;
}

export interface PickLayer {
  entries: Entry[];
  maxWidthPx: number;
}

/** The radius deck.gl draws GeoJSON points with in the works layer (pointRadiusUnits: pixels). */
export const POINT_RADIUS_PX = 6;

function extend(box: [number, number, number, number], p: Position): void {
  const x = p[0] ?? NaN;
  const y = p[1] ?? NaN;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  if (x < box[0]) box[0] = x;
  if (y < box[1]) box[1] = y;
  if (x > box[2]) box[2] = x;
  if (y > box[3]) box[3] = y;
}

function positions(g: Geometry, visit: (p: Position) => void): void {
  switch (g.type) {
    case 'Point': visit(g.coordinates); break;
    case 'MultiPoint': case 'LineString': g.coordinates.forEach(visit); break;
    case 'MultiLineString': case 'Polygon': for (const l of g.coordinates) l.forEach(visit); break;
    case 'MultiPolygon': for (const p of g.coordinates) for (const l of p) l.forEach(visit); break;
    case 'GeometryCollection': for (const c of g.geometries) positions(c, visit); break;
  }
}

const cache = new WeakMap<readonly PickFeature[], Map<string, PickLayer>>();

/** The features' boxes, computed once per features array (and width function name). */
export function pickLayer<T extends PickFeature>(features: readonly T[], widthPx: (f: T) => number, key = 'default'): PickLayer {
  let byKey = cache.get(features);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const entries: Entry[] = [];
  let maxWidthPx = 0;
  for (const f of features) {
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    positions(f.geometry, (p) => extend(box, p));
    if (box[0] > box[2]) continue;
    const w = widthPx(f);
    maxWidthPx = Math.max(maxWidthPx, w);
    entries.push({ id: f.properties.id, geometry: f.geometry, box, widthPx: w });
  }
  const layer = { entries, maxWidthPx };
  if (!byKey) cache.set(features, (byKey = new Map()));
  byKey.set(key, layer);
  return layer;
}

type Xy = { x: number; y: number };

function segmentDistance(p: Xy, a: Xy, b: Xy): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Distance from p to a projected path (pixels), and whether p is inside it as a closed ring (even-odd). */
function pathDistance(p: Xy, path: readonly Xy[]): { d: number; crossings: number } {
  let d = Infinity;
  let crossings = 0;
  for (let i = 0; i < path.length; i++) {
    const a = path[i] as Xy;
    const b = path[i + 1 === path.length ? 0 : i + 1] as Xy;
    if (i + 1 < path.length || path.length === 1) d = Math.min(d, segmentDistance(p, a, b));
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) crossings++;
  }
  return { d, crossings };
}

/** How the pointer meets a geometry: stroke distance (≤ 0 = on it) and whether it is inside a fill. */
function measure(g: Geometry, p: Xy, widthPx: number, proj: (q: Position) => Xy): { stroke: number; inFill: boolean } {
  const lines = (ls: readonly (readonly Position[])[]): { d: number; crossings: number } => {
    let d = Infinity;
    let crossings = 0;
    for (const l of ls) {
      const r = pathDistance(p, l.map(proj));
      d = Math.min(d, r.d);
      crossings += r.crossings;
    }
    return { d: d - widthPx / 2, crossings };
  };
  switch (g.type) {
    case 'Point':
    case 'MultiPoint': {
      const pts = g.type === 'Point' ? [g.coordinates] : g.coordinates;
      let d = Infinity;
      for (const q of pts) {
        const s = proj(q);
        d = Math.min(d, Math.hypot(p.x - s.x, p.y - s.y));
      }
      return { stroke: d - POINT_RADIUS_PX, inFill: false };
    }
    case 'LineString': return { stroke: lines([g.coordinates]).d, inFill: false };
    case 'MultiLineString': return { stroke: lines(g.coordinates).d, inFill: false };
    case 'Polygon': {
      const r = lines(g.coordinates);
      return { stroke: r.d, inFill: r.crossings % 2 === 1 };
    }
    case 'MultiPolygon': {
      let stroke = Infinity;
      let inFill = false;
      for (const poly of g.coordinates) {
        const r = lines(poly);
        stroke = Math.min(stroke, r.d);
        inFill ||= r.crossings % 2 === 1;
      }
      return { stroke, inFill };
    }
    case 'GeometryCollection': {
      let stroke = Infinity;
      let inFill = false;
      for (const c of g.geometries) {
        const r = measure(c, p, widthPx, proj);
        stroke = Math.min(stroke, r.stroke);
        inFill ||= r.inFill;
      }
      return { stroke, inFill };
    }
  }
}

/**
 * The id of the feature under (or within `radiusPx` of) a screen point, or null. What is drawn
 * on top wins, as in deck.gl: strokes over fills, later features over earlier ones; a near miss
 * goes to the nearest feature.
 */
export function pickOnScreen(layer: PickLayer, view: ScreenProjector, point: Xy, radiusPx: number): number | null {
  if (layer.entries.length === 0) return null;
  const reach = radiusPx + Math.max(layer.maxWidthPx / 2, POINT_RADIUS_PX);
  const corners = [
    view.unproject([point.x - reach, point.y - reach]), view.unproject([point.x + reach, point.y - reach]),
    view.unproject([point.x - reach, point.y + reach]), view.unproject([point.x + reach, point.y + reach]),
  ];
  const west = Math.min(...corners.map((c) => c.lng));
  const east = Math.max(...corners.map((c) => c.lng));
  const south = Math.min(...corners.map((c) => c.lat));
  const north = Math.max(...corners.map((c) => c.lat));
  const proj = (q: Position): Xy => view.project([q[0] ?? NaN, q[1] ?? NaN]);
  let best: { id: number; rank: number } | null = null;
  for (const e of layer.entries) {
    if (e.box[0] > east || e.box[2] < west || e.box[1] > north || e.box[3] < south) continue;
    const m = measure(e.geometry, point, e.widthPx, proj);
    // rank: 0 on a stroke, 1 inside a fill, else 2 + the distance of a near miss; later wins ties
    const rank = m.stroke <= 0 ? 0 : m.inFill ? 1 : m.stroke <= radiusPx ? 2 + m.stroke : Infinity;
    if (rank !== Infinity && (best === null || rank <= best.rank)) best = { id: e.id, rank };
  }
  return best?.id ?? null;
}
