import { SYSTEMS } from '@model/systems.ts';
import { describe, expect, it } from 'vitest';
import { toWorkFeatures, workIdFromPick, WORKS_LEGEND_COLOR, WORKS_LINE } from './works-layer.ts';

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

describe('workIdFromPick', () => {
  it('reads the id from a picked feature', () => {
    expect(workIdFromPick({ type: 'Feature', properties: { id: 4 } })).toBe(4);
    expect(workIdFromPick({ properties: {} })).toBeNull();
    expect(workIdFromPick(null)).toBeNull();
  });
});

describe('works colour', () => {
  it('differs from every system colour', () => {
    const hex = `#${WORKS_LINE.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    expect(hex).toBe(WORKS_LEGEND_COLOR);
    for (const s of SYSTEMS) expect(s.color.toLowerCase()).not.toBe(hex);
  });
});
