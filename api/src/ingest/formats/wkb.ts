/**
 * WKB (ISO and EWKB flavours) and GeoPackageBinary → GeoJSON geometry, 2D: Z and M are read and
 * dropped. Small and allocation-light because a GeoPackage import decodes one per row.
 */
import type { Geometry, Position } from 'geojson';

export interface DecodedGeometry {
  geometry: Geometry | null;
  issue?: string;
}

class WkbError extends Error {}

const MAX_NESTING = 16;

class WkbReader {
  private view: DataView;
  pos: number;
  private le = true;
  private dims = 2;

  constructor(bytes: Uint8Array, offset: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = offset;
  }

  private need(n: number): void {
    if (this.pos + n > this.view.byteLength) throw new WkbError('WKB ends early');
  }

  private uint32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  private count(perItem: number): number {
    const n = this.uint32();
    if (n * perItem > this.view.byteLength - this.pos) throw new WkbError(`WKB count ${n} does not fit`);
    return n;
  }

  private position(): Position {
    this.need(8 * this.dims);
    const x = this.view.getFloat64(this.pos, this.le);
    const y = this.view.getFloat64(this.pos + 8, this.le);
    this.pos += 8 * this.dims;
    return [x, y];
  }

  private positions(): Position[] {
    const n = this.count(16);
    const out = new Array<Position>(n);
    for (let i = 0; i < n; i++) out[i] = this.position();
    return out;
  }

  private rings(): Position[][] {
    const n = this.count(4);
    const out = new Array<Position[]>(n);
    for (let i = 0; i < n; i++) out[i] = this.positions();
    return out;
  }

  /** Byte order + type; sets the dimension count for this geometry. Returns the base type 1–7. */
  private header(): number {
    this.need(1);
    this.le = this.view.getUint8(this.pos) === 1;
    this.pos += 1;
    const raw = this.uint32();
    let base = raw & 0x0fffffff;
    let z = (raw & 0x80000000) !== 0;
    let m = (raw & 0x40000000) !== 0;
    if (raw & 0x20000000) this.pos += 4; // EWKB SRID
    if (base >= 1000) {
      const iso = Math.floor(base / 1000);
      z = z || iso === 1 || iso === 3;
      m = m || iso === 2 || iso === 3;
      base %= 1000;
    }
    this.dims = 2 + (z ? 1 : 0) + (m ? 1 : 0);
    return base;
  }

  /** Members of a Multi* geometry: each a full WKB geometry of the given base type. */
  private members(expected: number, depth: number): Geometry[] {
    const n = this.count(5);
    const out: Geometry[] = [];
    for (let i = 0; i < n; i++) {
      const g = this.geometry(depth + 1);
      if (expected !== 0 && !memberOk(g, expected)) throw new WkbError('a multi-geometry holds a member of another type');
      if (g) out.push(g);
    }
    return out;
  }

  geometry(depth = 0): Geometry | null {
    if (depth > MAX_NESTING) throw new WkbError('WKB nested too deeply');
    const type = this.header();
    switch (type) {
      case 1: {
        const p = this.position();
        return Number.isNaN(p[0]) && Number.isNaN(p[1]) ? null : { type: 'Point', coordinates: p };
      }
      case 2:
        return { type: 'LineString', coordinates: this.positions() };
      case 3:
        return { type: 'Polygon', coordinates: this.rings() };
      case 4:
        return { type: 'MultiPoint', coordinates: this.members(1, depth).map((g) => (g as { coordinates: Position }).coordinates) };
      case 5:
        return { type: 'MultiLineString', coordinates: this.members(2, depth).map((g) => (g as { coordinates: Position[] }).coordinates) };
      case 6:
        return { type: 'MultiPolygon', coordinates: this.members(3, depth).map((g) => (g as { coordinates: Position[][] }).coordinates) };
      case 7:
        return { type: 'GeometryCollection', geometries: this.members(0, depth) };
      default:
        throw new WkbError(`WKB geometry type ${type} (curves, surfaces, ...) is not supported`);
    }
  }
}

const BASE_TYPES: Record<number, string> = { 1: 'Point', 2: 'LineString', 3: 'Polygon' };

function memberOk(g: Geometry | null, expected: number): boolean {
  return g === null || g.type === BASE_TYPES[expected];
}

function decode(bytes: Uint8Array, offset: number): DecodedGeometry {
  try {
    return { geometry: new WkbReader(bytes, offset).geometry() };
  } catch (err) {
    if (err instanceof WkbError) return { geometry: null, issue: err.message };
    throw err;
  }
}

/** Plain WKB (or EWKB) → GeoJSON geometry. */
export function parseWkb(bytes: Uint8Array, offset = 0): DecodedGeometry {
  return decode(bytes, offset);
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/**
 * GeoPackageBinary: 'GP', version, flags, srs_id, envelope, then WKB. Returns where the WKB starts,
 * or what the header says instead (empty geometry, or why it cannot be read).
 */
export function geoPackageWkbOffset(bytes: Uint8Array): number | DecodedGeometry {
  if (bytes.length < 8 || bytes[0] !== 0x47 || bytes[1] !== 0x50) return { geometry: null, issue: 'not a GeoPackage geometry (no "GP" header)' };
  const flags = bytes[3] ?? 0;
  if (flags & 0x20) return { geometry: null, issue: 'extended GeoPackage geometry types are not supported' };
  if (flags & 0x10) return { geometry: null };
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) return { geometry: null, issue: 'invalid envelope flag in GeoPackage geometry header' };
  return 8 + envelope;
}

export function parseGeoPackageBinary(bytes: Uint8Array): DecodedGeometry {
  const offset = geoPackageWkbOffset(bytes);
  return typeof offset === 'number' ? decode(bytes, offset) : offset;
}

/**
 * A feature whose geometry is WKB, as bytes (Shapefile records) or hex text (GeoPackage via SQLite's
 * hex()), decoded into GeoJSON only when someone reads it: a bulk load in the same CRS checks and
 * copies the WKB itself.
 */
export class LazyWkbFeature {
  private decoded: DecodedGeometry | null = null;

  constructor(
    readonly index: number,
    readonly properties: Record<string, string | number | boolean | null>,
    private readonly source: Uint8Array | string,
  ) {}

  get wkb(): Uint8Array {
    return typeof this.source === 'string' ? Buffer.from(this.source, 'hex') : this.source;
  }

  /** the WKB as hex text, when the reader had it so */
  get wkbHex(): string | undefined {
    return typeof this.source === 'string' ? this.source : undefined;
  }

  private decode(): DecodedGeometry {
    this.decoded ??= parseWkb(this.wkb);
    return this.decoded;
  }

  get geometry(): DecodedGeometry['geometry'] {
    return this.decode().geometry;
  }

  get issue(): string | undefined {
    return this.decode().issue;
  }
}
