import { describe, expect, it } from 'vitest';
import { geometryBbox } from './geometry-bbox.ts';

describe('geometryBbox', () => {
  it('spans lines, polygons and their multi forms', () => {
    expect(geometryBbox({ type: 'LineString', coordinates: [[5.9, 51.1], [5.95, 51.08]] })).toEqual([5.9, 51.08, 5.95, 51.1]);
    expect(geometryBbox({ type: 'MultiPolygon', coordinates: [[[[5, 51], [5.1, 51], [5.1, 51.2], [5, 51]]], [[[6, 50], [6.1, 50], [6, 50.5], [6, 50]]]] })).toEqual([5, 50, 6.1, 51.2]);
  });

  it('gives a point a box of zero size', () => {
    expect(geometryBbox({ type: 'Point', coordinates: [5.9, 51.1] })).toEqual([5.9, 51.1, 5.9, 51.1]);
  });

  it('reads geometry collections and ignores heights', () => {
    expect(
      geometryBbox({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2, 30] }, { type: 'LineString', coordinates: [[3, 4], [0, 1]] }] }),
    ).toEqual([0, 1, 3, 4]);
  });

  it('is null without positions', () => {
    expect(geometryBbox(null)).toBeNull();
    expect(geometryBbox({ type: 'LineString', coordinates: [] })).toBeNull();
    expect(geometryBbox({ type: 'Polygon', coordinates: [[[Number.NaN, 1]]] })).toBeNull();
  });
});
