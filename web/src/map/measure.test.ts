import { describe, expect, it } from 'vitest';
import { formatArea, formatLength, formatMeasure, measureGeometry } from './measure.ts';

// about 111 m per 0.001° of latitude; at 52° N 0.001° of longitude is about 68.6 m
const line = { type: 'LineString' as const, coordinates: [[5, 52], [5, 52.001]] };
const square = {
  type: 'Polygon' as const,
  coordinates: [[[5, 52], [5.001, 52], [5.001, 52.001], [5, 52.001], [5, 52]]],
};

describe('measureGeometry', () => {
  it('measures a line in metres', () => {
    const m = measureGeometry(line);
    expect(m?.kind).toBe('line');
    expect(m?.lengthM).toBeGreaterThan(110);
    expect(m?.lengthM).toBeLessThan(112);
    expect(m?.areaM2).toBeNull();
  });

  it('measures a polygon: area and perimeter', () => {
    const m = measureGeometry(square);
    expect(m?.kind).toBe('area');
    expect(m?.areaM2).toBeGreaterThan(7500);
    expect(m?.areaM2).toBeLessThan(7700);
    expect(m?.lengthM).toBeGreaterThan(355);
    expect(m?.lengthM).toBeLessThan(362);
  });

  it('sums the parts of multi geometries', () => {
    const multi = measureGeometry({ type: 'MultiLineString', coordinates: [line.coordinates, line.coordinates] });
    expect(multi?.lengthM).toBeCloseTo(2 * (measureGeometry(line)?.lengthM ?? 0), 6);
    const polys = measureGeometry({ type: 'MultiPolygon', coordinates: [square.coordinates, square.coordinates] });
    expect(polys?.areaM2).toBeCloseTo(2 * (measureGeometry(square)?.areaM2 ?? 0), 3);
  });

  it('gives 0 for a line of one point and a ring still being drawn', () => {
    expect(measureGeometry({ type: 'LineString', coordinates: [[5, 52]] })?.lengthM).toBe(0);
    expect(measureGeometry({ type: 'Polygon', coordinates: [[[5, 52], [5.001, 52], [5, 52]]] })?.areaM2).toBe(0);
    expect(measureGeometry(null)).toBeNull();
  });
});

describe('formatting', () => {
  it('formats lengths per language', () => {
    expect(formatLength('nl', 124.4)).toBe('124 m');
    expect(formatLength('nl', 8.46)).toBe('8,5 m');
    expect(formatLength('en', 8.46)).toBe('8.5 m');
    expect(formatLength('nl', 1250)).toBe('1,25 km');
    expect(formatLength('en', 1250)).toBe('1.25 km');
  });

  it('formats areas per language', () => {
    expect(formatArea('nl', 350)).toBe('350 m²');
    expect(formatArea('nl', 3500)).toBe('0,35 ha');
    expect(formatArea('en', 3500)).toBe('0.35 ha');
    expect(formatArea('nl', 125_000)).toBe('12,5 ha');
    expect(formatArea('nl', 2_500_000)).toBe('2,5 km²');
  });

  it('formats a measure: a line by its length, an area with its perimeter', () => {
    expect(formatMeasure('nl', { kind: 'line', lengthM: 124, areaM2: null })).toBe('124 m');
    expect(formatMeasure('nl', { kind: 'area', lengthM: 240, areaM2: 3500 })).toBe('0,35 ha · omtrek 240 m');
    expect(formatMeasure('en', { kind: 'area', lengthM: 240, areaM2: 3500 })).toBe('0.35 ha · perimeter 240 m');
    expect(formatMeasure('nl', null)).toBe('');
  });
});
