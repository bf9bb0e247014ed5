/**
 * deck.gl layers for the planned works: KLIC request areas (polygons, lightly filled) and drawn
 * works (lines, 4 px). The colour comes from the works view (per owner or per system); the
 * selected work gets a black halo drawn below it, so its own colour stays visible.
 *
 * Default colour (no colour accessor): a deep navy. The system palette covers most hues, and
 * navy keeps the largest perceptual distance (CIELAB ΔE ≈ 50) to every one of them.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, Geometry } from 'geojson';
import type { WorkProperties, WorksCollection } from '../api/types.ts';
import { POINT_RADIUS_PX } from '../map/screen-pick.ts';

export const WORKS_LAYER_ID = 'works';
export const WORKS_SELECTED_LAYER_ID = 'works-selected';
export const WORKS_HOVER_LAYER_ID = 'works-hover';

export type Rgb = [number, number, number];
export type Rgba = [number, number, number, number];

export const WORKS_FILL: Rgba = [25, 25, 112, 24];
export const WORKS_LINE: Rgba = [25, 25, 112, 220];
export const WORKS_SELECTED_LINE: Rgba = [0, 0, 0, 255];
/** Drawn over the work under the pointer: lightens it. */
export const WORKS_HOVER: Rgba = [255, 255, 255, 90];
/** Shown in the layer panel legend; same hue as WORKS_LINE. */
export const WORKS_LEGEND_COLOR = '#191970';
/** Opacity of a polygon's fill and of its outline / of a line (0-255). */
export const FILL_ALPHA = 40;
export const LINE_ALPHA = 235;
/** Line widths in pixels: drawn works (lines) and area outlines; the halo adds to them. */
export const LINE_WIDTH_PX = 4;
export const OUTLINE_WIDTH_PX = 2;
export const HALO_EXTRA_PX = 4;

export type WorkGeoJson = Feature<Geometry, WorkProperties>;

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

export function isGeoJsonGeometry(value: unknown): value is Geometry {
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

/** '#1d4f91' → [29, 79, 145]; anything else → the default navy. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return [WORKS_LINE[0], WORKS_LINE[1], WORKS_LINE[2]];
  return [parseInt(m[1] ?? '0', 16), parseInt(m[2] ?? '0', 16), parseInt(m[3] ?? '0', 16)];
}

const isLinear = (g: Geometry | null | undefined): boolean => g?.type === 'LineString' || g?.type === 'MultiLineString';

/** Pixel width of a work's line: lines are drawn wide, area outlines thin. */
export function workLineWidth(f: Pick<WorkGeoJson, 'geometry'>): number {
  return isLinear(f.geometry) ? LINE_WIDTH_PX : OUTLINE_WIDTH_PX;
}

/** How works are coloured: a hex colour per work, and a key that changes whenever the colours do. */
export interface WorksColouring {
  colourOf: (p: WorkProperties) => string;
  /** For deck.gl updateTriggers (e.g. 'owner:a=#0072b2,b=#e69f00'). */
  key: string;
}

export interface WorksLayerProps {
  /** The works to draw (already filtered). */
  features: readonly WorkGeoJson[];
  visible: boolean;
  /** Id of the selected work, drawn with a black halo. */
  selectedId: number | null;
  /** Id of the work under the pointer, drawn lightened; null = none. */
  hoveredId?: number | null | undefined;
  /** Colours per work; absent = the default navy. */
  colouring?: WorksColouring | undefined;
  /** MapLibre layer to draw below (interleaved overlay); undefined draws on top of the style. */
  beforeId?: string | undefined;
}

/**
 * `beforeId` is read by @deck.gl/maplibre's interleaved overlay but is not part of the core layer
 * prop types, hence the untyped spread.
 */
export function interleaveBelow(beforeId: string | undefined): object {
  return beforeId === undefined ? {} : { beforeId };
}

/** Line and fill colour accessors for a colouring (memoised per colour string). */
export function colourAccessors(colouring: WorksColouring | undefined): { line: (f: WorkGeoJson) => Rgba; fill: (f: WorkGeoJson) => Rgba } {
  if (!colouring) return { line: () => WORKS_LINE, fill: () => WORKS_FILL };
  const cache = new Map<string, Rgb>();
  const rgb = (f: WorkGeoJson): Rgb => {
    const hex = colouring.colourOf(f.properties);
    let c = cache.get(hex);
    if (!c) {
      c = hexToRgb(hex);
      cache.set(hex, c);
    }
    return c;
  };
  return { line: (f) => [...rgb(f), LINE_ALPHA], fill: (f) => [...rgb(f), FILL_ALPHA] };
}

/**
 * Three layers, bottom to top: the selection halo, the works, the hovered work. None is pickable:
 * deck.gl's pixel read-back stalls the main thread, so the map picks on the CPU (map/screen-pick.ts).
 * `features` is passed on as it is: the same array keeps deck.gl from rebuilding its buffers.
 */
export function createWorksLayers({ features, visible, selectedId, hoveredId = null, colouring, beforeId }: WorksLayerProps): GeoJsonLayer<WorkProperties>[] {
  const selected = selectedId === null ? [] : features.filter((f) => f.properties.id === selectedId);
  const hovered = hoveredId === null ? [] : features.filter((f) => f.properties.id === hoveredId);
  const colours = colourAccessors(colouring);
  const colourKey = colouring?.key ?? 'default';
  const common = {
    ...interleaveBelow(beforeId), pickable: false, stroked: true, lineWidthUnits: 'pixels' as const, lineCapRounded: true, lineJointRounded: true,
  };
  const points = { getPointRadius: POINT_RADIUS_PX, pointRadiusUnits: 'pixels' as const };
  return [
    new GeoJsonLayer<WorkProperties>({
      ...common,
      id: WORKS_SELECTED_LAYER_ID,
      data: selected,
      visible: visible && selected.length > 0,
      filled: false,
      getLineColor: WORKS_SELECTED_LINE,
      getLineWidth: (f: WorkGeoJson) => workLineWidth(f) + 2 * HALO_EXTRA_PX,
    }),
    new GeoJsonLayer<WorkProperties>({
      ...common,
      ...points,
      id: WORKS_LAYER_ID,
      data: features as WorkGeoJson[],
      visible,
      filled: true,
      getFillColor: colours.fill,
      getLineColor: colours.line,
      getLineWidth: workLineWidth,
      updateTriggers: { getFillColor: colourKey, getLineColor: colourKey },
    }),
    new GeoJsonLayer<WorkProperties>({
      ...common,
      ...points,
      id: WORKS_HOVER_LAYER_ID,
      data: hovered,
      visible: visible && hovered.length > 0,
      filled: true,
      getFillColor: WORKS_HOVER,
      getLineColor: WORKS_HOVER,
      getLineWidth: workLineWidth,
    }),
  ];
}
