/** The OGC API's query parameters: every problem named, limits clamped, datetime per UTC day, CRSs and axis order. */
import { describe, expect, it } from 'vitest';
import { CRS84, EPSG_28992, EPSG_4326, bboxToXy, parseCrs, swapAxes } from './crs.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, parseDatetime, parseItemsQuery } from './params.ts';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return `${(err as { status?: number }).status ?? ''} ${(err as Error).message}`;
  }
  return 'no error';
};

describe('items query', () => {
  it('defaults to 100 features from the start in CRS84 and clamps a limit above the maximum', () => {
    const q = parseItemsQuery({}, []);
    expect(q).toMatchObject({ limit: DEFAULT_LIMIT, offset: 0, bbox: null, datetime: null, filters: {} });
    expect(q.crs.uri).toBe(CRS84);
    expect(parseItemsQuery({ limit: '20000' }, []).limit).toBe(MAX_LIMIT);
    expect(parseItemsQuery({ limit: '7', offset: '14' }, []).offset).toBe(14);
  });

  it('refuses bad values and unknown parameters with a 400 that names them', () => {
    expect(message(() => parseItemsQuery({ limit: '0' }, []))).toMatch(/^400 limit must be a whole number ≥ 1/);
    expect(message(() => parseItemsQuery({ limit: '-3' }, []))).toMatch(/^400 limit/);
    expect(message(() => parseItemsQuery({ offset: 'x' }, []))).toMatch(/^400 offset must be a whole number/);
    expect(message(() => parseItemsQuery({ limt: '5' }, []))).toMatch(/^400 unknown query parameter "limt"/);
    expect(message(() => parseItemsQuery({ status: 'x' }, ['owner']))).toMatch(/unknown query parameter "status"; this endpoint accepts .*owner/);
    expect(message(() => parseItemsQuery({ crs: 'EPSG:28992' }, []))).toMatch(/^400 crs "EPSG:28992" is not supported; use one of .*CRS84/);
    expect(message(() => parseItemsQuery({ bbox: '1,2,3', 'bbox-crs': EPSG_28992 }, []))).toMatch(/^400 bbox must be four comma-separated numbers/);
    expect(message(() => parseItemsQuery({ bbox: '6,52,5,53' }, []))).toMatch(/^400 bbox: the lower corner must come first/);
    expect(message(() => parseItemsQuery({ bbox: '5,52,190,53' }, []))).toMatch(/^400 bbox: longitudes must lie within/);
    expect(message(() => parseItemsQuery({ 'bbox-crs': 'x' }, []))).toMatch(/^400 bbox-crs "x" is not supported/);
    expect(message(() => parseItemsQuery({ 'bbox-crs': EPSG_28992 }, []))).toMatch(/^400 bbox-crs was given without a bbox/);
    expect(message(() => parseItemsQuery({ limit: ['1', '2'] }, []))).toMatch(/^400 limit must be given once/);
  });

  it('reads a bbox in RD New metres, and one in EPSG:4326 in lat/lon order', () => {
    expect(parseItemsQuery({ bbox: '190000,350000,191000,351000', 'bbox-crs': EPSG_28992 }, []).bbox).toEqual([190000, 350000, 191000, 351000]);
    const q = parseItemsQuery({ bbox: '51.1,5.8,51.2,5.9', 'bbox-crs': EPSG_4326 }, []);
    expect(bboxToXy(q.bbox ?? [0, 0, 0, 0], q.bboxCrs)).toEqual([5.8, 51.1, 5.9, 51.2]);
    expect(parseItemsQuery({ bbox: '5.8,51.1,0,5.9,51.2,10' }, []).bbox).toEqual([5.8, 51.1, 5.9, 51.2]);
  });

  it('keeps the filters the collection has', () => {
    expect(parseItemsQuery({ owner: 'wml', status: 'gepland' }, ['system', 'owner', 'status']).filters).toEqual({ owner: 'wml', status: 'gepland' });
  });
});

describe('datetime', () => {
  it('takes instants and intervals with open ends, compared per UTC day', () => {
    expect(parseDatetime('2027-05-01')).toEqual({ from: '2027-05-01', to: '2027-05-01' });
    expect(parseDatetime('2027-05-01T23:30:00-02:00')).toEqual({ from: '2027-05-02', to: '2027-05-02' });
    expect(parseDatetime('2027-01-01T00:00:00Z/2027-12-31T00:00:00Z')).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    expect(parseDatetime('../2027-12-31')).toEqual({ from: null, to: '2027-12-31' });
    expect(parseDatetime('2027-01-01/')).toEqual({ from: '2027-01-01', to: null });
    expect(parseDatetime('../..')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(message(() => parseDatetime('yesterday'))).toMatch(/^400 datetime "yesterday" is not an RFC 3339 date/);
    expect(message(() => parseDatetime('2027-02-30'))).toMatch(/^400 datetime "2027-02-30"/);
    expect(message(() => parseDatetime('..'))).toMatch(/^400 datetime ".."/);
    expect(message(() => parseDatetime('2028-01-01/2027-01-01'))).toMatch(/the start lies after the end/);
    expect(message(() => parseDatetime('a/b/c'))).toMatch(/one interval/);
  });
});

describe('crs', () => {
  it('defaults to CRS84 and knows EPSG:4326 as lat/lon', () => {
    expect(parseCrs('crs', undefined)).toEqual({ uri: CRS84, srid: 4326, latLon: false });
    expect(parseCrs('crs', EPSG_4326)).toEqual({ uri: EPSG_4326, srid: 4326, latLon: true });
    expect(parseCrs('crs', EPSG_28992).srid).toBe(28992);
  });

  it('swaps the axes of every geometry type', () => {
    expect(swapAxes({ type: 'Point', coordinates: [5.9, 51.1] })).toEqual({ type: 'Point', coordinates: [51.1, 5.9] });
    expect(swapAxes({ type: 'MultiPolygon', coordinates: [[[[1, 2], [3, 4], [5, 6], [1, 2]]]] })).toEqual({ type: 'MultiPolygon', coordinates: [[[[2, 1], [4, 3], [6, 5], [2, 1]]]] });
    expect(swapAxes({ type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[1, 2, 9], [3, 4, 9]] }] }))
      .toEqual({ type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[2, 1, 9], [4, 3, 9]] }] });
    expect(swapAxes(null)).toBeNull();
  });
});
