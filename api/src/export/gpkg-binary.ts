/**
 * GeoPackageBinary (OGC 12-128r15 §2.1.3): 'GP', version 0, flags, srs_id, optional envelope,
 * then standard (ISO) WKB.
 */

/** [minx, maxx, miny, maxy]: the order of the spec's envelope, not the usual bbox order. */
export type Envelope = readonly [number, number, number, number];

const FLAG_LITTLE_ENDIAN = 0b0000_0001;
/** Envelope contents indicator 1 (bits 1-3): [minx, maxx, miny, maxy]. */
const FLAG_ENVELOPE_XY = 0b0000_0010;
const FLAG_EMPTY = 0b0001_0000;

/**
 * The header + WKB of one geometry. The header is little-endian (flag bit 0); the WKB keeps its
 * own byte-order mark. An empty geometry has no envelope (PostGIS gives none) and the empty flag,
 * so readers and the R-tree skip it.
 */
export function encodeGeoPackageBinary(wkb: Uint8Array, srsId: number, envelope: Envelope | null): Buffer {
  const header = Buffer.alloc(envelope ? 40 : 8);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2); // version 0 = GeoPackage 1.x
  header.writeUInt8(FLAG_LITTLE_ENDIAN | (envelope ? FLAG_ENVELOPE_XY : FLAG_EMPTY), 3);
  header.writeInt32LE(srsId, 4);
  envelope?.forEach((v, i) => header.writeDoubleLE(v, 8 + i * 8));
  return Buffer.concat([header, wkb]);
}

/** The envelope from PostGIS's ST_XMin/XMax/YMin/YMax, or null when the geometry is empty. */
export function envelopeOf(r: { minx: number | null; maxx: number | null; miny: number | null; maxy: number | null }): Envelope | null {
  if (r.minx === null || r.maxx === null || r.miny === null || r.maxy === null) return null;
  return [r.minx, r.maxx, r.miny, r.maxy];
}
