import { describe, expect, it } from 'vitest';
import { boxAround, linesOf, snapLayerIds, snapPosition, verticesInBox, verticesOf, type ProjectFn } from './snapping.ts';

// A flat projection for tests: 1° = 100 000 px (about 1 px per metre).
const SCALE = 100_000;
const project: ProjectFn = ([x = 0, y = 0]) => ({ x: x * SCALE, y: -y * SCALE });
const unproject = ({ x, y }: { x: number; y: number }) => [x / SCALE, -y / SCALE];

const street = [[5, 52], [5.001, 52]];

describe('snapPosition', () => {
  it('snaps onto the nearest point of a line within the tolerance', () => {
    const snapped = snapPosition([5.0005, 52.00005], { lines: [street], vertices: [] }, project, 10);
    expect(snapped?.[0]).toBeCloseTo(5.0005, 6);
    expect(snapped?.[1]).toBeCloseTo(52, 6);
  });

  it('leaves the pointer alone when nothing is near', () => {
    expect(snapPosition([5.0005, 52.0005], { lines: [street], vertices: [] }, project, 10)).toBeUndefined();
    expect(snapPosition([5.0005, 52.0005], { lines: [], vertices: [] }, project, 10)).toBeUndefined();
  });

  it('prefers a vertex of another work over a line', () => {
    const vertex = [5.00052, 52.00002];
    expect(snapPosition([5.0005, 52.00005], { lines: [street], vertices: [vertex] }, project, 10)).toEqual(vertex);
  });

  it('picks the nearer of two lines', () => {
    const other = [[5, 52.0001], [5.001, 52.0001]];
    const snapped = snapPosition([5.0005, 52.00008], { lines: [street, other], vertices: [] }, project, 10);
    expect(snapped?.[1]).toBeCloseTo(52.0001, 7);
  });

  it('ignores lines of fewer than two positions', () => {
    expect(snapPosition([5, 52], { lines: [[[5, 52]]], vertices: [] }, project, 10)).toBeUndefined();
  });
});

describe('candidates', () => {
  const polygon = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };

  it('takes the lines of lines and polygons', () => {
    expect(linesOf({ type: 'LineString', coordinates: street })).toEqual([street]);
    expect(linesOf(polygon)).toEqual(polygon.coordinates);
    expect(linesOf({ type: 'MultiPolygon', coordinates: [polygon.coordinates] })).toEqual(polygon.coordinates);
    expect(linesOf({ type: 'Point', coordinates: [0, 0] })).toEqual([]);
    expect(linesOf(null)).toEqual([]);
  });

  it('takes each vertex once (not a ring’s closing one)', () => {
    expect(verticesOf(polygon)).toEqual([[0, 0], [1, 0], [1, 1]]);
    expect(verticesOf({ type: 'MultiLineString', coordinates: [street] })).toEqual(street);
  });

  it('keeps the vertices in the box around the pointer', () => {
    const box = boxAround({ x: 5 * SCALE, y: -52 * SCALE }, 20, unproject);
    expect(box[0]).toBeCloseTo(5 - 0.0002, 9);
    expect(box[3]).toBeCloseTo(52 + 0.0002, 9);
    const works = [{ type: 'LineString' as const, coordinates: [[5.0001, 52.0001], [5.01, 52.01]] }, null];
    expect(verticesInBox(works, box)).toEqual([[5.0001, 52.0001]]);
  });

  it('snaps to the line and area layers of the systems only', () => {
    const ids = ['background', 'gemeenten-line', 'drinkwater-fill', 'drinkwater-line', 'drinkwater-point', 'selection-drinkwater-line', 'riool_pers-line'];
    expect(snapLayerIds(ids, ['drinkwater', 'riool_pers'])).toEqual(['drinkwater-fill', 'drinkwater-line', 'riool_pers-line']);
  });
});
