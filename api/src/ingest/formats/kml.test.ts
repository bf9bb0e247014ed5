/**
 * KML reader on the real trees of Leeuwarden written by ogr2ogr (tests/fixtures/formats/bomen.kml,
 * see its README), plus small inline KML documents.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from './index.ts';
import { MAX_XML_DEPTH, xmlDepth } from './kml.ts';
import { goldenOf, readAll } from './test-golden.ts';
import { DEFAULT_LIMITS } from './types.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const GOLDEN = '../../../../tests/fixtures/formats/golden/';

// `ogrinfo -so tests/fixtures/formats/bomen.kml` (GDAL 3.6.2): Feature Count
const BOMEN_KML_COUNT = 100;

describe('KML reader on the trees of Leeuwarden', () => {
  it('reads WGS 84 placemarks with their SimpleData (golden)', async () => {
    const text = await goldenOf(join(FIXTURES, 'bomen.kml'), 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bomen-kml.geojson`);
    const { source, features } = await readAll(join(FIXTURES, 'bomen.kml'));
    expect(source.crs).toMatchObject({ epsg: 4326, source: 'kml', guessed: false });
    expect(features).toHaveLength(BOMEN_KML_COUNT);
    expect(features[0]?.properties).toMatchObject({ ELEMENTNR: 1080, BOOMSOORT: 'Populus canadensis (euroamericana)' });
  });
});

describe('KML (inline)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kml-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps name, description and ExtendedData/Data, drops styling', async () => {
    const kml = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Style id="s"><LineStyle><color>ff0000ff</color></LineStyle></Style>
<Placemark><name>Kolk 12</name><description>verstopt</description><styleUrl>#s</styleUrl>
<ExtendedData><Data name="diameter"><value>0.3</value></Data></ExtendedData>
<Point><coordinates>5.3872,52.1551,0</coordinates></Point></Placemark></Document></kml>`;
    const path = join(dir, 'kolk.kml');
    await writeFile(path, kml);
    const { features } = await readAll(path);
    expect(features).toEqual([
      { index: 1, geometry: { type: 'Point', coordinates: [5.3872, 52.1551, 0] }, properties: { name: 'Kolk 12', description: 'verstopt', diameter: 0.3 } },
    ]);
  });

  it('refuses a file over maxFileBytes and nesting deeper than the XML limit (SYNTHETIC)', async () => {
    const path = join(dir, 'diep.kml');
    const deep = `<kml>${'<Folder>'.repeat(MAX_XML_DEPTH + 10)}${'</Folder>'.repeat(MAX_XML_DEPTH + 10)}</kml>`;
    await writeFile(path, deep);
    expect(xmlDepth(deep, 10_000)).toBe(MAX_XML_DEPTH + 11);
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'too_deep' });
    await expect(openSource(path, { limits: { ...DEFAULT_LIMITS, maxFileBytes: 100 } })).rejects.toMatchObject({ status: 413, code: 'file_too_large' });
  });
});
