import { describe, expect, it } from 'vitest';
import { pickLayer, pickOnScreen, POINT_RADIUS_PX, type PickFeature, type ScreenProjector } from './screen-pick.ts';

// 1 degree = 1000 px, north up, origin at 5°E 52°N
const view: ScreenProjector = {
  project: ([lng, lat]) => ({ x: (lng - 5) * 1000, y: (52 - lat) * 1000 }),
  unproject: ([x, y]) => ({ lng: 5 + x / 1000, lat: 52 - y / 1000 }),
};
const at = (x: number, y: number): [number, number] => [5 + x / 1000, 52 - y / 1000];
const ring = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)];
const line = (id: number, ...pts: [number, number][]): PickFeature => ({ geometry: { type: 'LineString', coordinates: pts.map(([x, y]) => at(x, y)) }, properties: { id } });
const poly = (id: number, ...rings: [number, number][][]): PickFeature => ({ geometry: { type: 'Polygon', coordinates: rings }, properties: { id } });
const pick = (features: PickFeature[], x: number, y: number, width = 4, radius = 4): number | null =>
  pickOnScreen(pickLayer(features, () => width), view, { x, y }, radius);

describe('pickOnScreen', () => {
  it('hits a line within half its width, and a near miss within the radius', () => {
    const f = [line(1, [0, 0], [100, 0])];
    expect(pick(f, 50, 2)).toBe(1);
    expect(pick(f, 50, 6)).toBe(1);
    expect(pick(f, 50, 6.5)).toBeNull();
    expect(pick(f, 110, 0)).toBeNull();
    expect(pick(f, 50, 6, 4, 0)).toBeNull();
  });

  it('prefers a stroke over a fill, a later feature over an earlier one, the nearest of near misses', () => {
    const area = poly(1, ring(0, 0, 100, 100));
    const crossing = line(2, [50, 0], [50, 100]);
    expect(pick([area], 30, 30)).toBe(1);
    expect(pick([crossing, area], 50, 30)).toBe(2);
    expect(pick([line(3, [0, 0], [100, 0]), line(4, [0, 0], [100, 0])], 50, 0)).toBe(4);
    expect(pick([line(5, [0, 10], [100, 10]), line(6, [0, 17], [100, 17])], 50, 13)).toBe(5);
  });

  it('leaves the hole of a polygon empty but its outline pickable', () => {
    const donut = poly(7, ring(0, 0, 100, 100), ring(30, 30, 70, 70));
    expect(pick([donut], 50, 50)).toBeNull();
    expect(pick([donut], 15, 50)).toBe(7);
    expect(pick([donut], 30, 50)).toBe(7);
  });

  it('hits points within their drawn radius, multi-geometries in any part, skips features without coordinates', () => {
    const point: PickFeature = { geometry: { type: 'Point', coordinates: at(10, 10) }, properties: { id: 8 } };
    const multi: PickFeature = { geometry: { type: 'MultiLineString', coordinates: [[at(0, 200), at(10, 200)], [at(300, 0), at(300, 50)]] }, properties: { id: 9 } };
    const empty: PickFeature = { geometry: { type: 'GeometryCollection', geometries: [] }, properties: { id: 10 } };
    expect(pick([point], 10 + POINT_RADIUS_PX + 3, 10)).toBe(8);
    expect(pick([point], 10 + POINT_RADIUS_PX + 5, 10)).toBeNull();
    expect(pick([multi, empty], 300, 25)).toBe(9);
    expect(pickLayer([empty], () => 1).entries).toHaveLength(0);
  });

  it('indexes a features array once per key', () => {
    const f = [line(1, [0, 0], [1, 1])];
    expect(pickLayer(f, () => 4, 'a')).toBe(pickLayer(f, () => 4, 'a'));
    expect(pickLayer(f, () => 4, 'a')).not.toBe(pickLayer(f, () => 9, 'b'));
  });
});
