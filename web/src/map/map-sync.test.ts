import type { FilterSpecification, LayerSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { createSelectionLayers } from '../layers/selection-layers.ts';
import { initialVisibility, updateVisibility } from '../state/visibility.ts';
import { applySelection, applyVisibility, assetIdOf, indexSystemLayers, pickAt, type MapAdapter, type RenderedFeature, type ScreenBox } from './map-sync.ts';

const systemLayers = (code: string): LayerSpecification[] =>
  ['fill', 'line', 'point'].map((suffix) => ({ id: `${code}-${suffix}`, type: 'line', source: code, 'source-layer': code }));

const style = {
  layers: [
    { id: 'background', type: 'background' },
    ...systemLayers('gas_ld'),
    ...systemLayers('drinkwater'),
    ...createSelectionLayers('gas_ld', '#2ca02c'),
    ...createSelectionLayers('drinkwater', '#0057ff'),
  ] as LayerSpecification[],
};
const index = indexSystemLayers(style, ['gas_ld', 'drinkwater']);

class FakeMap implements MapAdapter {
  layout = new Map<string, string>();
  filters = new Map<string, FilterSpecification>();
  queries: { box: ScreenBox; layers: string[] }[] = [];
  constructor(private readonly hits: { properties: Record<string, unknown> | null }[] = []) {}
  setLayoutProperty(layerId: string, _name: 'visibility', value: 'visible' | 'none'): void {
    this.layout.set(layerId, value);
  }
  setFilter(layerId: string, filter: FilterSpecification): void {
    this.filters.set(layerId, filter);
  }
  queryRenderedFeatures(box: ScreenBox, options: { layers: string[] }): RenderedFeature[] {
    this.queries.push({ box, layers: options.layers });
    return this.hits;
  }
  // 1 degree = 1000 px, north up, origin at 5°E 52°N
  project([lng, lat]: [number, number]): { x: number; y: number } {
    return { x: (lng - 5) * 1000, y: (52 - lat) * 1000 };
  }
  unproject([x, y]: [number, number]): { lng: number; lat: number } {
    return { lng: 5 + x / 1000, lat: 52 - y / 1000 };
  }
}

const at = (x: number, y: number): [number, number] => [5 + x / 1000, 52 - y / 1000];
const work = (id: number, coordinates: [number, number][]) => ({ geometry: { type: 'LineString' as const, coordinates }, properties: { id } });
const area = (id: number, x0: number, y0: number, x1: number, y1: number) => ({
  geometry: { type: 'Polygon' as const, coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]] },
  properties: { id },
});
const NONE = { works: [], moratoria: [] };

describe('indexSystemLayers', () => {
  it('separates the clickable layers from the highlight layers', () => {
    expect(index.clickable.get('gas_ld')).toEqual(['gas_ld-fill', 'gas_ld-line', 'gas_ld-point']);
    expect(index.all.get('gas_ld')).toHaveLength(7);
  });
});

describe('applyVisibility', () => {
  it('hides every layer of a switched-off system and shows the others', () => {
    const map = new FakeMap();
    applyVisibility(map, index, updateVisibility(initialVisibility, { type: 'visibility/toggleSystem', system: 'gas_ld' }));
    expect(map.layout.get('gas_ld-line')).toBe('none');
    expect(map.layout.get('selection-gas_ld-casing')).toBe('none');
    expect(map.layout.get('drinkwater-line')).toBe('visible');
  });
});

describe('applySelection', () => {
  it('filters every highlight layer on the selected asset id', () => {
    const map = new FakeMap();
    applySelection(map, index, { kind: 'asset', id: 17 });
    expect(JSON.stringify(map.filters.get('selection-drinkwater-point'))).toContain('"17"');
    applySelection(map, index, { kind: 'work', id: 17 });
    expect(JSON.stringify(map.filters.get('selection-drinkwater-point'))).not.toContain('"17"');
  });
});

describe('pickAt', () => {
  it('returns the first network feature in a small box around the click', () => {
    const map = new FakeMap([{ properties: { id: 8 } }, { properties: { id: 9 } }]);
    const drawn = { works: [work(3, [at(90, 50), at(110, 50)])], moratoria: [] };
    expect(pickAt(map, index, { x: 100, y: 50 }, drawn)).toEqual({ kind: 'asset', id: 8 });
    expect(map.queries[0]?.box).toEqual([[96, 46], [104, 54]]);
    expect(map.queries[0]?.layers).not.toContain('selection-gas_ld-casing');
  });

  it('falls back to a drawn work: on its 4 px line or within the pick radius of it, not further', () => {
    const drawn = { works: [work(3, [at(0, 100), at(200, 100)])], moratoria: [] };
    expect(pickAt(new FakeMap(), index, { x: 50, y: 101 }, drawn)).toEqual({ kind: 'work', id: 3 });
    expect(pickAt(new FakeMap(), index, { x: 50, y: 105.5 }, drawn)).toEqual({ kind: 'work', id: 3 });
    expect(pickAt(new FakeMap(), index, { x: 50, y: 107 }, drawn)).toBeNull();
    expect(pickAt(new FakeMap(), index, { x: 50, y: 101 }, NONE)).toBeNull();
  });

  it('picks a dig moratorium inside its area, but a work drawn over it first', () => {
    const moratoria = [area(6, 0, 0, 100, 100)];
    const works = [work(3, [at(20, 50), at(80, 50)])];
    expect(pickAt(new FakeMap(), index, { x: 50, y: 20 }, { works, moratoria })).toEqual({ kind: 'moratorium', id: 6 });
    expect(pickAt(new FakeMap(), index, { x: 50, y: 50 }, { works, moratoria })).toEqual({ kind: 'work', id: 3 });
    expect(pickAt(new FakeMap(), index, { x: 50, y: 50 }, { works: [], moratoria })).toEqual({ kind: 'moratorium', id: 6 });
    expect(pickAt(new FakeMap(), index, { x: 150, y: 50 }, { works, moratoria })).toBeNull();
  });
});

describe('assetIdOf', () => {
  it('takes the feature id (lean network tiles), numbers and numeric strings only', () => {
    expect(assetIdOf({ id: 5, properties: {} })).toBe(5);
    expect(assetIdOf({ id: '12', properties: null })).toBe(12);
    expect(assetIdOf({ id: 'abc', properties: {} })).toBeNull();
    expect(assetIdOf({ id: 7, properties: { id: 9 } })).toBe(7);
  });

  it('falls back on an id property (a layer\'s full tiles), numbers and numeric strings only', () => {
    expect(assetIdOf({ properties: { id: 5 } })).toBe(5);
    expect(assetIdOf({ properties: { id: '12' } })).toBe(12);
    expect(assetIdOf({ properties: { id: 'abc' } })).toBeNull();
    expect(assetIdOf({ properties: { id: '' } })).toBeNull();
    expect(assetIdOf({ properties: null })).toBeNull();
  });

  it('finds none in a merged or overview feature', () => {
    expect(assetIdOf({ properties: { cell: true, m_per_ha: 120 } })).toBeNull();
    expect(assetIdOf({ id: undefined, properties: {} })).toBeNull();
  });
});
