/**
 * GeoPackageBinary geometry (GeoPackage 1.2 §2.1.3): 'GP', version 0, flags, srs_id, envelope
 * [minx, maxx, miny, maxy], then standard WKB. Little-endian header; flags 0b0000_0011 =
 * little-endian + envelope type 1.
 */
export function gpkgGeometry(wkb: Buffer, srsId: number, env: [number, number, number, number]): Buffer {
  const header = Buffer.alloc(8 + 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2);
  header.writeUInt8(0b0000_0011, 3);
  header.writeInt32LE(srsId, 4);
  header.writeDoubleLE(env[0], 8);
  header.writeDoubleLE(env[1], 16);
  header.writeDoubleLE(env[2], 24);
  header.writeDoubleLE(env[3], 32);
  return Buffer.concat([header, wkb]);
}
