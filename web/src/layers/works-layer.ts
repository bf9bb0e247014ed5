/**
 * deck.gl layers for the planned works (KLIC request polygons).
 *
 * Colour: a deep navy. The system palette covers most hues (including a
 * magenta for high voltage and crimson for heat), and navy keeps the largest
 * perceptual distance (CIELAB ΔE ≈ 50) to every one of them, so a work area
 * is never mistaken for a network.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, Geometry } from 'geojson';
import type { WorkProperties, WorksCollection } from '../api/types.ts';

export const WORKS_LAYER_ID = 'works';
export const WORKS_SELECTED_LAYER_ID = 'works-selected';

type Rgba = [number, number, number, number];

export const WORKS_FILL: Rgba = [25, 25, 112, 24];
export const WORKS_LINE: Rgba = [25, 25, 112, 220];
export const WORKS_SELECTED_LINE: Rgba = [0, 0, 0, 255];
/** Shown in the layer panel legend; same hue as WORKS_LINE. */
export const WORKS_LEGEND_COLOR = '#191970';

export type WorkGeoJson = Feature<Geometry, WorkProperties>;

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

function isGeoJsonGeometry(value: unknown): value is Geometry {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  if (typeof value.type !== 'string' || !GEOMETRY_TYPES.has(value.type)) return false;
  if (value.type === 'GeometryCollection') return 'geometries' in value && Array.isArray(value.geometries);
  return 'coordinates' in value && Array.isArray(value.coordinates);
}

/** Works with a usable geometry, typed for deck.gl. */
export function toWorkFeatures(collection: WorksCollection): WorkGeoJson[] {
  const features: WorkGeoJson[] = [];
  for (const f of collection.features) {
    if (isGeoJsonGeometry(f.geometry)) features.push({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties });
  }
  return features;
}

export interface WorksLayerProps {
  features: readonly WorkGeoJson[];
  visible: boolean;
  /** Id of the selected work, drawn with a heavier black outline. */
  selectedId: number | null;
  /** MapLibre layer to draw below (interleaved overlay); undefined draws on top of the style. */
  beforeId?: string | undefined;
}

/**
 * `beforeId` is read by @deck.gl/maplibre's interleaved overlay but is not part of the core layer
 * prop types, hence the untyped spread.
 */
function interleaveBelow(beforeId: string | undefined): object {
  return beforeId === undefined ? {} : { beforeId };
}

export function createWorksLayers({ features, visible, selectedId, beforeId }: WorksLayerProps): GeoJsonLayer<WorkProperties>[] {
  const selected = selectedId === null ? [] : features.filter((f) => f.properties.id === selectedId);
  return [
    new GeoJsonLayer<WorkProperties>({
      id: WORKS_LAYER_ID,
      data: [...features],
      ...interleaveBelow(beforeId),
      visible,
      pickable: true,
      stroked: true,
      filled: true,
      getFillColor: WORKS_FILL,
      getLineColor: WORKS_LINE,
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
      getPointRadius: 6,
      pointRadiusUnits: 'pixels',
      autoHighlight: true,
      highlightColor: [25, 25, 112, 70],
    }),
    new GeoJsonLayer<WorkProperties>({
      id: WORKS_SELECTED_LAYER_ID,
      data: selected,
      ...interleaveBelow(beforeId),
      visible: visible && selected.length > 0,
      pickable: false,
      stroked: true,
      filled: false,
      getLineColor: WORKS_SELECTED_LINE,
      getLineWidth: 4,
      lineWidthUnits: 'pixels',
    }),
  ];
}

/** The work id behind a deck.gl pick, if the pick hit a work. */
export function workIdFromPick(object: unknown): number | null {
  if (typeof object !== 'object' || object === null || !('properties' in object)) return null;
  const props: unknown = object.properties;
  if (typeof props !== 'object' || props === null || !('id' in props)) return null;
  return typeof props.id === 'number' ? props.id : null;
}
