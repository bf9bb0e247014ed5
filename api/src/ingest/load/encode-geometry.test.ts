/**
 * The load's geometry check + EWKB writer, both ways in: GeoJSON geometries, and WKB copied as it
 * is. The WKB path is checked against the GeoJSON path on every polygon of a real GeoPackage
 * written by GDAL (BGT Delft), whose WKB the independent reader in formats/wkb.ts decodes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { openSource } from '../formats/index.ts';
import { type EncodedGeometry, ewkbHex, geometryEncoder } from './encode-geometry.ts';

const GPKG = join(fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url)), 'bgt-delft.gpkg');

/** plain little-endian 2D WKB, written here only to feed the encoder's WKB path */
function wkb(g: Geometry): Uint8Array {
  const out: number[] = [];
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); out.push(...b); };
  const f64 = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); out.push(...b); };
  const pts = (p: number[][]) => { u32(p.length); for (const [x, y] of p) { f64(x ?? NaN); f64(y ?? NaN); } };
  const write = (g: Geometry) => {
    out.push(1);
    switch (g.type) {
      case 'Point': u32(1); f64(g.coordinates[0] ?? NaN); f64(g.coordinates[1] ?? NaN); break;
      case 'LineString': u32(2); pts(g.coordinates); break;
      case 'Polygon': u32(3); u32(g.coordinates.length); g.coordinates.forEach(pts); break;
      case 'MultiLineString': u32(5); u32(g.coordinates.length); g.coordinates.forEach((l) => write({ type: 'LineString', coordinates: l })); break;
      case 'MultiPolygon': u32(6); u32(g.coordinates.length); g.coordinates.forEach((p) => write({ type: 'Polygon', coordinates: p })); break;
      default: throw new Error(`not needed here: ${g.type}`);
    }
  };
  write(g);
  return Uint8Array.from(out);
}

const line = (...p: number[][]): Geometry => ({ type: 'LineString', coordinates: p });
/** a result as plain values: the EWKB bytes copied out of the encoder's reused buffer */
const snap = (e: EncodedGeometry | null) => (e?.ok ? { ok: true, hex: ewkbHex(e), dbCheck: e.dbCheck, closedRings: e.closedRings } : e);
const square: number[][] = [[155000, 463000], [155010, 463000], [155010, 463010], [155000, 463010], [155000, 463000]];

