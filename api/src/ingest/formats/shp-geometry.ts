/**
 * Shape records (.shp content) → GeoJSON geometry.
 *
 * Own code rather than @loaders.gl/shapefile's SHPLoader: in 4.5.2 a Null shape record (type 0,
 * common for features without geometry) makes it skip every following record, so geometries and
 * attributes silently fall out of step; it also swallows parse errors. Polygon rings are grouped
 * the ESRI way: clockwise rings are exteriors, counter-clockwise rings holes of the exterior that
 * contains them. Z is kept; M is dropped.
 */
import type { Geometry, Position } from 'geojson';

export interface ShapeResult {
  geometry: Geometry | null;
  issue?: string;
}

export const SHAPE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint',
  11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ',
  21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
};

const HAS_Z = new Set([11, 13, 15, 18]);

class Cursor {
  constructor(
    readonly buf: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}
  fits(offset: number, bytes: number): boolean {
    return this.start + offset + bytes <= this.end;
  }
  int(offset: number): number {
    return this.buf.readInt32LE(this.start + offset);
  }
  dbl(offset: number): number {
    return this.buf.readDoubleLE(this.start + offset);
  }
}

function readPoints(c: Cursor, at: number, count: number, zAt: number | null): Position[] {
  const out: Position[] = new Array<Position>(count);
  for (let i = 0; i < count; i++) {
    const p = at + i * 16;
    out[i] = zAt === null ? [c.dbl(p), c.dbl(p + 8)] : [c.dbl(p), c.dbl(p + 8), c.dbl(zAt + i * 8)];
  }
  return out;
}

function pointShape(c: Cursor, type: number): ShapeResult {
  if (!c.fits(4, 16)) return { geometry: null, issue: 'truncated point record' };
  const x = c.dbl(4);
  const y = c.dbl(12);
  if (Number.isNaN(x) || Number.isNaN(y)) return { geometry: null };
  const hasZ = HAS_Z.has(type) && c.fits(20, 8);
  return { geometry: { type: 'Point', coordinates: hasZ ? [x, y, c.dbl(20)] : [x, y] } };
}

function multiPointShape(c: Cursor, type: number): ShapeResult {
  if (!c.fits(36, 4)) return { geometry: null, issue: 'truncated multipoint record' };
  const n = c.int(36);
  if (n < 0 || !c.fits(40, n * 16)) return { geometry: null, issue: `multipoint record with ${n} points does not fit` };
  const zAt = HAS_Z.has(type) && c.fits(40 + n * 16 + 16, n * 8) ? 40 + n * 16 + 16 : null;
  return { geometry: { type: 'MultiPoint', coordinates: readPoints(c, 40, n, zAt) } };
}

/** The parts of a PolyLine/Polygon record, each a list of positions. */
function readParts(c: Cursor, type: number): Position[][] | string {
  if (!c.fits(36, 8)) return 'truncated record';
  const nParts = c.int(36);
  const nPoints = c.int(40);
  const pointsAt = 44 + nParts * 4;
  if (nParts < 0 || nPoints < 0 || !c.fits(pointsAt, nPoints * 16)) return `record with ${nParts} parts/${nPoints} points does not fit`;
  const zAt = HAS_Z.has(type) && c.fits(pointsAt + nPoints * 16 + 16, nPoints * 8) ? pointsAt + nPoints * 16 + 16 : null;
  const all = readPoints(c, pointsAt, nPoints, zAt);
  const parts: Position[][] = [];
  for (let i = 0; i < nParts; i++) {
    const from = c.int(44 + i * 4);
    const to = i + 1 < nParts ? c.int(44 + (i + 1) * 4) : nPoints;
    if (from < 0 || to > nPoints || from > to) return `part ${i + 1} has invalid point offsets`;
    parts.push(all.slice(from, to));
  }
  return parts;
}

function lineShape(c: Cursor, type: number): ShapeResult {
  const parts = readParts(c, type);
  if (typeof parts === 'string') return { geometry: null, issue: parts };
  if (parts.length === 0) return { geometry: null };
  if (parts.length === 1) return { geometry: { type: 'LineString', coordinates: parts[0] ?? [] } };
  return { geometry: { type: 'MultiLineString', coordinates: parts } };
}

/** Twice the signed area; positive for counter-clockwise rings (y up). */
function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] ?? [0, 0];
    const b = ring[i] ?? [0, 0];
    sum += ((a[0] ?? 0) - (b[0] ?? 0)) * ((a[1] ?? 0) + (b[1] ?? 0));
  }
  return sum;
}

