/**
 * One pass over a geometry (in the working CRS) that both checks it and writes it as EWKB for
 * binary COPY: the hot path of a bulk load, so no generator, no intermediate arrays, one reused buffer.
 *
 * Checked here (PostGIS would refuse these at parse time and fail the whole COPY, or they are
 * outside what the working CRS can hold): NaN/Infinity, absurd coordinates, outside the Netherlands
 * for RD New, empty geometries, lines with fewer than 2 points, rings with fewer than 4 points or not
 * closed. Closing a ring is the only change made, and only when the analyst chose "repair".
 *
 * What is left to PostGIS (`ST_IsValidDetail`) is said in `dbCheck`: every polygonal geometry
 * (self-intersections, holes outside the shell, ...), and lines whose points are not at least two
 * distinct ones. A line with two distinct finite points is always valid for GEOS, so such lines
 * need no check in the database.
 */
import type { Geometry, Position } from 'geojson';
import type { GeometryProblem } from './geometry-checks.ts';

/** RD New bounds (EPSG:28992 area of use, with a margin): the Netherlands incl. the 12-mile zone. */
const RD_BOUNDS = { minX: -8_000, maxX: 300_000, minY: 280_000, maxY: 630_000 };
/** a coordinate beyond this is no coordinate at all (also used by the KLIC reader, gml-geometry.ts) */
export const ABSURD = 1e9;
const SRID_FLAG = 0x20000000;
const TYPE_CODE = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6, GeometryCollection: 7 } as const;

/** 'none': valid as written; 'line': a line that may lack two distinct points; 'area': polygonal */
export type DbCheck = 'none' | 'line' | 'area';

export type EncodedGeometry =
  /** `ewkb` is the encoder's own buffer, valid until its next geometry: its first `length` bytes */
  | { ok: true; ewkb: Buffer; length: number; dbCheck: DbCheck; closedRings: boolean }
  | { ok: false; problem: GeometryProblem };

class Encoder {
  buf = Buffer.allocUnsafe(1 << 16);
  /** the same bytes as `buf`: DataView stores are inlined by the compiler, Buffer's write methods are calls */
  private out = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  at = 0;
  problem: GeometryProblem | null = null;
  dbCheck: DbCheck = 'none';
  closedRings = false;
  /** coordinates written */
  points = 0;
  /** coordinates in the input, written or not: 0 means the geometry is empty */
  seen = 0;

  constructor(
    private readonly rdNew: boolean,
    private readonly closeRings: boolean,
  ) {}

