import { SYSTEMS } from '@model/systems.ts';
import { describe, expect, it } from 'vitest';
import { OWNER_PALETTE } from '../features/works/works-filter.ts';
import {
  createMoratoriaLayers,
  MORATORIA_CASING_LAYER_ID,
  MORATORIA_LAYER_ID,
  MORATORIA_HOVER_LAYER_ID,
  MORATORIA_SELECTED_LAYER_ID,
  MORATORIUM_LEGEND_COLOR,
  MORATORIUM_LINE,
  toMoratoriumFeatures,
} from './moratoria-layer.ts';

const properties = { id: 4, from: '2026-01-01', until: '2030-12-31', reason: 'Herinrichting', exceptions: [] };
const polygon = { type: 'Polygon', coordinates: [[[5, 51], [5.1, 51], [5.1, 51.1], [5, 51]]] };

describe('toMoratoriumFeatures', () => {
  it('keeps moratoria with a drawable geometry, id from the properties', () => {
    const features = toMoratoriumFeatures({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: polygon, properties },
        { type: 'Feature', id: 5, geometry: null, properties: { ...properties, id: 5 } },
      ],
    });
    expect(features.map((f) => f.id)).toEqual([4]);
  });
});

describe('createMoratoriaLayers', () => {
  const features = toMoratoriumFeatures({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon, properties }] });

  it('draws casing, selection halo, the red moratoria and the hovered one, bottom to top, none pickable', () => {
    const layers = createMoratoriaLayers({ features, visible: true, selectedId: 4 });
    expect(layers.map((l) => l.id)).toEqual([MORATORIA_CASING_LAYER_ID, MORATORIA_SELECTED_LAYER_ID, MORATORIA_LAYER_ID, MORATORIA_HOVER_LAYER_ID]);
    expect(layers.map((l) => l.props.pickable)).toEqual([false, false, false, false]);
    expect(layers[1]?.props.visible).toBe(true);
    expect(layers[3]?.props.visible).toBe(false);
    expect(createMoratoriaLayers({ features, visible: true, selectedId: null })[1]?.props.visible).toBe(false);
    const hovered = createMoratoriaLayers({ features, visible: true, selectedId: null, hoveredId: 4 })[3];
    expect(hovered?.props.visible).toBe(true);
    expect(hovered?.props.data).toEqual(features);
  });

  it('hands deck.gl the same features array, so a hover or selection does not rebuild its buffers', () => {
    const layers = createMoratoriaLayers({ features, visible: true, selectedId: null });
    expect(layers[2]?.props.data).toBe(features);
  });

  it('has a colour of its own: no system or owner colour', () => {
    const hex = `#${MORATORIUM_LINE.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    expect(hex).toBe(MORATORIUM_LEGEND_COLOR);
    for (const c of [...SYSTEMS.map((s) => s.color), ...OWNER_PALETTE]) expect(c.toLowerCase()).not.toBe(hex);
  });
});
