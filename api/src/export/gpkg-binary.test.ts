import { describe, expect, it } from 'vitest';
import { encodeGeoPackageBinary, envelopeOf } from './gpkg-binary.ts';

// POINT(155000 463000) as little-endian ISO WKB.
const WKB = Buffer.from('0101000000' + '00000000c0eb0241' + '0000000060421c41', 'hex');

describe('encodeGeoPackageBinary', () => {
  it('writes magic, version, flags, srs_id and the [minx, maxx, miny, maxy] envelope little-endian', () => {
    const blob = encodeGeoPackageBinary(WKB, 28992, [1, 2, 3, 4]);
    expect(blob.subarray(0, 2).toString('ascii')).toBe('GP');
    expect(blob[2]).toBe(0); // version 1
    expect(blob[3]).toBe(0b0000_0011); // little-endian header, envelope type 1 (XY), not empty, standard
    expect(blob.readInt32LE(4)).toBe(28992);
    expect([8, 16, 24, 32].map((o) => blob.readDoubleLE(o))).toEqual([1, 2, 3, 4]);
    expect(blob.subarray(40).equals(WKB)).toBe(true);
  });

  it('agrees with the blob GDAL writes for the same point, apart from the envelope', () => {
    // GDAL 3.6 `ogr2ogr -f GPKG` of POINT(155000 463000) in EPSG:28992; GDAL omits the
    // envelope of points (flags 0x01), which the spec allows. We always write one (flags 0x03).
    const gdal = Buffer.from('4750000140710000' + WKB.toString('hex'), 'hex');
    const ours = encodeGeoPackageBinary(WKB, 28992, [155000, 155000, 463000, 463000]);
    expect(ours.subarray(0, 3).equals(gdal.subarray(0, 3))).toBe(true);
    expect(ours[3]).toBe((gdal[3] ?? 0) | 0b0000_0010);
    expect(ours.subarray(4, 8).equals(gdal.subarray(4, 8))).toBe(true);
    expect(ours.subarray(40).equals(gdal.subarray(8))).toBe(true);
  });

  it('marks an empty geometry and writes no envelope', () => {
    const blob = encodeGeoPackageBinary(WKB, 4326, null);
    expect(blob[3]).toBe(0b0001_0001);
    expect(blob.readInt32LE(4)).toBe(4326);
    expect(blob).toHaveLength(8 + WKB.length);
  });
});

describe('envelopeOf', () => {
  it('reorders PostGIS extremes into the GeoPackage envelope, or null when empty', () => {
    expect(envelopeOf({ minx: 1, maxx: 2, miny: 3, maxy: 4 })).toEqual([1, 2, 3, 4]);
    expect(envelopeOf({ minx: null, maxx: null, miny: null, maxy: null })).toBeNull();
  });
});
