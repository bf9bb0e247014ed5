/**
 * The FlatGeobuf header (a FlatBuffers table after the 8 magic bytes and a length), read directly:
 * loaders.gl does not expose it from its streaming parser, and it holds what a reader needs up
 * front — CRS, columns and feature count.
 */

export interface FgbColumn {
  name: string;
  /** FlatGeobuf ColumnType (0 Byte … 11 String, 12 Json, 13 DateTime, 14 Binary) */
  type: number;
}

export interface FgbHeader {
  name: string;
  envelope: number[] | null;
  featuresCount: number;
  /** nodes per R-tree node; 0 = no spatial index (the FlatBuffers default when absent is 16) */
  indexNodeSize: number;
  columns: FgbColumn[];
  crs: { org: string | null; code: number; name: string | null; wkt: string | null } | null;
  /** bytes before the first feature's index/data: magic + length + header */
  headerEnd: number;
}

export const FGB_MAGIC = [0x66, 0x67, 0x62, 0x03];

class Table {
  constructor(
    private readonly view: DataView,
    readonly pos: number,
  ) {}

  static root(view: DataView, at: number): Table {
    return new Table(view, at + view.getUint32(at, true));
  }

  private field(i: number): number | null {
    const vtable = this.pos - this.view.getInt32(this.pos, true);
    const vtableSize = this.view.getUint16(vtable, true);
    const slot = 4 + 2 * i;
    if (slot + 2 > vtableSize) return null;
    const offset = this.view.getUint16(vtable + slot, true);
    return offset === 0 ? null : this.pos + offset;
  }

  string(i: number): string | null {
    const at = this.field(i);
    if (at === null) return null;
    const s = at + this.view.getUint32(at, true);
    const len = this.view.getUint32(s, true);
    return Buffer.from(this.view.buffer, this.view.byteOffset + s + 4, len).toString('utf8');
  }

  uint(i: number, bytes: 1 | 2 | 4 | 8, fallback = 0): number {
    const at = this.field(i);
    if (at === null) return fallback;
    if (bytes === 1) return this.view.getUint8(at);
    if (bytes === 2) return this.view.getUint16(at, true);
    if (bytes === 4) return this.view.getInt32(at, true);
    return Number(this.view.getBigUint64(at, true));
  }

  table(i: number): Table | null {
    const at = this.field(i);
    return at === null ? null : new Table(this.view, at + this.view.getUint32(at, true));
  }

  private vector(i: number): { start: number; length: number } | null {
    const at = this.field(i);
    if (at === null) return null;
    const v = at + this.view.getUint32(at, true);
    return { start: v + 4, length: this.view.getUint32(v, true) };
  }

  doubles(i: number): number[] | null {
    const v = this.vector(i);
    if (!v) return null;
    return Array.from({ length: v.length }, (_, k) => this.view.getFloat64(v.start + 8 * k, true));
  }

  tables(i: number): Table[] {
    const v = this.vector(i);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, k) => {
      const at = v.start + 4 * k;
      return new Table(this.view, at + this.view.getUint32(at, true));
    });
  }
}

/** Total header bytes from the first 12 bytes (magic + length); throws on a bad magic. */
export function fgbHeaderLength(head: Buffer): number {
  if (head.length < 12 || !FGB_MAGIC.every((b, i) => head[i] === b)) throw new Error('not a FlatGeobuf file (bad magic bytes)');
  return 12 + head.readUInt32LE(8);
}

/** Parse the header from a buffer holding at least fgbHeaderLength(buf) bytes. Throws RangeError when corrupt. */
export function parseFgbHeader(buf: Buffer): FgbHeader {
  const headerEnd = fgbHeaderLength(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, headerEnd);
  const h = Table.root(view, 12);
  const crsTable = h.table(10);
  return {
    name: h.string(0) ?? '',
    envelope: h.doubles(1),
    featuresCount: h.uint(8, 8),
    indexNodeSize: h.uint(9, 2, 16),
    columns: h.tables(7).map((c) => ({ name: c.string(0) ?? '', type: c.uint(1, 1) })),
    crs: crsTable ? { org: crsTable.string(0), code: crsTable.uint(1, 4), name: crsTable.string(2), wkt: crsTable.string(4) } : null,
    headerEnd,
  };
}
