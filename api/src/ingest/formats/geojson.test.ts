/**
 * GeoJSON reader on real BGT Delft road parts (tests/fixtures/formats, see its README), plus small
 * inline documents for the top-level forms and the crs member.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromMember, toSourceFeature } from './geojson.ts';
import { openSource } from './index.ts';
import { goldenOf, readAll } from './test-golden.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const GOLDEN = '../../../../tests/fixtures/formats/golden/';

// `ogrinfo -so tests/fixtures/formats/<file>` (GDAL 3.6.2): Feature Count
const WEGDEEL_CRS_COUNT = 151;
const WEGDEEL_NOCRS_COUNT = 50;

describe('GeoJSON reader on BGT Delft wegdeel', () => {
  it('reads the legacy crs member and renders the first features (golden)', async () => {
    const text = await goldenOf(join(FIXTURES, 'bgt-wegdeel-crs.geojson'), 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bgt-wegdeel-crs.geojson`);
  });

  it('reads every feature with the crs member as delivered', async () => {
    const { source, features } = await readAll(join(FIXTURES, 'bgt-wegdeel-crs.geojson'));
    expect(features).toHaveLength(WEGDEEL_CRS_COUNT);
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'geojson-crs', guessed: false });
    expect(source.layerName).toBe('trafficarea');
    expect(features.map((f) => f.index)).toEqual(Array.from({ length: WEGDEEL_CRS_COUNT }, (_, i) => i + 1));
    expect(features.every((f) => f.geometry?.type === 'Polygon' && f.issue === undefined)).toBe(true);
    expect(source.progress()).toEqual({ bytesRead: source.progress().bytesTotal, bytesTotal: 231304 });
  });

  it('guesses RD New when the crs member is absent, and says so', async () => {
    const { source, features } = await readAll(join(FIXTURES, 'bgt-wegdeel-nocrs.geojson'));
    expect(features).toHaveLength(WEGDEEL_NOCRS_COUNT);
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'guessed', guessed: true });
    expect(source.crs.detail).toMatch(/look like RD New/);
    const text = await goldenOf(join(FIXTURES, 'bgt-wegdeel-nocrs.geojson'), 3);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bgt-wegdeel-nocrs.geojson`);
  });

  it('keeps property types: strings, numbers, booleans; dates detected as fields', async () => {
    const source = await openSource(join(FIXTURES, 'bgt-wegdeel-crs.geojson'));
    const byName = new Map(source.fields.map((f) => [f.name, f.type]));
    expect(byName.get('relatievehoogteligging')).toBe('number');
    expect(byName.get('inonderzoek')).toBe('boolean');
    expect(byName.get('creationdate')).toBe('date');
    await source.close();
  });

  it('lets the analyst override the CRS', async () => {
    const source = await openSource(join(FIXTURES, 'bgt-wegdeel-nocrs.geojson'), { epsg: 28992 });
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'option', guessed: false });
    await source.close();
  });
});

describe('crsFromMember', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::28992', 28992],
    ['EPSG:28992', 28992],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326],
    ['urn:ogc:def:crs:EPSG::4258', 4258],
    ['http://www.opengis.net/def/crs/EPSG/0/3857', 3857],
  ])('%s → EPSG:%i', (name, epsg) => {
    expect(crsFromMember({ type: 'name', properties: { name } })).toMatchObject({ epsg, source: 'geojson-crs', guessed: false });
  });

  it('an unknown name or a link gives no EPSG (the reader then guesses)', () => {
    expect(crsFromMember({ type: 'name', properties: { name: 'Amersfoort-ish' } })?.epsg).toBeNull();
    expect(crsFromMember({ type: 'link', properties: { href: 'http://example.com/crs' } })?.epsg).toBeNull();
  });
});

describe('GeoJSON top-level forms (small inline documents)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'geojson-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function read(name: string, text: string) {
    const path = join(dir, name);
    await writeFile(path, text);
    return readAll(path);
  }

  it('a single Feature, and a bare geometry', async () => {
    const one = await read('one.geojson', '{"type":"Feature","id":"k1","properties":{"a":1},"geometry":{"type":"Point","coordinates":[155000,463000]}}');
    expect(one.features).toEqual([{ index: 1, geometry: { type: 'Point', coordinates: [155000, 463000] }, properties: { a: 1, id: 'k1' } }]);
    const bare = await read('bare.json', '{"type":"LineString","coordinates":[[5.1,52.1],[5.2,52.2]]}');
    expect(bare.features[0]?.geometry?.type).toBe('LineString');
    expect(bare.source.crs).toMatchObject({ epsg: 4326, guessed: true });
  });

  it('newline-delimited features', async () => {
    const lines = [1, 2, 3].map((i) => JSON.stringify({ type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [150000 + i, 450000] } }));
    const { features } = await read('seq.geojson', `${lines.join('\n')}\n`);
    expect(features.map((f) => f.properties.i)).toEqual([1, 2, 3]);
  });

  it('a malformed geometry becomes null with an issue; nested properties become JSON text', async () => {
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { nested: { a: [1, 2] } }, geometry: { type: 'Polygon', coordinates: [1, 2] } },
        { type: 'Feature', properties: null, geometry: null },
      ],
    };
    const { features } = await read('bad-geom.geojson', JSON.stringify(doc));
    expect(features[0]).toMatchObject({ geometry: null, issue: 'Polygon has malformed coordinates', properties: { nested: '{"a":[1,2]}' } });
    expect(features[1]).toEqual({ index: 2, geometry: null, properties: {} });
  });

  it('a truncated file is a 400', async () => {
    await expect(read('cut.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":')).rejects.toMatchObject({
      status: 400,
      code: 'bad_json',
    });
  });
});

describe('toSourceFeature', () => {
  it('keeps primitive properties, turns nested ones into JSON text, and keeps a "__proto__" key as data', () => {
    const raw: unknown = JSON.parse('{"type":"Feature","id":7,"properties":{"a":1,"b":"x","c":null,"d":true,"e":{"f":[1,2]},"g":[3],"__proto__":{"polluted":1}},"geometry":null}');
    const f = toSourceFeature(raw, 3);
    expect(f.index).toBe(3);
    expect(f.properties).toEqual({ a: 1, b: 'x', c: null, d: true, e: '{"f":[1,2]}', g: '[3]', ['__proto__']: '{"polluted":1}', id: 7 });
    expect(Object.getPrototypeOf(f.properties)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(toSourceFeature({ type: 'Feature', properties: [1, 2], geometry: null }, 1).properties).toEqual({});
  });
});
