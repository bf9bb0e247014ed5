/**
 * GeoJSON geometry → hex EWKB (little-endian, 2D, with SRID), the cheapest form for PostgreSQL's
 * geometry input in COPY. Only called on geometries that passed checkGeometry.
 */
import type { Geometry, Position } from 'geojson';

const TYPE_CODE = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6, GeometryCollection: 7 } as const;
const SRID_FLAG = 0x20000000;

class Writer {
  private buf = Buffer.allocUnsafe(256);
  private at = 0;
  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.at);
    this.at += 1;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.at);
    this.at += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
  }
  hex(): string {
    return this.buf.toString('hex', 0, this.at);
  }
}

function points(w: Writer, pts: Position[]): void {
  w.u32(pts.length);
  for (const p of pts) {
    w.f64(p[0] ?? NaN);
    w.f64(p[1] ?? NaN);
  }
}

function write(w: Writer, g: Geometry, srid: number | null): void {
  w.u8(1);
  w.u32(srid === null ? TYPE_CODE[g.type] : TYPE_CODE[g.type] | SRID_FLAG);
  if (srid !== null) w.u32(srid);
  switch (g.type) {
    case 'Point':
      w.f64(g.coordinates[0] ?? NaN);
      w.f64(g.coordinates[1] ?? NaN);
      break;
    case 'LineString':
      points(w, g.coordinates);
      break;
    case 'Polygon':
      w.u32(g.coordinates.length);
      for (const ring of g.coordinates) points(w, ring);
      break;
    case 'MultiPoint':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) write(w, { type: 'Point', coordinates: p }, null);
      break;
    case 'MultiLineString':
      w.u32(g.coordinates.length);
      for (const l of g.coordinates) write(w, { type: 'LineString', coordinates: l }, null);
      break;
    case 'MultiPolygon':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) write(w, { type: 'Polygon', coordinates: p }, null);
      break;
    case 'GeometryCollection':
      w.u32(g.geometries.length);
      for (const sub of g.geometries) write(w, sub, null);
      break;
  }
}

export function toHexEwkb(g: Geometry, srid: number): string {
  const w = new Writer();
  write(w, g, srid);
  return w.hex();
}
