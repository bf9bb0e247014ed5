/**
 * .prj / WKT → EPSG, CRS names → EPSG, and guessing from coordinates.
 */
import { describe, expect, it } from 'vitest';
import { collectPositions, guessCrsFromCoordinates } from './detect.ts';
import { epsgFromCrsName } from './names.ts';
import { epsgFromWkt, looksLikeWkt } from './prj.ts';

// The .prj of the Leeuwarden trees (ESRI WKT1, as delivered)
const ESRI_RD_NEW =
  'PROJCS["RD_New",GEOGCS["GCS_Amersfoort",DATUM["D_Amersfoort",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Double_Stereographic"],PARAMETER["False_Easting",155000.0],PARAMETER["False_Northing",463000.0],PARAMETER["Central_Meridian",5.38763888888889],PARAMETER["Scale_Factor",0.9999079],PARAMETER["Latitude_Of_Origin",52.15616055555555],UNIT["Meter",1.0]]';
// OGC WKT1 as GDAL writes it (`gdalsrsinfo -o wkt1 EPSG:28992`, shortened inside)
const OGC_WKT1 =
  'PROJCS["Amersfoort / RD New",GEOGCS["Amersfoort",DATUM["Amersfoort",SPHEROID["Bessel 1841",6377397.155,299.1528128,AUTHORITY["EPSG","7004"]],AUTHORITY["EPSG","6289"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4289"]],PROJECTION["Oblique_Stereographic"],UNIT["metre",1],AUTHORITY["EPSG","28992"]]';
// WKT2 as `ogrinfo` prints it (shortened inside): the root ID comes last, after inner IDs
const WKT2 =
  'PROJCRS["Amersfoort / RD New",BASEGEOGCRS["Amersfoort",DATUM["Amersfoort",ELLIPSOID["Bessel 1841",6377397.155,299.1528128,LENGTHUNIT["metre",1]]],ID["EPSG",4289]],CONVERSION["RD New",METHOD["Oblique Stereographic",ID["EPSG",9809]]],CS[Cartesian,2],ID["EPSG",28992]]';

describe('epsgFromWkt', () => {
  it.each([
    ['ESRI RD_New', ESRI_RD_NEW, 28992],
    ['OGC WKT1 with AUTHORITY', OGC_WKT1, 28992],
    ['WKT2 with ID', WKT2, 28992],
    ['Amersfoort / RD New by name', 'PROJCS["Amersfoort / RD New",GEOGCS["x"]]', 28992],
    ['GCS_WGS_1984', 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]', 4326],
    ['WGS 84', 'GEOGCRS["WGS 84",DATUM["World Geodetic System 1984"]]', 4326],
    ['ETRS89', 'GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989"]]', 4258],
    ['Pseudo-Mercator', 'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84"]]', 3857],
    ['ESRI web mercator', 'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984"]]', 3857],
    ['BOUNDCRS around RD New', `BOUNDCRS[SOURCECRS[${WKT2}],TARGETCRS[GEOGCRS["WGS 84"]]]`, 28992],
  ])('%s', (_label, wkt, epsg) => {
    expect(epsgFromWkt(wkt)?.epsg).toBe(epsg);
  });

  it('gives null for anything that is not WKT, and never fetches', () => {
    expect(epsgFromWkt('https://epsg.io/28992.wkt')).toBeNull();
    expect(epsgFromWkt('EPSG:28992')).toBeNull();
    expect(epsgFromWkt('')).toBeNull();
    expect(epsgFromWkt('PROJCS["RD_New"')).toBeNull();
    expect(looksLikeWkt('https://epsg.io/28992.wkt')).toBe(false);
  });

  it('gives null for a WKT CRS it does not know, and does not take a projected name for a geographic one', () => {
    expect(epsgFromWkt('PROJCS["Lambert 93",GEOGCS["RGF93"]]')).toBeNull();
    expect(epsgFromWkt('PROJCS["WGS 84",GEOGCS["WGS 84"]]')).toBeNull();
  });
});

describe('epsgFromCrsName', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::28992', 28992],
    ['urn:ogc:def:crs:EPSG:6.18:28992', 28992],
    ['EPSG:4326', 4326],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326],
    ['http://www.opengis.net/def/crs/EPSG/0/28992', 28992],
    ['http://www.opengis.net/gml/srs/epsg.xml#28992', 28992],
  ])('%s', (name, epsg) => {
    expect(epsgFromCrsName(name)).toBe(epsg);
  });
  it('an unknown name gives null', () => {
    expect(epsgFromCrsName('RD')).toBeNull();
  });
});

describe('guessCrsFromCoordinates', () => {
  it('RD New, WGS 84 (NL and elsewhere), swapped lat/lon and unknown', () => {
    expect(guessCrsFromCoordinates([[155000, 463000], [183630, 579873]])).toMatchObject({ epsg: 28992, source: 'guessed', guessed: true });
    expect(guessCrsFromCoordinates([[5.38, 52.15]])).toMatchObject({ epsg: 4326, guessed: true, detail: expect.stringContaining('in the Netherlands') });
    expect(guessCrsFromCoordinates([[-73.98, 40.75]])).toMatchObject({ epsg: 4326, detail: expect.stringContaining('not in the Netherlands') });
    expect(guessCrsFromCoordinates([[52.15, 5.38]])).toMatchObject({ epsg: null, source: 'unknown', guessed: true, detail: expect.stringContaining('swapped') });
    expect(guessCrsFromCoordinates([[599700, 6828231]])).toMatchObject({ epsg: null, source: 'unknown', guessed: true });
    expect(guessCrsFromCoordinates([])).toMatchObject({ epsg: null, guessed: true, detail: expect.stringContaining('no coordinates') });
  });

  it('ignores non-finite coordinates', () => {
    expect(guessCrsFromCoordinates([[NaN, NaN], [155000, 463000], [Infinity, 0]]).epsg).toBe(28992);
  });

  it('collects positions from any geometry, up to a maximum', () => {
    const out = collectPositions({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] }, [], 6);
    expect(out).toHaveLength(6);
  });
});
