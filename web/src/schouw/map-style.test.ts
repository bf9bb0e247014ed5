import { describe, expect, it } from 'vitest';
import { accuracyCircle, buildSchouwStyle, SRC, walkBounds, walkFeatures } from './map-style.ts';

describe('buildSchouwStyle', () => {
  it('draws on a plain background without a basemap, with no glyphs or sprites to fetch', () => {
    const style = buildSchouwStyle(null);
    expect(style.layers[0]).toMatchObject({ id: 'background', type: 'background' });
    expect(style.layers.some((l) => l.type === 'raster' || l.type === 'symbol')).toBe(false);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(Object.keys(style.sources)).toEqual(expect.arrayContaining([SRC.walk, SRC.hotspots, SRC.position, SRC.accuracy, SRC.manual]));
    // the chosen place is drawn on top
    expect(style.layers.at(-1)?.id).toBe('manual-point');
  });

  it('puts the online basemap right above the background', () => {
    const style = buildSchouwStyle({ tiles: ['https://tiles.example/{z}/{x}/{y}.png'], attribution: '© Example' });
    expect(style.layers[1]).toMatchObject({ id: SRC.basemap, type: 'raster' });
    expect(style.sources[SRC.basemap]).toMatchObject({ type: 'raster', tiles: ['https://tiles.example/{z}/{x}/{y}.png'], attribution: '© Example' });
  });
});

describe('walk geometry', () => {
  const route = { type: 'LineString' as const, coordinates: [[5.9, 51.1], [5.95, 51.12]] };
  const area = { type: 'Polygon' as const, coordinates: [[[5.8, 51.0], [6.0, 51.0], [6.0, 51.2], [5.8, 51.0]]] };

  it('bounds the area and route, or null without them', () => {
    expect(walkBounds({ route, area })).toEqual([5.8, 51.0, 6.0, 51.2]);
    expect(walkBounds({ route, area: null })).toEqual([5.9, 51.1, 5.95, 51.12]);
    expect(walkBounds({ route: null, area: null })).toBeNull();
  });

  it('makes features with their role', () => {
    expect(walkFeatures({ route, area }).features.map((f) => f.properties?.['role'])).toEqual(['area', 'route']);
  });

  it('draws the accuracy circle at the given radius in metres', () => {
    const circle = accuracyCircle(5.9, 51.15, 100, 8);
    const ring = circle.coordinates[0] ?? [];
    expect(ring).toHaveLength(9);
    expect(ring[0]).toEqual(ring[8]);
    const north = ring[2] ?? [0, 0];
    // 100 m north ≈ 0.000899°
    expect((north[1] ?? 0) - 51.15).toBeCloseTo(0.000899, 5);
    const east = ring[0] ?? [0, 0];
    expect((east[0] ?? 0) - 5.9).toBeCloseTo(0.000899 / Math.cos((51.15 * Math.PI) / 180), 5);
  });
});
