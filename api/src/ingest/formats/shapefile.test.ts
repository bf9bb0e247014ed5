/**
 * Shapefile reader on the real trees of Leeuwarden (loose, zipped, Latin-1 .cpg, WGS 84) and the
 * two Frisian municipalities written as Latin-1 (tests/fixtures/formats, see its README); plus a
 * small SYNTHETIC shapefile written byte by byte for null shapes and deleted records.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprojectGeometry } from '../crs/reproject.ts';
import { openSource } from './index.ts';
import { groupRings, parseShape, shapeWkb } from './shp-geometry.ts';
import { parseWkb } from './wkb.ts';
import { encodingFromCpg } from './text-encoding.ts';
import { goldenOf, readAll } from './test-golden.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const GOLDEN = '../../../../tests/fixtures/formats/golden/';
const BOMEN = join(FIXTURES, 'shapefile', 'bomen.shp');

// `ogrinfo -so` (GDAL 3.6.2) Feature Count of bomen.shp, /vsizip/bomen.shp.zip, bomen-latin1.shp,
// bomen-wgs84.shp, and fryslan-latin1.shp
const BOMEN_COUNT = 200;
const FRYSLAN_COUNT = 2;

describe('Shapefile reader on the trees of Leeuwarden', () => {
  it('renders the first features (golden) and reads the .prj, .cpg and field types', async () => {
    const text = await goldenOf(BOMEN, 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bomen-shapefile.geojson`);
    const { source, features } = await readAll(BOMEN);
    expect(features).toHaveLength(BOMEN_COUNT);
    expect(source.featureCountHint).toBe(BOMEN_COUNT);
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'prj', guessed: false });
    expect(source.encoding).toBe('utf-8');
    expect(source.fields).toContainEqual({ name: 'PLANTJAAR', type: 'number' });
    expect(source.progress().bytesRead).toBe(source.progress().bytesTotal);
  });

  it('reads the zipped shapefile the same as the loose one and removes its scratch dir on close', async () => {
    const loose = await readAll(BOMEN);
    const workDir = join(await mkdtemp(join(tmpdir(), 'shp-zip-test-')), 'work');
    const source = await openSource(join(FIXTURES, 'bomen.shp.zip'), { workDir });
    expect(source).toMatchObject({ format: 'shapefile', fileName: 'bomen.shp.zip', layerName: 'bomen', featureCountHint: BOMEN_COUNT });
    expect((await stat(workDir)).isDirectory()).toBe(true);
    const zipped = [];
    for await (const batch of source.features(64)) {
      expect(batch.length).toBeLessThanOrEqual(64);
      zipped.push(...batch);
    }
    await source.close();
    await expect(stat(workDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(zipped).toEqual(loose.features);
  });

  it('honours a Latin-1 .cpg (same trees, same values)', async () => {
    const latin1 = await readAll(join(FIXTURES, 'shapefile-latin1', 'bomen-latin1.shp'));
    expect(latin1.source.encoding).toBe('windows-1252');
    expect(latin1.features).toEqual((await readAll(BOMEN)).features);
  });

  it('decodes accented names in a Latin-1 file (Súdwest-Fryslân)', async () => {
    const dbf = await readFile(join(FIXTURES, 'gemeenten-latin1', 'fryslan-latin1.dbf'));
    expect(dbf.includes(Buffer.from('Fryslân', 'latin1'))).toBe(true);
    const { features } = await readAll(join(FIXTURES, 'gemeenten-latin1', 'fryslan-latin1.shp'));
    expect(features).toHaveLength(FRYSLAN_COUNT);
    expect(features.map((f) => f.properties.gemeentena).sort()).toEqual(['Noardeast-Fryslân', 'Súdwest-Fryslân']);
    expect(features[0]?.geometry?.type).toBe('MultiPolygon');
  });

  it('reads a WGS 84 .prj (GCS_WGS_1984) and lands within 1 mm of the RD original after reprojection', async () => {
    const wgs = await readAll(join(FIXTURES, 'shapefile-wgs84', 'bomen-wgs84.shp'));
    expect(wgs.source.crs).toMatchObject({ epsg: 4326, source: 'prj', guessed: false });
    const rd = await readAll(BOMEN);
    // ogr2ogr -t_srs EPSG:4326 made these; reprojecting back must give the RD coordinates again
    wgs.features.forEach((f, i) => {
      const back = f.geometry && reprojectGeometry(f.geometry, 4326, 28992);
      const orig = rd.features[i]?.geometry;
      if (back?.type !== 'Point' || orig?.type !== 'Point') throw new Error('expected points');
      expect(Math.hypot((back.coordinates[0] ?? 0) - (orig.coordinates[0] ?? 0), (back.coordinates[1] ?? 0) - (orig.coordinates[1] ?? 0))).toBeLessThan(0.001);
    });
    const text = await goldenOf(join(FIXTURES, 'shapefile-wgs84', 'bomen-wgs84.shp'), 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bomen-wgs84-shapefile.geojson`);
  });
});

describe('encodingFromCpg', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['65001', 'utf-8'],
    ['ISO-8859-1', 'windows-1252'],
    ['LATIN1', 'windows-1252'],
    ['1252', 'windows-1252'],
    ['windows-1252', 'windows-1252'],
    ['ISO 8859-15', 'iso-8859-15'],
  ])('%s → %s', (cpg, encoding) => {
    expect(encodingFromCpg(`${cpg}\r\n`)).toBe(encoding);
  });
  it('an unknown label gives null', () => {
    expect(encodingFromCpg('klingon')).toBeNull();
  });
});

describe('groupRings', () => {
  const square = (x: number, y: number, s: number, clockwise: boolean) => {
    const ring = [[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]];
    return clockwise ? ring : ring.reverse();
  };
  it('puts a counter-clockwise ring inside the clockwise ring that contains it', () => {
    const outerA = square(0, 0, 10, true);
    const hole = square(2, 2, 2, false);
    const outerB = square(20, 0, 5, true);
    expect(groupRings([outerA, outerB, hole])).toEqual([[outerA, hole], [outerB]]);
  });
});

/** SYNTHETIC: a point shapefile written byte by byte (null shapes and a deleted record). */
function syntheticShapefile(points: ([number, number] | null)[], deleted: number[]): { shp: Buffer; shx: Buffer; dbf: Buffer } {
  const contents = points.map((p) => {
    const b = Buffer.alloc(p ? 20 : 4);
    b.writeInt32LE(p ? 1 : 0, 0);
    if (p) {
      b.writeDoubleLE(p[0], 4);
      b.writeDoubleLE(p[1], 12);
    }
    return b;
  });
  const header = (lengthBytes: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(lengthBytes / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(1, 32);
    return h;
  };
  const records = contents.map((c, i) => {
    const r = Buffer.alloc(8);
    r.writeInt32BE(i + 1, 0);
    r.writeInt32BE(c.length / 2, 4);
    return Buffer.concat([r, c]);
  });
  const shpLength = 100 + records.reduce((s, r) => s + r.length, 0);
  let offset = 100;
  const index = records.map((r) => {
    const e = Buffer.alloc(8);
    e.writeInt32BE(offset / 2, 0);
    e.writeInt32BE((r.length - 8) / 2, 4);
    offset += r.length;
    return e;
  });
  const dbfHeader = Buffer.alloc(32 + 32 + 1);
  dbfHeader.writeUInt8(0x03, 0);
  dbfHeader.writeUInt32LE(points.length, 4);
  dbfHeader.writeUInt16LE(65, 8);
  dbfHeader.writeUInt16LE(1 + 10, 10);
  dbfHeader.write('NAAM', 32, 'latin1');
  dbfHeader.write('C', 43, 'latin1');
  dbfHeader.writeUInt8(10, 48);
  dbfHeader[64] = 0x0d;
  const rows = points.map((_, i) => Buffer.from(`${deleted.includes(i + 1) ? '*' : ' '}${`boom ${i + 1}`.padEnd(10)}`, 'latin1'));
  return {
    shp: Buffer.concat([header(shpLength), ...records]),
    shx: Buffer.concat([header(100 + 8 * points.length), ...index]),
    dbf: Buffer.concat([dbfHeader, ...rows, Buffer.from([0x1a])]),
  };
}

describe('Shapefile reader on SYNTHETIC edge cases', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shp-synthetic-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps geometries and attributes in step across null shapes and skips deleted records', async () => {
    const files = syntheticShapefile([[155000, 463000], null, [155010, 463010], [155020, 463020], null], [4]);
    for (const [ext, bytes] of Object.entries(files)) await writeFile(join(dir, `punten.${ext.toUpperCase()}`), bytes);
    const { source, features } = await readAll(join(dir, 'punten.SHP'));
    expect(source.crs).toMatchObject({ epsg: 28992, guessed: true });
    expect(features.map((f) => [f.index, f.properties.NAAM, f.geometry])).toEqual([
      [1, 'boom 1', { type: 'Point', coordinates: [155000, 463000] }],
      [2, 'boom 2', null],
      [3, 'boom 3', { type: 'Point', coordinates: [155010, 463010] }],
      [5, 'boom 5', null],
    ]);
  });
});