  reset(): void {
    this.at = 0;
    this.problem = null;
    this.dbCheck = 'none';
    this.closedRings = false;
    this.points = 0;
    this.seen = 0;
  }

  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.out = new DataView(next.buffer, next.byteOffset, next.length);
  }

  private fail(problem: GeometryProblem): void {
    this.problem ??= problem;
  }

  header(type: number, srid: number | null): void {
    this.ensure(9);
    this.buf[this.at++] = 1;
    this.out.setUint32(this.at, srid === null ? type : (type | SRID_FLAG) >>> 0, true);
    this.at += 4;
    if (srid !== null) {
      this.out.setUint32(this.at, srid, true);
      this.at += 4;
    }
  }

  u32(v: number): void {
    this.ensure(4);
    this.out.setUint32(this.at, v, true);
    this.at += 4;
  }

  /** writes one position; returns false (and records why) when it cannot be stored */
  xy(p: Position | undefined): boolean {
    const x = p?.[0];
    const y = p?.[1];
    if (typeof x !== 'number' || typeof y !== 'number' || !this.storable(x, y)) return false;
    this.ensure(16);
    this.out.setFloat64(this.at, x, true);
    this.out.setFloat64(this.at + 8, y, true);
    this.at += 16;
    this.points++;
    return true;
  }

  private storable(x: number, y: number): boolean {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      this.fail({ reason: 'Coordinate is NaN or Infinity', repairable: false });
      return false;
    }
    if (Math.abs(x) > ABSURD || Math.abs(y) > ABSURD) {
      this.fail({ reason: `Absurd coordinate (${x}, ${y})`, repairable: false });
      return false;
    }
    if (this.rdNew && (x < RD_BOUNDS.minX || x > RD_BOUNDS.maxX || y < RD_BOUNDS.minY || y > RD_BOUNDS.maxY)) {
      this.fail({ reason: `Outside the Netherlands for RD New (${x}, ${y})`, repairable: false });
      return false;
    }
    return true;
  }

  /** where the WKB being read ends in its bytes (which may be a longer scratch buffer) */
  private end = 0;

  /**
   * 2D little-endian WKB in the first `length` bytes of `bytes` → the same checks and EWKB, copying
   * coordinates as they are. Returns the position after the geometry, or -1 when this path does not
   * handle it (big-endian, Z/M, empty points, unknown types, truncated): the caller then decodes the
   * geometry instead.
   */
  wkbOf(bytes: Uint8Array, view: DataView, length: number, srid: number | null): number {
    this.end = length;
    return this.wkb(bytes, view, 0, srid, 0);
  }

  private wkb(bytes: Uint8Array, view: DataView, pos: number, srid: number | null, depth: number): number {
    if (depth > 16 || pos + 5 > this.end || bytes[pos] !== 1) return -1;
    const type = view.getUint32(pos + 1, true);
    if (type < 1 || type > 7) return -1;
    pos += 5;
    this.header(type, srid);
    if (type === 1) return this.wkbPoints(bytes, view, pos, 1, 'point');
    if (type === 2) return this.wkbPoints(bytes, view, pos + 4, this.count(view, pos, 16), 'a line');
    if (type === 3) {
      this.dbCheck = 'area';
      return this.wkbRings(bytes, view, pos);
    }
    const n = this.count(view, pos, 5);
    if (n < 0) return -1;
    this.u32(n);
    pos += 4;
    if (type === 7) this.dbCheck = 'area';
    for (let i = 0; i < n && pos >= 0; i++) {
      const memberType = bytes[pos] === 1 && pos + 5 <= this.end ? view.getUint32(pos + 1, true) : -1;
      if (type !== 7 && memberType !== type - 3) return -1;
      if (type === 5) {
        pos += 5;
        this.header(2, null);
        pos = this.wkbPoints(bytes, view, pos + 4, this.count(view, pos, 16), 'a line of a multi-line');
      } else pos = this.wkb(bytes, view, pos, null, depth + 1);
      if (this.problem) return pos;
    }
    return pos;
  }

  private count(view: DataView, pos: number, perItem: number): number {
    if (pos + 4 > this.end) return -1;
    const n = view.getUint32(pos, true);
    return n * perItem > this.end - pos - 4 ? -1 : n;
  }

  /** a run of n points at pos (a line when what !== 'point'); copied after every point is checked */
  private wkbPoints(bytes: Uint8Array, view: DataView, pos: number, n: number, what: string): number {
    if (n < 0 || pos + 16 * n > this.end) return -1;
    const isLine = what !== 'point';
    this.seen += n;
    if (isLine) {
      if (n < 2) this.fail({ reason: `Too few points in ${what} (${n})`, repairable: false });
      this.u32(n);
    }
    if (n === 0) return pos;
    const x0 = view.getFloat64(pos, true);
    const y0 = view.getFloat64(pos + 8, true);
    if (!isLine && Number.isNaN(x0) && Number.isNaN(y0)) return -1; // an empty point
    let distinct = false;
    // written as they are checked (a refused geometry's bytes are never used); a point's 16 bytes
    // are its two doubles (finite: storable refuses NaN), so reading and storing them copies them exactly
    this.ensure(16 * n);
    const out = this.out;
    for (let i = 0, at = this.at; i < n; i++, at += 16) {
      const x = view.getFloat64(pos + 16 * i, true);
      const y = view.getFloat64(pos + 16 * i + 8, true);
      if (!this.storable(x, y)) return pos + 16 * n;
      if (x !== x0 || y !== y0) distinct = true;
      out.setFloat64(at, x, true);
      out.setFloat64(at + 8, y, true);
    }
    if (isLine && !distinct && this.dbCheck === 'none') this.dbCheck = 'line';
    this.at += 16 * n;
    this.points += n;
    return pos + 16 * n;
  }

  private wkbRings(bytes: Uint8Array, view: DataView, pos: number): number {
    const rings = this.count(view, pos, 4);
    if (rings < 0) return -1;
    this.u32(rings);
    pos += 4;
    for (let r = 0; r < rings; r++) {
      const n = this.count(view, pos, 16);
      if (n < 0) return -1;
      const start = pos + 4;
      const last = start + 16 * (n - 1);
      this.seen += n;
      const closed = n > 0 && view.getFloat64(start, true) === view.getFloat64(last, true) && view.getFloat64(start + 8, true) === view.getFloat64(last + 8, true);
      if (n < 3 || (closed && n < 4)) {
        this.fail({ reason: `Too few points in a polygon ring (${n})`, repairable: false });
        return start + 16 * n;
      }
      if (!closed && !this.closeRings) {
        this.fail({ reason: 'Polygon ring is not closed', repairable: true });
        return start + 16 * n;
      }
      for (let i = 0; i < n; i++) if (!this.storable(view.getFloat64(start + 16 * i, true), view.getFloat64(start + 16 * i + 8, true))) return start + 16 * n;
      this.u32(closed ? n : n + 1);
      this.ensure(16 * (n + 1));
      this.buf.set(bytes.subarray(start, start + 16 * n), this.at);
      this.at += 16 * n;
      if (!closed) {
        this.buf.set(bytes.subarray(start, start + 16), this.at);
        this.at += 16;
        this.closedRings = true;
      }
      this.points += n;
      pos = start + 16 * n;
    }
    return pos;
  }

  line(pts: Position[], what: string): void {
    this.seen += pts.length;
    if (pts.length < 2) this.fail({ reason: `Too few points in ${what} (${pts.length})`, repairable: false });
    this.u32(pts.length);
    let distinct = false;
    const first = pts[0];
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i];
      if (!this.xy(p)) return;
      if (!distinct && i > 0 && (p?.[0] !== first?.[0] || p?.[1] !== first?.[1])) distinct = true;
    }
    if (!distinct && this.dbCheck === 'none') this.dbCheck = 'line';
  }

  ring(ring: Position[]): void {
    const a = ring[0];
    const b = ring[ring.length - 1];
    const closed = ring.length > 0 && a?.[0] === b?.[0] && a?.[1] === b?.[1];
    this.seen += ring.length;
    if (ring.length < 3 || (closed && ring.length < 4)) {
      this.fail({ reason: `Too few points in a polygon ring (${ring.length})`, repairable: false });
      return;
    }
    const close = !closed && this.closeRings;
    if (!closed && !close) {
      this.fail({ reason: 'Polygon ring is not closed', repairable: true });
      return;
    }
    this.u32(ring.length + (close ? 1 : 0));
    for (const p of ring) if (!this.xy(p)) return;
    if (close) {
      this.closedRings = true;
      this.xy(a);
    }
  }

  polygon(rings: Position[][]): void {
    this.dbCheck = 'area';
    this.u32(rings.length);
    for (const r of rings) {
      this.ring(r);
      if (this.problem) return;
    }
  }

  geometry(g: Geometry, srid: number | null): void {
    this.header(TYPE_CODE[g.type], srid);
    switch (g.type) {
      case 'Point':
        this.seen++;
        this.xy(g.coordinates);
        break;
      case 'LineString':
        this.line(g.coordinates, 'a line');
        break;
      case 'Polygon':
        this.polygon(g.coordinates);
        break;
      case 'MultiPoint':
        this.u32(g.coordinates.length);
        for (const p of g.coordinates) {
          this.header(TYPE_CODE.Point, null);
          this.seen++;
          if (!this.xy(p)) return;
        }
        break;
      case 'MultiLineString':
        this.u32(g.coordinates.length);
        for (const l of g.coordinates) {
          this.header(TYPE_CODE.LineString, null);
          this.line(l, 'a line of a multi-line');
          if (this.problem) return;
        }
        break;
      case 'MultiPolygon':
        this.u32(g.coordinates.length);
        for (const p of g.coordinates) {
          this.header(TYPE_CODE.Polygon, null);
          this.polygon(p);
          if (this.problem) return;
        }
        break;
      case 'GeometryCollection':
        this.dbCheck = 'area';
        this.u32(g.geometries.length);
        for (const sub of g.geometries) {
          this.geometry(sub, null);
          if (this.problem) return;
        }
        this.dbCheck = 'area';
        break;
    }
  }
}

