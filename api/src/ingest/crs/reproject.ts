/**
 * Reprojection between the coordinate systems Dutch utility data arrives in, with proj4.
 *
 * The definitions are the ones PROJ/PostGIS use without the RDNAPTRANS grid file (none is
 * installed here): RD New with the EPSG 7-parameter Helmert shift to WGS 84 ("Amersfoort to
 * WGS 84 (4)", the operation `projinfo -s EPSG:28992 -t EPSG:4326` picks first). That agrees with
 * `ogr2ogr -t_srs` and `ST_Transform` to well under a millimetre; against RDNAPTRANS itself it is
 * about 1 m off, which no part of this workbench needs to beat.
 *
 * Only proj strings are passed to proj4: its global definition registry is never touched.
 */
import { createRequire } from 'node:module';
import type { Geometry, Position } from 'geojson';
import type Proj4 from 'proj4';
import { ImportInputError } from '../formats/types.ts';

const PROJ_DEFINITIONS: ReadonlyMap<number, string> = new Map([
  [
    28992,
    '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 ' +
      '+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs',
  ],
  [4326, '+proj=longlat +datum=WGS84 +no_defs'],
  // ETRS89 → WGS 84 is the null transformation in PROJ's default (ballpark/EPSG:1149) pipeline.
  [4258, '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs'],
  [4289, '+proj=longlat +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +no_defs'],
  [
    3857,
    '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
  ],
  [25831, '+proj=utm +zone=31 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'],
  [25832, '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'],
  [32631, '+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs'],
  [32632, '+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs'],
]);

/** EPSG codes this module can reproject between. */
export const SUPPORTED_EPSG: readonly number[] = [...PROJ_DEFINITIONS.keys()];

export function isSupportedEpsg(epsg: number): boolean {
  return PROJ_DEFINITIONS.has(epsg);
}

type PointFn = (xy: [number, number]) => [number, number];

const converters = new Map<string, PointFn>();

function definitionOf(epsg: number): string {
  const def = PROJ_DEFINITIONS.get(epsg);
  if (def === undefined) {
    throw new ImportInputError(
      `EPSG:${epsg} is not a supported coordinate system (supported: ${SUPPORTED_EPSG.map((c) => `EPSG:${c}`).join(', ')})`,
      400,
      'unsupported_crs',
      `EPSG:${epsg}`,
    );
  }
  return def;
}

const requireHere = createRequire(import.meta.url);
let proj4: typeof Proj4 | null = null;
/** proj4 is loaded at the first transformation: ~45 ms of every start that needs none (a load in the working CRS, and each of its staging workers) */
function loadProj4(): typeof Proj4 {
  proj4 ??= requireHere('proj4') as typeof Proj4;
  return proj4;
}

/** A cached point transformer from one EPSG code to another (throws 'unsupported_crs'). */
export function pointTransformer(fromEpsg: number, toEpsg: number): PointFn {
  const key = `${fromEpsg}>${toEpsg}`;
  let fn = converters.get(key);
  if (!fn) {
    const converter = loadProj4()(definitionOf(fromEpsg), definitionOf(toEpsg));
    fn = (xy) => converter.forward(xy) as [number, number];
    converters.set(key, fn);
  }
  return fn;
}

function mapPosition(p: Position, fn: PointFn): Position {
  const [x, y] = fn([p[0] ?? NaN, p[1] ?? NaN]);
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

function mapGeometry(g: Geometry, fn: PointFn): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: mapPosition(g.coordinates, fn) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map((p) => mapPosition(p, fn)) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map((p) => mapPosition(p, fn)) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map((p) => mapPosition(p, fn))) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map((p) => mapPosition(p, fn))) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: g.coordinates.map((poly) => poly.map((r) => r.map((p) => mapPosition(p, fn)))),
      };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((m) => mapGeometry(m, fn)) };
  }
}

/**
 * A copy of `geom` with every position transformed from `fromEpsg` to `toEpsg` (horizontal only:
 * a third ordinate is carried over unchanged). Same code on both sides returns `geom` itself.
 * Throws ImportInputError 400 'unsupported_crs' for an EPSG code without a definition.
 */
export function reprojectGeometry<G extends Geometry>(geom: G, fromEpsg: number, toEpsg: number): G {
  if (fromEpsg === toEpsg) return geom;
  return mapGeometry(geom, pointTransformer(fromEpsg, toEpsg)) as G;
}

/**
 * Transform interleaved coordinates in place (`[x0, y0, x1, y1, ...]`, or with `stride` 3/4 for
 * z/m, which are left alone) — the fast path for binary geometry buffers. Returns `coords`.
 */
export function reprojectCoordinates<A extends Float64Array | number[]>(
  coords: A,
  fromEpsg: number,
  toEpsg: number,
  stride = 2,
): A {
  if (fromEpsg === toEpsg) return coords;
  if (stride < 2) throw new RangeError('stride must be at least 2');
  const fn = pointTransformer(fromEpsg, toEpsg);
  const xy: [number, number] = [0, 0];
  for (let i = 0; i + 1 < coords.length; i += stride) {
    xy[0] = coords[i] ?? NaN;
    xy[1] = coords[i + 1] ?? NaN;
    const [x, y] = fn(xy);
    coords[i] = x;
    coords[i + 1] = y;
  }
  return coords;
}
