/**
 * The phone map's style, built in code: a plain background (plus the online raster basemap when
 * /api/config has one), the walk's area and route, the hotspots, the GPS position with its accuracy
 * circle and the place chosen by hand. No glyphs or sprites: nothing to fetch when offline.
 */
import type { Feature, FeatureCollection, Geometry, Point, Polygon, Position } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { BasemapConfig } from '../api/types.ts';
import type { Walk } from './types.ts';

export const SRC = {
  walk: 'walk',
  hotspots: 'hotspots',
  accuracy: 'position-accuracy',
  position: 'position',
  manual: 'manual-point',
  basemap: 'basemap-raster',
} as const;

export const COLOURS = {
  background: '#e9edf1',
  walk: '#1d4f91',
  kans: '#0b6e2f',
  knelpunt: '#b3261e',
  position: '#0b57d0',
  manual: '#000000',
  manualRing: '#ffbf47',
} as const;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function featureCollection(features: readonly Feature[]): FeatureCollection {
  return { type: 'FeatureCollection', features: [...features] };
}

/** The walk's area and route as features (role: 'area' | 'route'). */
export function walkFeatures(walk: Pick<Walk, 'route' | 'area'>): FeatureCollection {
  const features: Feature[] = [];
  if (walk.area) features.push({ type: 'Feature', geometry: walk.area, properties: { role: 'area' } });
  if (walk.route) features.push({ type: 'Feature', geometry: walk.route, properties: { role: 'route' } });
  return featureCollection(features);
}

function collectPositions(geometry: Geometry, into: Position[]): void {
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries) collectPositions(g, into);
    return;
  }
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') into.push(value as Position);
    else for (const v of value) walk(v);
  };
  walk(geometry.coordinates);
}

/** [west, south, east, north] of the walk's area and route; null when it has neither. */
export function walkBounds(walk: Pick<Walk, 'route' | 'area'>): [number, number, number, number] | null {
  const positions: Position[] = [];
  for (const g of [walk.area, walk.route]) if (g) collectPositions(g, positions);
  const finite = positions.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (finite.length === 0) return null;
  const xs = finite.map((p) => p[0] ?? 0);
  const ys = finite.map((p) => p[1] ?? 0);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const EARTH_RADIUS_M = 6_371_008.8;

/** A circle of `radiusM` metres around lon/lat as a polygon (good enough at the scale of a street). */
export function accuracyCircle(lon: number, lat: number, radiusM: number, steps = 48): Polygon {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
  const ring: Position[] = [];
  for (let i = 0; i < steps; i++) {
    const a = (2 * Math.PI * i) / steps;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  ring.push(ring[0] ?? [lon, lat]);
  return { type: 'Polygon', coordinates: [ring] };
}

export function pointFeature(lon: number, lat: number, properties: Record<string, unknown> = {}): Feature<Point> {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

const kindColour: ExpressionSpecification = ['match', ['get', 'kind'], 'kans', COLOURS.kans, COLOURS.knelpunt];

function hotspotLayers(): LayerSpecification[] {
  return [
    {
      id: 'hotspots-others',
      type: 'circle',
      source: SRC.hotspots,
      filter: ['!=', ['get', 'own'], true],
      paint: {
        'circle-radius': 7,
        'circle-color': kindColour,
        'circle-opacity': 0.7,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'hotspots-own',
      type: 'circle',
      source: SRC.hotspots,
      filter: ['==', ['get', 'own'], true],
      paint: {
        'circle-radius': 10,
        'circle-color': kindColour,
        // a report still on the phone has a white ring, a stored one a black ring
        'circle-stroke-color': ['case', ['==', ['get', 'pending'], true], '#ffffff', '#000000'],
        'circle-stroke-width': 3,
      },
    },
  ];
}

export function buildSchouwStyle(basemap: BasemapConfig | null): StyleSpecification {
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } }];
  const sources: StyleSpecification['sources'] = {
    [SRC.walk]: { type: 'geojson', data: EMPTY },
    [SRC.hotspots]: { type: 'geojson', data: EMPTY },
    [SRC.accuracy]: { type: 'geojson', data: EMPTY },
    [SRC.position]: { type: 'geojson', data: EMPTY },
    [SRC.manual]: { type: 'geojson', data: EMPTY },
  };
  if (basemap) {
    sources[SRC.basemap] = { type: 'raster', tiles: [...basemap.tiles], tileSize: 256, maxzoom: 19, attribution: basemap.attribution };
    layers.push({ id: SRC.basemap, type: 'raster', source: SRC.basemap });
  }
  const isArea: FilterSpecification = ['==', ['get', 'role'], 'area'];
  const isRoute: FilterSpecification = ['==', ['get', 'role'], 'route'];
  layers.push(
    { id: 'walk-area-fill', type: 'fill', source: SRC.walk, filter: isArea, paint: { 'fill-color': COLOURS.walk, 'fill-opacity': 0.08 } },
    { id: 'walk-area-line', type: 'line', source: SRC.walk, filter: isArea, paint: { 'line-color': COLOURS.walk, 'line-width': 2, 'line-dasharray': [2, 1] } },
    { id: 'walk-route-casing', type: 'line', source: SRC.walk, filter: isRoute, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8 } },
    { id: 'walk-route', type: 'line', source: SRC.walk, filter: isRoute, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': COLOURS.walk, 'line-width': 4 } },
    { id: 'position-accuracy-fill', type: 'fill', source: SRC.accuracy, paint: { 'fill-color': COLOURS.position, 'fill-opacity': 0.12 } },
    { id: 'position-accuracy-line', type: 'line', source: SRC.accuracy, paint: { 'line-color': COLOURS.position, 'line-width': 1.5 } },
    ...hotspotLayers(),
    { id: 'position', type: 'circle', source: SRC.position, paint: { 'circle-radius': 8, 'circle-color': COLOURS.position, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } },
    { id: 'manual-point', type: 'circle', source: SRC.manual, paint: { 'circle-radius': 11, 'circle-color': COLOURS.manual, 'circle-stroke-color': COLOURS.manualRing, 'circle-stroke-width': 5 } },
  );
  return { version: 8, sources, layers };
}
