import { SYSTEMS } from '@model/systems.ts';
import { describe, expect, it } from 'vitest';
import {
  colourAccessors,
  createWorksLayers,
  FILL_ALPHA,
  hexToRgb,
  LINE_ALPHA,
  LINE_WIDTH_PX,
  OUTLINE_WIDTH_PX,
  toWorkFeatures,
  workLineWidth,
  WORKS_FILL,
  WORKS_HOVER_LAYER_ID,
  WORKS_LAYER_ID,
  WORKS_LEGEND_COLOR,
  WORKS_LINE,
  WORKS_SELECTED_LAYER_ID,
  type WorkGeoJson,
} from './works-layer.ts';

describe('toWorkFeatures', () => {
  it('keeps works with a drawable geometry', () => {
    const features = toWorkFeatures({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 1, geometry: { type: 'Polygon', coordinates: [[[5, 51], [5.1, 51], [5.1, 51.1], [5, 51]]] }, properties: { id: 1 } },
        { type: 'Feature', id: 2, geometry: null, properties: { id: 2 } },
        { type: 'Feature', id: 3, geometry: { type: 'Blob', coordinates: [] }, properties: { id: 3 } },
      ],
    });
    expect(features.map((f) => f.properties.id)).toEqual([1]);
  });
});

describe('works colour', () => {
  it('differs from every system colour', () => {
    const hex = `#${WORKS_LINE.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    expect(hex).toBe(WORKS_LEGEND_COLOR);
    for (const s of SYSTEMS) expect(s.color.toLowerCase()).not.toBe(hex);
  });
});

const line: WorkGeoJson = { type: 'Feature', id: 1, geometry: { type: 'LineString', coordinates: [[5, 51], [5.1, 51]] }, properties: { id: 1, owner: 'wml' } };
const area: WorkGeoJson = { type: 'Feature', id: 2, geometry: { type: 'Polygon', coordinates: [[[5, 51], [5.1, 51], [5.1, 51.1], [5, 51]]] }, properties: { id: 2 } };

describe('work colours and widths', () => {
  it('reads hex colours, falling back to the default navy', () => {
    expect(hexToRgb('#0072B2')).toEqual([0, 114, 178]);
    expect(hexToRgb('e69f00')).toEqual([230, 159, 0]);
    expect(hexToRgb('red')).toEqual(WORKS_LINE.slice(0, 3));
  });

  it('colours per work from the colouring, lines strong and fills light', () => {
    const { line: lineColour, fill } = colourAccessors({ colourOf: (p) => (p.owner === 'wml' ? '#0072b2' : '#8c8c8c'), key: 'k' });
    expect(lineColour(line)).toEqual([0, 114, 178, LINE_ALPHA]);
    expect(fill(area)).toEqual([140, 140, 140, FILL_ALPHA]);
    const plain = colourAccessors(undefined);
    expect(plain.line(line)).toEqual(WORKS_LINE);
    expect(plain.fill(area)).toEqual(WORKS_FILL);
  });

  it('draws lines wide and area outlines thin', () => {
    expect(workLineWidth(line)).toBe(LINE_WIDTH_PX);
    expect(workLineWidth({ geometry: { type: 'MultiLineString', coordinates: [] } })).toBe(LINE_WIDTH_PX);
    expect(workLineWidth(area)).toBe(OUTLINE_WIDTH_PX);
  });
});

describe('createWorksLayers', () => {
  it('draws the selection halo below the works, and only the selected work in it', () => {
    const layers = createWorksLayers({ features: [line, area], visible: true, selectedId: 2, colouring: { colourOf: () => '#000000', key: 'owner:x' }, beforeId: 'anchor' });
    expect(layers.map((l) => l.id)).toEqual([WORKS_SELECTED_LAYER_ID, WORKS_LAYER_ID, WORKS_HOVER_LAYER_ID]);
    expect(layers[0]?.props.data).toEqual([area]);
    expect(layers[0]?.props.visible).toBe(true);
    expect(layers[1]?.props.data).toEqual([line, area]);
    // deck.gl picking reads pixels back; the map picks works on the CPU instead
    expect(layers.map((l) => l.props.pickable)).toEqual([false, false, false]);
    expect(layers[1]?.props.updateTriggers).toEqual({ getFillColor: 'owner:x', getLineColor: 'owner:x' });
    expect((layers[1]?.props as unknown as { beforeId?: string }).beforeId).toBe('anchor');
  });

  it('draws the hovered work on top, and passes the features array itself (no rebuild on hover)', () => {
    const features = [line, area];
    const layers = createWorksLayers({ features, visible: true, selectedId: null, hoveredId: 2 });
    expect(layers[1]?.props.data).toBe(features);
    expect(layers[2]?.props.data).toEqual([area]);
    expect(layers[2]?.props.visible).toBe(true);
    expect(createWorksLayers({ features, visible: true, selectedId: null })[2]?.props.visible).toBe(false);
  });

  it('hides the halo without a selected work among the features', () => {
    const layers = createWorksLayers({ features: [line], visible: true, selectedId: 2 });
    expect(layers[0]?.props.visible).toBe(false);
    expect(createWorksLayers({ features: [line], visible: false, selectedId: 1 }).every((l) => !l.props.visible)).toBe(true);
  });
});
