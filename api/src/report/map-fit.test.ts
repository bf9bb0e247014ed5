/** The report map's placement of RD New metres on the page (report/map-fit.ts). */
import { describe, expect, it } from 'vitest';
import { clusterExtents, fitExtent, frameExtent, frameHeight, metresLabel, padExtent, project, scaleBarMetres, svgPathSql, unionExtent } from './map-fit.ts';

const extent = { minx: 189_000, miny: 350_000, maxx: 191_000, maxy: 351_000 };

describe('fitExtent / project', () => {
  it('maps the extent into the frame with one scale, centred, north up', () => {
    const fit = fitExtent(extent, 1000, 800, 0);
    expect(fit.scale).toBeCloseTo(0.5); // 2000 m wide into 1000 units; 1000 m high needs only 500 of 800
    expect(project(fit, extent.minx, extent.maxy)).toEqual([0, 150]); // top left, centred vertically
    const [x, y] = project(fit, extent.maxx, extent.miny);
    expect(x).toBeCloseTo(1000);
    expect(y).toBeCloseTo(650);
    // north is up: a larger y in RD is higher on the page (smaller SVG y)
    expect(project(fit, 190_000, 350_900)[1]).toBeLessThan(project(fit, 190_000, 350_100)[1]);
  });

  it('keeps a margin free on every side', () => {
    const fit = fitExtent({ minx: 0, miny: 0, maxx: 100, maxy: 100 }, 500, 500, 50);
    expect(fit.scale).toBeCloseTo(4);
    expect(project(fit, 0, 100)).toEqual([50, 50]);
    expect(project(fit, 100, 0)).toEqual([450, 450]);
  });

  it('gives back the extent the frame shows', () => {
    const fit = fitExtent(extent, 1000, 800, 0);
    const shown = frameExtent(fit);
    expect(shown.minx).toBeCloseTo(extent.minx);
    expect(shown.maxx).toBeCloseTo(extent.maxx);
    expect(shown.maxy - shown.miny).toBeCloseTo(1600);
    expect((shown.maxy + shown.miny) / 2).toBeCloseTo(350_500);
  });

  it('writes the same affine transform into the SQL as project() computes', () => {
    // ST_AsSVG writes (x, -y) of ST_Affine(g, s, 0, 0, s, tx, -ty) = (x·s + tx, ty − y·s): project()
    expect(svgPathSql('g', 3)).toBe('ST_AsSVG(ST_Affine(ST_Simplify(g, 0.1 / $3::float8), $3::float8, 0, 0, $3::float8, $4::float8, -$5::float8), 0, 1)');
  });
});

describe('extents', () => {
  it('pads and keeps a minimum size', () => {
    expect(padExtent({ minx: 0, miny: 0, maxx: 100, maxy: 0 }, 0.1, 50)).toEqual({ minx: -10, maxx: 110, miny: -25, maxy: 25 });
  });

  it('unites extents and ignores missing ones', () => {
    expect(unionExtent([null, { minx: 1, miny: 2, maxx: 3, maxy: 4 }, { minx: 0, miny: 3, maxx: 2, maxy: 9 }])).toEqual({ minx: 0, miny: 2, maxx: 3, maxy: 9 });
    expect(unionExtent([])).toBeNull();
  });

  it('lets the frame height follow the extent within bounds', () => {
    expect(frameHeight({ minx: 0, miny: 0, maxx: 100, maxy: 70 }, 1000, 500, 900)).toBe(700);
    expect(frameHeight({ minx: 0, miny: 0, maxx: 100, maxy: 300 }, 1000, 500, 900)).toBe(900);
    expect(frameHeight({ minx: 0, miny: 0, maxx: 100, maxy: 10 }, 1000, 500, 900)).toBe(500);
  });
});

describe('clusterExtents', () => {
  const box = (x: number, y: number, size = 10) => ({ minx: x, miny: y, maxx: x + size, maxy: y + size });

  it('joins boxes within the gap (also through a chain) and keeps far ones apart, north first', () => {
    const places = clusterExtents([box(0, 0), box(50, 0), box(100, 0), box(0, 5000), box(3000, 0)], 100);
    expect(places).toEqual([box(0, 5000), { minx: 0, miny: 0, maxx: 110, maxy: 10 }, box(3000, 0)]);
  });

  it('merges boxes that only meet after an earlier merge', () => {
    expect(clusterExtents([box(0, 0), box(400, 0), box(200, 0)], 200)).toEqual([{ minx: 0, miny: 0, maxx: 410, maxy: 10 }]);
  });
});

describe('scale bar', () => {
  it('picks 1, 2 or 5 × 10^n metres that fit', () => {
    const fit = fitExtent(extent, 1000, 800, 0); // 0.5 units per metre
    expect(scaleBarMetres(fit, 250)).toBe(500);
    expect(scaleBarMetres(fit, 199)).toBe(200);
    expect(scaleBarMetres(fit, 99)).toBe(100);
    expect(scaleBarMetres(fitExtent({ minx: 0, miny: 0, maxx: 20_000, maxy: 1 }, 1000, 800), 250)).toBe(5000);
  });

  it('labels metres and kilometres', () => {
    expect(metresLabel(200)).toBe('200 m');
    expect(metresLabel(2000)).toBe('2 km');
  });
});
