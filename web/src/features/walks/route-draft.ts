/**
 * The route of a new wijkschouw as it is drawn (issue 7): a list of WGS84 points the facilitator
 * clicks on the map. Pure updaters, so the drawing rules are tested without a map: a click adds a
 * point (a second click on the same spot, as a double click gives, adds nothing), Backspace takes the
 * last one back, and only two or more points make a route.
 */
import type { WalkGeometry } from '../../api/walk-endpoints.ts';

export type Point = readonly [number, number];

export interface RouteDraft {
  drawing: boolean;
  points: readonly Point[];
}

export const EMPTY_ROUTE: RouteDraft = { drawing: false, points: [] };

/** Points closer than this (degrees, ~1 m) count as the same click. */
const SAME = 1e-5;
/** A walk of more points than this is not a route drawn by hand. */
export const MAX_ROUTE_POINTS = 500;

const round = (v: number): number => Math.round(v * 1e7) / 1e7;

export function addPoint(d: RouteDraft, lng: number, lat: number): RouteDraft {
  if (!d.drawing || !Number.isFinite(lng) || !Number.isFinite(lat) || d.points.length >= MAX_ROUTE_POINTS) return d;
  const last = d.points[d.points.length - 1];
  if (last && Math.abs(last[0] - lng) < SAME && Math.abs(last[1] - lat) < SAME) return d;
  return { ...d, points: [...d.points, [round(lng), round(lat)]] };
}

export const removeLast = (d: RouteDraft): RouteDraft => (d.points.length === 0 ? d : { ...d, points: d.points.slice(0, -1) });

export const startDrawing = (d: RouteDraft): RouteDraft => ({ ...d, drawing: true });

/** Stop drawing; a single point is no route and is dropped. */
export const finishDrawing = (d: RouteDraft): RouteDraft => ({ drawing: false, points: d.points.length >= 2 ? d.points : [] });

/** The route to send with the new walk, or undefined when none was drawn. */
export function routeGeometry(d: RouteDraft): WalkGeometry | undefined {
  return d.points.length >= 2 ? { type: 'LineString', coordinates: d.points.map((p) => [p[0], p[1]]) } : undefined;
}

/** The route shown while drawing: the points so far (a single point shows as a very short line). */
export function draftGeometry(d: RouteDraft): WalkGeometry | null {
  if (d.points.length === 0) return null;
  const [first] = d.points;
  const coordinates = d.points.length === 1 && first ? [[first[0], first[1]], [first[0], first[1]]] : d.points.map((p) => [p[0], p[1]]);
  return { type: 'LineString', coordinates };
}
