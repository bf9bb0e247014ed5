import { featureFilter } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { selectionFilter } from './selection-layers.ts';

/** A tile feature as MapLibre's filter sees it: geometry type 2 = LineString, 3 = Polygon. */
const feature = (type: 2 | 3, properties: Record<string, unknown>) => ({ type, properties, geometry: [] });
const matches = (id: number | null, f: ReturnType<typeof feature>): boolean =>
  featureFilter(selectionFilter('casing', id), 'layers[0].filter').filter({ zoom: 12 }, f as never);

describe('selection highlight filter', () => {
  it('highlights the selected asset only', () => {
    expect(matches(42, feature(2, { id: 42 }))).toBe(true);
    expect(matches(42, feature(2, { id: '42' }))).toBe(true);
    expect(matches(42, feature(2, { id: 43 }))).toBe(false);
  });

  it('never highlights low-zoom overview features, which carry no id, with or without a selection', () => {
    const cell = feature(3, { cell: true, n: 250, m_per_ha: 2200 });
    const merged = feature(2, { cell: false, n: 3 });
    for (const id of [null, 42]) {
      expect(matches(id, cell)).toBe(false);
      expect(matches(id, merged)).toBe(false);
    }
  });
});
