/**
 * RawGeometry (from the GML reader) → GeoJSON-like RdGeometry in EPSG:28992, plus the CRS check.
 */
import type { RawGeometry, RawPart } from './raw.ts';
import type { RdGeometry } from './types.ts';

type XY = [number, number];
type Polygon = Extract<RdGeometry, { type: 'Polygon' }>;

/** The spellings of RD New (EPSG:28992) found in KLIC deliveries and OGC usage. */
const RD_NEW_SRS_NAMES: ReadonlySet<string> = new Set([
  'urn:ogc:def:crs:epsg::28992',
  'urn:x-ogc:def:crs:epsg:28992',
  'epsg:28992',
  'http://www.opengis.net/def/crs/epsg/0/28992',
  'https://www.opengis.net/def/crs/epsg/0/28992',
  'http://www.opengis.net/gml/srs/epsg.xml#28992',
]);

/**
 * True when srsName denotes RD New. A geometry without srsName is taken as RD New: a KLIC delivery
 * is always in EPSG:28992 and GML lets geometries inherit the CRS.
 */
export function isRdNew(srsName: string | null): boolean {
  return srsName === null || RD_NEW_SRS_NAMES.has(srsName.trim().toLowerCase());
}

/** Append `next` to `line`, dropping the first vertex of `next` when it repeats the last of `line`. */
function joinLine(line: XY[], next: XY[]): XY[] {
  const last = line[line.length - 1];
  const first = next[0];
  const repeats = last !== undefined && first !== undefined && last[0] === first[0] && last[1] === first[1];
  return line.concat(repeats ? next.slice(1) : next);
}

/** Lines of a curve geometry, one per member (segments of one member are joined). */
export function linesOf(g: RawGeometry): XY[][] {
  const byMember = new Map<number, XY[]>();
  for (const part of g.parts) {
    if (part.role !== 'line') continue;
    byMember.set(part.member, joinLine(byMember.get(part.member) ?? [], part.coords));
  }
  return [...byMember.values()].filter((line) => line.length >= 2);
}

function ringsOf(parts: RawPart[]): XY[][] | null {
  const exterior = parts.filter((p) => p.role === 'exterior');
  const interior = parts.filter((p) => p.role === 'interior');
  const [outer] = exterior;
  if (!outer || exterior.length !== 1) return null;
  const rings = [outer, ...interior].map((p) => p.coords);
  return rings.every((r) => r.length >= 4) ? rings : null;
}

/** The polygon of a Polygon/Surface, or of a MultiSurface holding exactly one polygon. */
export function polygonOf(g: RawGeometry): Polygon | null {
  const members = new Set(g.parts.map((p) => p.member));
  if (members.size !== 1) return null;
  const rings = ringsOf(g.parts);
  return rings ? { type: 'Polygon', coordinates: rings } : null;
}

function pointOf(g: RawGeometry): RdGeometry | null {
  const points = g.parts.filter((p) => p.role === 'point');
  const xy = points[0]?.coords[0];
  return points.length === 1 && xy ? { type: 'Point', coordinates: xy } : null;
}

/** Lines → LineString (one) or MultiLineString (several); null when there is none. */
export function fromLines(lines: XY[][]): RdGeometry | null {
  const [first] = lines;
  if (!first) return null;
  return lines.length === 1 ? { type: 'LineString', coordinates: first } : { type: 'MultiLineString', coordinates: lines };
}

/** Convert a raw geometry; null when its shape has no RdGeometry equivalent or is degenerate. */
export function toRdGeometry(g: RawGeometry): RdGeometry | null {
  switch (g.kind) {
    case 'Point':
    case 'MultiPoint':
      return pointOf(g);
    case 'LineString':
    case 'Curve':
    case 'CompositeCurve':
    case 'OrientableCurve':
    case 'MultiCurve':
    case 'MultiLineString':
      return fromLines(linesOf(g));
    case 'Polygon':
    case 'Surface':
    case 'MultiSurface':
    case 'MultiPolygon':
      return polygonOf(g);
    default:
      return null;
  }
}
