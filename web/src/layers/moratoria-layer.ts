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

export const MORATORIUM_LINE: Rgba = [165, 0, 33, 235];
export const MORATORIUM_FILL: Rgba = [165, 0, 33, 28];
export const MORATORIUM_CASING: Rgba = [255, 255, 255, 230];
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
  beforeId?: string | undefined;
}

const isLinear = (g: Geometry): boolean => g.type === 'LineString' || g.type === 'MultiLineString';

/** Three layers, bottom to top: the white casing, the black selection halo, the red moratoria (pickable). */
export function createMoratoriaLayers({ features, visible, selectedId, beforeId }: MoratoriaLayerProps): GeoJsonLayer<MoratoriumProperties>[] {
  const data = [...features];
  const selected = selectedId === null ? [] : data.filter((f) => f.properties.id === selectedId);
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
      pickable: true,
      stroked: true,
      filled: true,
      getFillColor: MORATORIUM_FILL,
      getLineColor: MORATORIUM_LINE,
      getLineWidth: (f: MoratoriumGeoJson) => (isLinear(f.geometry) ? 5 : 3),
      autoHighlight: true,
      highlightColor: [165, 0, 33, 60],
    }),
  ];
}

/** The moratorium id behind a deck.gl pick. */
export function moratoriumIdFromPick(object: unknown): number | null {
  if (typeof object !== 'object' || object === null || !('properties' in object)) return null;
  const props: unknown = object.properties;
  if (typeof props !== 'object' || props === null || !('id' in props)) return null;
  return typeof props.id === 'number' ? props.id : null;
}
