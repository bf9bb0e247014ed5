import { featureFilter } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { selectionFilter } from './selection-layers.ts';

/** A tile feature as MapLibre's filter sees it: geometry type 2 = LineString, 3 = Polygon. */
const feature = (type: 2 | 3, properties: Record<string, unknown>, id?: number) => ({ type, properties, geometry: [], id });
const matches = (id: number | null, f: ReturnType<typeof feature>): boolean =>
  featureFilter(selectionFilter('casing', id), 'layers[0].filter').filter({ zoom: 12 }, f as never);

describe('selection highlight filter', () => {
  it('highlights the selected asset only, by its feature id (lean network tiles)', () => {
    expect(matches(42, feature(2, {}, 42))).toBe(true);
    expect(matches(42, feature(3, {}, 42))).toBe(true);
    expect(matches(42, feature(2, {}, 43))).toBe(false);
    expect(matches(null, feature(2, {}, 42))).toBe(false);
    // an id property is not the feature id (the networks tileset carries none)
    expect(matches(42, feature(2, { id: 42 }))).toBe(false);
  });

  it('never highlights low-zoom overview features, which carry no id, with or without a selection', () => {
    const cell = feature(3, { cell: true, n: 250, m_per_ha: 2200 });
    const merged = feature(2, { cell: false, n: 3 });
    const mergedLayer = feature(2, {});
    const noId = { type: 2, properties: {}, geometry: [] };
    for (const id of [null, 42]) {
      expect(matches(id, cell)).toBe(false);
      expect(matches(id, merged)).toBe(false);
      expect(matches(id, mergedLayer)).toBe(false);
      expect(matches(id, noId as never)).toBe(false);
    }
  });
});