describe('Shapefile records copied as WKB', () => {
  /** every record of a .shp: its content's offset and length */
  async function records(path: string): Promise<{ buf: Buffer; type: number; at: { start: number; length: number }[] }> {
    const buf = await readFile(path);
    const at: { start: number; length: number }[] = [];
    for (let p = 100; p + 8 <= buf.length; p += 8 + buf.readInt32BE(p + 4) * 2) at.push({ start: p + 8, length: buf.readInt32BE(p + 4) * 2 });
    return { buf, type: buf.readInt32LE(32), at };
  }

  it('gives the same geometry as reading the record, for single- and multi-part lines and points (real files)', async () => {
    // the cable route (6 lines + all 6 as one multi-part record, ogr2ogr) and the trees
    for (const [file, count] of [[join(FIXTURES, 'shapefile-lines', 'traceontwerp.shp'), 7], [BOMEN, BOMEN_COUNT]] as const) {
      const { buf, type, at } = await records(file);
      expect(at).toHaveLength(count);
      for (const r of at) {
        const wkb = shapeWkb(buf, r.start, r.length, type);
        expect(wkb).not.toBeNull();
        expect(parseWkb(wkb ?? new Uint8Array()).geometry).toEqual(parseShape(buf, r.start, r.length, type).geometry);
      }
    }
    const multi = await records(join(FIXTURES, 'shapefile-lines', 'traceontwerp.shp'));
    const last = multi.at[6] ?? { start: 0, length: 0 };
    expect(parseShape(multi.buf, last.start, last.length, multi.type).geometry?.type).toBe('MultiLineString');
  });

  it('leaves what it does not copy to the record reader: bad part offsets, NaN points, a truncated record', () => {
    const line = Buffer.alloc(44 + 4 + 32);
    line.writeInt32LE(3, 0);
    line.writeInt32LE(1, 36);
    line.writeInt32LE(2, 40);
    line.writeInt32LE(5, 44); // the part starts after its 2 points
    expect(shapeWkb(line, 0, line.length, 3)).toBeNull();
    expect(parseShape(line, 0, line.length, 3).issue).toBe('part 1 has invalid point offsets');
    line.writeInt32LE(0, 44);
    expect(shapeWkb(line, 0, line.length, 3)).not.toBeNull();
    expect(shapeWkb(line, 0, line.length - 8, 3)).toBeNull();
    const point = Buffer.alloc(20);
    point.writeInt32LE(1, 0);
    point.writeDoubleLE(Number.NaN, 4);
    expect(shapeWkb(point, 0, 20, 1)).toBeNull();
    expect(parseShape(point, 0, 20, 1)).toEqual({ geometry: null });
  });

  it('loads the lines file through the reader with the WKB attached', async () => {
    const { features } = await readAll(join(FIXTURES, 'shapefile-lines', 'traceontwerp.shp'));
    expect(features).toHaveLength(7);
    expect(features.every((f) => f.wkb instanceof Uint8Array)).toBe(true);
    expect(features.map((f) => f.geometry?.type)).toEqual([...Array(6).fill('LineString'), 'MultiLineString']);
  });
});