function result(enc: Encoder): EncodedGeometry {
  if (enc.seen === 0) enc.problem = { reason: 'Geometry is empty', repairable: false };
  if (enc.problem !== null) return { ok: false, problem: enc.problem };
  return { ok: true, ewkb: enc.buf, length: enc.at, dbCheck: enc.dbCheck, closedRings: enc.closedRings };
}

/** the EWKB of an encoded geometry as hex text (a query parameter PostGIS reads as geometry) */
export function ewkbHex(g: EncodedGeometry & { ok: true }): string {
  return g.ewkb.toString('hex', 0, g.length);
}

export interface GeometryEncoder {
  /** check and write one geometry */
  (g: Geometry | null): EncodedGeometry;
  /**
   * The same for a geometry that is already 2D little-endian WKB in the working CRS (a GeoPackage
   * blob after its header); null when the WKB needs the general path (decode, then encode).
   */
  wkb(bytes: Uint8Array): EncodedGeometry | null;
  /**
   * The same for WKB given as hex text (a GeoPackage read with SQLite's `hex()`: a string is much
   * cheaper to hand over than a Buffer per row). The output reuses the input text after the
   * top-level header instead of encoding the bytes again.
   */
  wkbHex(hex: string): EncodedGeometry | null;
}

/** A reusable encoder for one load: checks and writes one geometry at a time. */
export function geometryEncoder(srid: number, closeRings: boolean): GeometryEncoder {
  const enc = new Encoder(srid === 28992, closeRings);
  const encode = (g: Geometry | null): EncodedGeometry => {
    if (g === null) return { ok: false, problem: { reason: 'Feature has no geometry', repairable: false } };
    enc.reset();
    enc.geometry(g, srid);
    return result(enc);
  };
  /** the checks and EWKB of 2D LE WKB into enc; false when this path does not handle it */
  const checkWkb = (bytes: Uint8Array, view: DataView, length: number): boolean => {
    enc.reset();
    const end = enc.wkbOf(bytes, view, length, srid);
    return !(end < 0 || (enc.problem === null && end !== length));
  };
  encode.wkb = (bytes: Uint8Array): EncodedGeometry | null =>
    checkWkb(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.length) ? result(enc) : null;
  // hex is decoded into one scratch buffer, read through one view of it: no objects per geometry
  let scratch = Buffer.allocUnsafe(1 << 16);
  let scratchView = new DataView(scratch.buffer, scratch.byteOffset, scratch.length);
  encode.wkbHex = (hex: string): EncodedGeometry | null => {
    const n = hex.length >> 1;
    if (n > scratch.length) {
      scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
      scratchView = new DataView(scratch.buffer, scratch.byteOffset, scratch.length);
    }
    if (scratch.write(hex, 0, 'hex') !== n) return null;
    return checkWkb(scratch, scratchView, n) ? result(enc) : null;
  };
  return encode;
}
