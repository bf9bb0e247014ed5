/**
 * deck.gl layers for the dig moratoria (graafrust): areas and streets that may not be opened for
 * a while. Without the dash/fill-pattern extensions a "barrier" look is made of two strokes: a
 * wide white casing with a narrower deep-red line on top, and a faint red fill. Deep red (#a50021)
 * is none of the system colours nor one of the owner palette colours. Drawn below the works.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, Geometry } from 'geojson';
import type { MoratoriaCollection, MoratoriumProperties } from '../api/types.ts';
import { interleaveBelow, isGeoJsonGeometry, type Rgba } from './works-layer.ts';

export const MORATORIA_LAYER_ID = 'moratoria';
export const MORATORIA_CASING_LAYER_ID = 'moratoria-casing';
export const MORATORIA_SELECTED_LAYER_ID = 'moratoria-selected';
export const MORATORIA_HOVER_LAYER_ID = 'moratoria-hover';

export const MORATORIUM_LINE: Rgba = [165, 0, 33, 235];
export const MORATORIUM_FILL: Rgba = [165, 0, 33, 28];
export const MORATORIUM_CASING: Rgba = [255, 255, 255, 230];
/** Drawn over the moratorium under the pointer. */
export const MORATORIUM_HOVER: Rgba = [165, 0, 33, 60];
/** Shown in the layer panel and on the detail card; same hue as MORATORIUM_LINE. */
export const MORATORIUM_LEGEND_COLOR = '#a50021';

export type MoratoriumGeoJson = Feature<Geometry, MoratoriumProperties>;

/** Moratoria with a usable geometry, typed for deck.gl. */
export function toMoratoriumFeatures(collection: MoratoriaCollection): MoratoriumGeoJson[] {
  const features: MoratoriumGeoJson[] = [];
  for (const f of collection.features) {
    if (isGeoJsonGeometry(f.geometry)) features.push({ type: 'Feature', id: f.properties.id, geometry: f.geometry, properties: f.properties });
  }
  return features;
}

export interface MoratoriaLayerProps {
  features: readonly MoratoriumGeoJson[];
  visible: boolean;
  selectedId: number | null;
  /** Id of the moratorium under the pointer; null = none. */
  hoveredId?: number | null | undefined;
  beforeId?: string | undefined;
}

const isLinear = (g: Geometry): boolean => g.type === 'LineString' || g.type === 'MultiLineString';

/** Pixel width of a moratorium's red line (a street: wide; an area's outline: thinner). */
export function moratoriumLineWidth(f: Pick<MoratoriumGeoJson, 'geometry'>): number {
  return isLinear(f.geometry) ? 5 : 3;
}

/**
 * Four layers, bottom to top: the white casing, the black selection halo, the red moratoria and
 * the hovered one. None is pickable: the map picks on the CPU (map/screen-pick.ts).
 */
export function createMoratoriaLayers({ features, visible, selectedId, hoveredId = null, beforeId }: MoratoriaLayerProps): GeoJsonLayer<MoratoriumProperties>[] {
  const data = features as MoratoriumGeoJson[];
  const selected = selectedId === null ? [] : data.filter((f) => f.properties.id === selectedId);
  const hovered = hoveredId === null ? [] : data.filter((f) => f.properties.id === hoveredId);
  const common = { ...interleaveBelow(beforeId), lineWidthUnits: 'pixels' as const, lineJointRounded: true, lineCapRounded: true };
  return [
    new GeoJsonLayer<MoratoriumProperties>({
      id: MORATORIA_CASING_LAYER_ID,
      data,
      ...common,
      visible,
      pickable: false,
      stroked: true,
      filled: false,
      getLineColor: MORATORIUM_CASING,
      getLineWidth: (f: MoratoriumGeoJson) => (isLinear(f.geometry) ? 10 : 7),
    }),
    new GeoJsonLayer<MoratoriumProperties>({
      id: MORATORIA_SELECTED_LAYER_ID,
      data: selected,
      ...common,
      visible: visible && selected.length > 0,
      pickable: false,
      stroked: true,
      filled: false,
      getLineColor: [0, 0, 0, 255],
      getLineWidth: (f: MoratoriumGeoJson) => (isLinear(f.geometry) ? 13 : 10),
    }),
    new GeoJsonLayer<MoratoriumProperties>({
      id: MORATORIA_LAYER_ID,
      data,
      ...common,
      visible,
      pickable: false,
      stroked: true,
      filled: true,
      getFillColor: MORATORIUM_FILL,
      getLineColor: MORATORIUM_LINE,
      getLineWidth: moratoriumLineWidth,
    }),
    new GeoJsonLayer<MoratoriumProperties>({
      id: MORATORIA_HOVER_LAYER_ID,
      data: hovered,
      ...common,
      visible: visible && hovered.length > 0,
      pickable: false,
      stroked: true,
      filled: true,
      getFillColor: MORATORIUM_HOVER,
      getLineColor: MORATORIUM_HOVER,
      getLineWidth: moratoriumLineWidth,
    }),
  ];
}
