/**
 * MapLibre layers for the preview of a file being imported: a GeoJSON source with the (≤ 500)
 * preview features, drawn on top of everything while the analyst reviews the import.
 *
 * Colour: a light orchid with dashed lines and a dark casing. Against every system colour, the
 * navy of the works and the basemap greys, #ee77ff has the largest smallest CIEDE2000 distance
 * (ΔE00 ≈ 25) of all colours of mid lightness, so a preview feature is never read as an existing
 * network; the dash says "not loaded yet".
 */
import type { ExpressionSpecification, GeoJSONSourceSpecification, LayerSpecification } from 'maplibre-gl';
import type { Bbox, PreviewCollection } from '../api/types.ts';

export const PREVIEW_SOURCE = 'import-preview';
export const PREVIEW_PREFIX = 'import-preview-';
export const PREVIEW_COLOR = '#ee77ff';
export const PREVIEW_CASING = '#3a0a45';

export function createPreviewSource(data: PreviewCollection): GeoJSONSourceSpecification {
  // The preview's geometries passed a shallow guard; MapLibre skips what it cannot draw.
  return { type: 'geojson', data: data as GeoJSONSourceSpecification['data'] };
}

const geometryIs = (type: 'Point' | 'LineString' | 'Polygon'): ExpressionSpecification => ['==', ['geometry-type'], type];
const source = PREVIEW_SOURCE;

export function createPreviewLayers(): LayerSpecification[] {
  return [
    { id: `${PREVIEW_PREFIX}fill`, type: 'fill', source, filter: geometryIs('Polygon'), paint: { 'fill-color': PREVIEW_COLOR, 'fill-opacity': 0.25 } },
    {
      id: `${PREVIEW_PREFIX}casing`,
      type: 'line',
      source,
      filter: ['in', ['geometry-type'], ['literal', ['LineString', 'Polygon']]],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': PREVIEW_CASING, 'line-width': 5, 'line-opacity': 0.75 },
    },
    {
      id: `${PREVIEW_PREFIX}line`,
      type: 'line',
      source,
      filter: ['any', geometryIs('LineString'), geometryIs('Polygon')],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': PREVIEW_COLOR, 'line-width': 3, 'line-dasharray': [2, 1.5] },
    },
    {
      id: `${PREVIEW_PREFIX}point`,
      type: 'circle',
      source,
      filter: geometryIs('Point'),
      paint: { 'circle-color': PREVIEW_COLOR, 'circle-radius': 5, 'circle-stroke-color': PREVIEW_CASING, 'circle-stroke-width': 2 },
    },
  ];
}

function visitPositions(coordinates: unknown, visit: (x: number, y: number) => void): void {
  if (!Array.isArray(coordinates)) return;
  const [x, y] = coordinates as unknown[];
  if (typeof x === 'number' && typeof y === 'number') {
    visit(x, y);
    return;
  }
  for (const child of coordinates) visitPositions(child, visit);
}

function visitGeometry(geometry: unknown, visit: (x: number, y: number) => void): void {
  if (typeof geometry !== 'object' || geometry === null) return;
  if ('coordinates' in geometry) visitPositions(geometry.coordinates, visit);
  if ('geometries' in geometry && Array.isArray(geometry.geometries)) for (const g of geometry.geometries) visitGeometry(g, visit);
}

/** WGS84 bounding box of the preview, or null when it has no (finite) coordinates. */
export function previewBbox(collection: PreviewCollection | null): Bbox | null {
  if (collection === null) return null;
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of collection.features) {
    visitGeometry(feature.geometry, (x, y) => {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    });
  }
  return box[0] <= box[2] ? box : null;
}