function containsPoint(ring: readonly Position[], p: Position): boolean {
  const x = p[0] ?? 0;
  const y = p[1] ?? 0;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Group rings into polygons: clockwise = exterior, counter-clockwise = hole of its container. */
export function groupRings(rings: Position[][]): Position[][][] {
  const exteriors: { ring: Position[]; area: number; polygon: Position[][] }[] = [];
  const holes: Position[][] = [];
  for (const ring of rings) {
    const area = signedArea(ring);
    if (area < 0) exteriors.push({ ring, area: -area, polygon: [ring] });
    else holes.push(ring);
  }
  if (exteriors.length === 0) return rings.map((r) => [r]);
  const out = exteriors.map((e) => e.polygon);
  for (const hole of holes) {
    const first = hole[0];
    const containers = first ? exteriors.filter((e) => containsPoint(e.ring, first)) : [];
    const smallest = containers.sort((a, b) => a.area - b.area)[0];
    if (smallest) smallest.polygon.push(hole);
    else out.push([hole]);
  }
  return out;
}

function polygonShape(c: Cursor, type: number): ShapeResult {
  const parts = readParts(c, type);
  if (typeof parts === 'string') return { geometry: null, issue: parts };
  if (parts.length === 0) return { geometry: null };
  const polygons = groupRings(parts);
  if (polygons.length === 1) return { geometry: { type: 'Polygon', coordinates: polygons[0] ?? [] } };
  return { geometry: { type: 'MultiPolygon', coordinates: polygons } };
}

/**
 * Parse one record's content (from its shape type field, `length` bytes at `start`). A shape type
 * other than Null or the file's own type is reported as an issue.
 */
export function parseShape(buf: Buffer, start: number, length: number, fileType: number): ShapeResult {
  const c = new Cursor(buf, start, start + length);
  if (!c.fits(0, 4)) return { geometry: null, issue: 'empty shape record' };
  const type = c.int(0);
  if (type === 0) return { geometry: null };
  if (type !== fileType) return { geometry: null, issue: `shape type ${SHAPE_TYPE_NAMES[type] ?? type} in a ${SHAPE_TYPE_NAMES[fileType] ?? fileType} file` };
  switch (type) {
    case 1: case 11: case 21:
      return pointShape(c, type);
    case 8: case 18: case 28:
      return multiPointShape(c, type);
    case 3: case 13: case 23:
      return lineShape(c, type);
    case 5: case 15: case 25:
      return polygonShape(c, type);
    default:
      return { geometry: null, issue: `shape type ${SHAPE_TYPE_NAMES[type] ?? type} is not supported` };
  }
}

/**
 * The 2D Point and PolyLine records as little-endian WKB, straight from the record bytes (a
 * shapefile stores x,y as little-endian doubles, as WKB does): the bulk load checks and copies
 * them without building coordinate arrays. Null when this path does not apply (other types, Z/M,
 * anything malformed): parseShape then reads the record and says what is wrong.
 */
export function shapeWkb(buf: Buffer, start: number, length: number, fileType: number): Uint8Array | null {
  if (length < 4 || buf.readInt32LE(start) !== fileType) return null;
  if (fileType === 1) {
    if (length < 20 || Number.isNaN(buf.readDoubleLE(start + 4)) || Number.isNaN(buf.readDoubleLE(start + 12))) return null; // NaN: no geometry
    const out = Buffer.allocUnsafe(21);
    out[0] = 1;
    out.writeUInt32LE(1, 1);
    buf.copy(out, 5, start + 4, start + 20);
    return out;
  }
  if (fileType !== 3 || length < 44) return null;
  const nParts = buf.readInt32LE(start + 36);
  const nPoints = buf.readInt32LE(start + 40);
  const pointsAt = start + 44 + nParts * 4;
  if (nParts < 1 || nPoints < 0 || 44 + nParts * 4 + nPoints * 16 > length) return null;
  const single = nParts === 1;
  const out = Buffer.allocUnsafe((single ? 9 : 9 + nParts * 9) + nPoints * 16);
  let at = 0;
  out[at++] = 1;
  out.writeUInt32LE(single ? 2 : 5, at);
  at += 4;
  if (!single) {
    out.writeUInt32LE(nParts, at);
    at += 4;
  }
  for (let i = 0; i < nParts; i++) {
    const from = buf.readInt32LE(start + 44 + i * 4);
    const to = i + 1 < nParts ? buf.readInt32LE(start + 48 + i * 4) : nPoints;
    if (from < 0 || to > nPoints || from > to) return null;
    if (!single) {
      out[at++] = 1;
      out.writeUInt32LE(2, at);
      at += 4;
    }
    out.writeUInt32LE(to - from, at);
    at += 4;
    buf.copy(out, at, pointsAt + from * 16, pointsAt + to * 16);
    at += (to - from) * 16;
  }
  return at === out.length ? out : out.subarray(0, at);
}
