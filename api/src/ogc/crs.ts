/**
 * Coordinate reference systems of the OGC API – Features (Part 2, CRS by reference): the URIs a
 * client may ask for in `crs` and `bbox-crs`, how each maps onto a PostGIS SRID, and the axis
 * order. CRS84 (lon/lat) is the default; EPSG:4326 is the same datum with the axis order its EPSG
 * definition prescribes (lat/lon), so its coordinates are swapped here, in TypeScript, after
 * PostGIS wrote them in lon/lat; EPSG:28992 (RD New) is what Samenhang stores.
 */
import { badRequest } from '../http/errors.ts';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const EPSG_4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
export const EPSG_28992 = 'http://www.opengis.net/def/crs/EPSG/0/28992';

export interface Crs {
  uri: string;
  /** the SRID PostGIS writes coordinates in */
  srid: 4326 | 28992;
  /** the CRS's axis order is lat/lon: swap what PostGIS wrote as lon/lat */
  latLon: boolean;
}

export const CRSS: readonly Crs[] = [
  { uri: CRS84, srid: 4326, latLon: false },
  { uri: EPSG_4326, srid: 4326, latLon: true },
  { uri: EPSG_28992, srid: 28992, latLon: false },
];

export const CRS_URIS: readonly string[] = CRSS.map((c) => c.uri);

/** The storage CRS's URI when it is one we serve (the working SRID, EPSG:28992 by default). */
export function storageCrsUri(workingSrid: number): string | undefined {
  return CRSS.find((c) => c.srid === workingSrid && !c.latLon)?.uri;
}

/** The CRS of a `crs` or `bbox-crs` parameter (default CRS84); 400 naming the parameter and the allowed values otherwise. */
export function parseCrs(parameter: 'crs' | 'bbox-crs', value: string | undefined): Crs {
  if (value === undefined) return CRSS[0] as Crs;
  const found = CRSS.find((c) => c.uri === value.trim());
  if (!found) throw badRequest('invalid_crs', `${parameter} "${value}" is not supported; use one of ${CRS_URIS.join(', ')}`);
  return found;
}

/** The `Content-Crs` header value: the URI in angle brackets. */
export const contentCrs = (crs: Crs): string => `<${crs.uri}>`;

/** A bbox (minx, miny, maxx, maxy in the bbox CRS's axis order) in the x/y order PostGIS expects. */
export function bboxToXy(bbox: readonly [number, number, number, number], crs: Crs): [number, number, number, number] {
  const [a, b, c, d] = bbox;
  return crs.latLon ? [b, a, d, c] : [a, b, c, d];
}

type Position = number[];
type Coordinates = Position | Coordinates[];

function swap(c: Coordinates): Coordinates {
  if (c.length > 0 && typeof c[0] === 'number') {
    const [x, y, ...rest] = c as Position;
    return [y as number, x as number, ...rest];
  }
  return (c as Coordinates[]).map(swap);
}

/** A GeoJSON geometry with x and y swapped (lat/lon order for EPSG:4326). */
export function swapAxes<G extends { type: string }>(geometry: G | null): G | null {
  if (geometry === null) return null;
  const g = geometry as unknown as { type: string; coordinates?: Coordinates; geometries?: { type: string }[] };
  if (g.type === 'GeometryCollection') return { ...geometry, geometries: (g.geometries ?? []).map((x) => swapAxes(x)) };
  return g.coordinates === undefined ? geometry : { ...geometry, coordinates: swap(g.coordinates) };
}
