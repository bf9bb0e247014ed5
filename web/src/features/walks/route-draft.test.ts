import { describe, expect, it } from 'vitest';
import { EMPTY_ROUTE, MAX_ROUTE_POINTS, addPoint, draftGeometry, finishDrawing, removeLast, routeGeometry, startDrawing } from './route-draft.ts';

describe('drawing the route of a walk', () => {
  it('adds clicked points only while drawing, and makes a line of two or more', () => {
    expect(addPoint(EMPTY_ROUTE, 5.9, 51.16)).toBe(EMPTY_ROUTE);
    let d = startDrawing(EMPTY_ROUTE);
    d = addPoint(d, 5.89, 51.163);
    expect(routeGeometry(d)).toBeUndefined();
    expect(draftGeometry(d)?.coordinates).toHaveLength(2);
    d = addPoint(d, 5.891, 51.164);
    expect(routeGeometry(d)).toEqual({ type: 'LineString', coordinates: [[5.89, 51.163], [5.891, 51.164]] });
  });

  it('ignores the second click of a double click and points that are not numbers', () => {
    let d = addPoint(startDrawing(EMPTY_ROUTE), 5.89, 51.163);
    d = addPoint(d, 5.890001, 51.163001);
    d = addPoint(d, Number.NaN, 51);
    expect(d.points).toHaveLength(1);
  });

  it('takes the last point back and drops a single point when finished', () => {
    let d = addPoint(addPoint(startDrawing(EMPTY_ROUTE), 5.89, 51.163), 5.891, 51.164);
    d = removeLast(d);
    expect(d.points).toEqual([[5.89, 51.163]]);
    expect(finishDrawing(d)).toEqual({ drawing: false, points: [] });
    expect(removeLast(EMPTY_ROUTE)).toBe(EMPTY_ROUTE);
  });

  it('keeps a finished route of two points and stops at the maximum', () => {
    let d = startDrawing(EMPTY_ROUTE);
    for (let i = 0; i < MAX_ROUTE_POINTS + 5; i++) d = addPoint(d, 5.8 + i * 1e-4, 51.1);
    expect(d.points).toHaveLength(MAX_ROUTE_POINTS);
    expect(finishDrawing(d).points).toHaveLength(MAX_ROUTE_POINTS);
  });
});
