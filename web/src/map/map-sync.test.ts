import type { FilterSpecification, LayerSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { createSelectionLayers } from '../layers/selection-layers.ts';
import { initialVisibility, updateVisibility } from '../state/visibility.ts';
import { applySelection, applyVisibility, assetIdFromProperties, indexSystemLayers, pickAt, type MapAdapter, type ScreenBox } from './map-sync.ts';

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
  queryRenderedFeatures(box: ScreenBox, options: { layers: string[] }): { properties: Record<string, unknown> | null }[] {
    this.queries.push({ box, layers: options.layers });
    return this.hits;
  }
}

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
    expect(pickAt(map, null, index, { x: 100, y: 50 }, true)).toEqual({ kind: 'asset', id: 8 });
    expect(map.queries[0]?.box).toEqual([[96, 46], [104, 54]]);
    expect(map.queries[0]?.layers).not.toContain('selection-gas_ld-casing');
  });

  it('falls back to the works overlay, only when works are visible', () => {
    const overlay = { pickObject: () => ({ object: { properties: { id: 3 } } }) };
    expect(pickAt(new FakeMap(), overlay, index, { x: 1, y: 1 }, true)).toEqual({ kind: 'work', id: 3 });
    expect(pickAt(new FakeMap(), overlay, index, { x: 1, y: 1 }, false)).toBeNull();
    expect(pickAt(new FakeMap(), { pickObject: () => null }, index, { x: 1, y: 1 }, true)).toBeNull();
  });

  it('picks a dig moratorium by its layer, asking only for the visible deck layers', () => {
    const asked: (string[] | undefined)[] = [];
    const overlay = {
      pickObject: (p: { layerIds?: string[] }) => {
        asked.push(p.layerIds);
        return { object: { properties: { id: 6 } }, layer: { id: 'moratoria' } };
      },
    };
    expect(pickAt(new FakeMap(), overlay, index, { x: 1, y: 1 }, true, true)).toEqual({ kind: 'moratorium', id: 6 });
    expect(pickAt(new FakeMap(), overlay, index, { x: 1, y: 1 }, false, true)).toEqual({ kind: 'moratorium', id: 6 });
    expect(pickAt(new FakeMap(), overlay, index, { x: 1, y: 1 }, false, false)).toBeNull();
    expect(asked).toEqual([['works', 'moratoria'], ['moratoria']]);
  });
});

describe('assetIdFromProperties', () => {
  it('accepts numbers and numeric strings only', () => {
    expect(assetIdFromProperties({ id: 5 })).toBe(5);
    expect(assetIdFromProperties({ id: '12' })).toBe(12);
    expect(assetIdFromProperties({ id: 'abc' })).toBeNull();
    expect(assetIdFromProperties({ id: '' })).toBeNull();
    expect(assetIdFromProperties(null)).toBeNull();
  });
});