describe('geometryEncoder', () => {
  const encode = geometryEncoder(28992, false);

  it('writes little-endian EWKB with the SRID, and leaves a line with two distinct points to nobody', () => {
    const r = encode(line([155000, 463000], [155001.5, 463002]));
    expect(r.ok && ewkbHex(r).slice(0, 18)).toBe('0102000020407100000'.slice(0, 18)); // LE, LineString|SRID flag, 28992
    expect(r.ok && r.dbCheck).toBe('none');
  });

  it('sends polygons and lines without two distinct points to PostGIS', () => {
    expect(encode({ type: 'Polygon', coordinates: [square] })).toMatchObject({ ok: true, dbCheck: 'area' });
    expect(encode(line([155000, 463000], [155000, 463000]))).toMatchObject({ ok: true, dbCheck: 'line' });
  });

  it.each<[string, Geometry, string]>([
    ['NaN', line([155000, NaN], [155001, 463000]), 'Coordinate is NaN or Infinity'],
    ['absurd', line([1e15, 463000], [155001, 463000]), 'Absurd coordinate'],
    ['outside RD New', line([500000, 463000], [500001, 463000]), 'Outside the Netherlands for RD New'],
    ['one point', line([155000, 463000]), 'Too few points in a line (1)'],
    ['unclosed ring', { type: 'Polygon', coordinates: [square.slice(0, 4)] }, 'Polygon ring is not closed'],
    ['short ring', { type: 'Polygon', coordinates: [[[155000, 463000], [155010, 463000], [155000, 463000]]] }, 'Too few points in a polygon ring (3)'],
    ['empty line', line(), 'Geometry is empty'],
  ])('rejects %s the same way from GeoJSON and from WKB', (_name, g, reason) => {
    const fromJson = encode(g);
    expect(fromJson.ok).toBe(false);
    expect(!fromJson.ok && fromJson.problem.reason).toContain(reason);
    expect(encode.wkb(wkb(g))).toEqual(fromJson);
  });

  it('closes an open ring only when asked to repair, and says so', () => {
    const repair = geometryEncoder(28992, true);
    const open = { type: 'Polygon', coordinates: [square.slice(0, 4)] } as Geometry;
    const r = snap(repair(open));
    expect(r).toMatchObject({ ok: true, closedRings: true });
    expect(snap(repair.wkb(wkb(open)))).toEqual(r);
    // the same bytes as the closed square, which needed no repair
    expect(snap(repair({ type: 'Polygon', coordinates: [square] }))).toEqual({ ...r, closedRings: false });
  });

  it('checks hex WKB like WKB, and gives back what is not hex or not 2D little-endian', () => {
    const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
    const open = wkb({ type: 'Polygon', coordinates: [square.slice(0, 4)] });
    expect(encode.wkbHex(hexOf(open))).toEqual({ ok: false, problem: { reason: 'Polygon ring is not closed', repairable: true } });
    const repaired = geometryEncoder(28992, true).wkbHex(hexOf(open));
    expect(snap(repaired)).toEqual(snap(geometryEncoder(28992, true).wkb(open))); // a closed ring is written anew, not copied
    expect(repaired?.ok && repaired.closedRings).toBe(true);
    expect(encode.wkbHex('01ZZ')).toBeNull();
    expect(encode.wkbHex('0000000001' + '40f2ed8000000000' + '411c4a7000000000')).toBeNull();
  });

  it('reads hex WKB only to its own end, not into what a longer geometry left in the scratch bytes', () => {
    const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
    const long = hexOf(wkb(line([155000, 463000], [155010, 463000], [155020, 463010], [155030, 463000])));
    const short = hexOf(wkb(line([155000, 463000], [155010, 463000])));
    expect(encode.wkbHex(long)?.ok).toBe(true);
    // the same line cut after its first point (and cut inside a coordinate): the count says 2 points
    expect(encode.wkbHex(short.slice(0, 18 + 32))).toBeNull();
    expect(encode.wkbHex(short.slice(0, short.length - 8))).toBeNull();
    // one byte too many is no WKB of this path either
    expect(encode.wkbHex(`${short}00`)).toBeNull();
    expect(snap(encode.wkbHex(short))).toEqual(snap(encode.wkb(wkb(line([155000, 463000], [155010, 463000])))));
  });

  it('gives the WKB path back to the general one for what it does not copy (big-endian, Z)', () => {
    const be = Uint8Array.from(Buffer.from('0000000001' + '40f2ed8000000000' + '411c4a7000000000', 'hex')); // BE point
    expect(encode.wkb(be)).toBeNull();
    const z = wkb(line([155000, 463000], [155001, 463000]));
    z[1] = 0xea; // 1002 = LineString Z
    z[2] = 0x03;
    expect(encode.wkb(z)).toBeNull();
  });

  it('copies every polygon of a GDAL-written GeoPackage exactly as the GeoJSON path writes it', async () => {
    const source = await openSource(GPKG);
    let compared = 0;
    for await (const batch of source.features(100)) {
      for (const f of batch) {
        expect(f.wkb).toBeDefined();
        // the encoder reuses its buffer: each result is read before the next geometry
        const copied = encode.wkb(f.wkb ?? new Uint8Array());
        expect(copied?.ok).toBe(true);
        const copiedHex = copied?.ok ? ewkbHex(copied) : null;
        const general = encode(f.geometry);
        expect(general.ok && ewkbHex(general)).toBe(copiedHex);
        expect(general.ok && general.dbCheck).toBe(copied?.ok && copied.dbCheck);
        // the reader's hex text: the same EWKB
        expect(f.wkbHex).toBeDefined();
        const fromHex = encode.wkbHex(f.wkbHex ?? '');
        expect(fromHex?.ok && ewkbHex(fromHex)).toBe(copiedHex);
        compared++;
      }
    }
    await source.close();
    expect(compared).toBe(126);
  });
});
