/**
 * CSV reader on the real trees of Leeuwarden written by ogr2ogr as WKT (',') and x/y (';'), and
 * the ';' file with Dutch decimal commas (tests/fixtures/formats, see its README); plus small
 * inline CSVs for the column and value rules.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellValue, detectDelimiter, findGeometryColumns } from './csv-columns.ts';
import { openSource } from './index.ts';
import { goldenOf, readAll } from './test-golden.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const GOLDEN = '../../../../tests/fixtures/formats/golden/';

// `ogrinfo -so tests/fixtures/formats/bomen-wkt.csv` and `bomen-xy.csv` (GDAL 3.6.2): Feature Count
const BOMEN_COUNT = 200;

describe('CSV reader on the trees of Leeuwarden', () => {
  it('reads WKT with "," separators (golden)', async () => {
    const text = await goldenOf(join(FIXTURES, 'bomen-wkt.csv'), 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bomen-wkt-csv.geojson`);
    const { source, features } = await readAll(join(FIXTURES, 'bomen-wkt.csv'));
    expect(features).toHaveLength(BOMEN_COUNT);
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'guessed', guessed: true });
    expect(source.fields.map((f) => f.name)).not.toContain('WKT');
    expect(features[0]?.properties).toMatchObject({ ELEMENTNR: 1080, PLANTJAAR: 1925, BOOMSOORT: 'Populus canadensis (euroamericana)' });
  });

  it('reads x/y with ";" separators (golden), and the same with decimal commas', async () => {
    const text = await goldenOf(join(FIXTURES, 'bomen-xy.csv'), 5);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}bomen-xy-csv.geojson`);
    const xy = await readAll(join(FIXTURES, 'bomen-xy.csv'));
    expect(xy.features).toHaveLength(BOMEN_COUNT);
    const comma = await readAll(join(FIXTURES, 'bomen-xy-decimal-comma.csv'));
    expect(comma.features).toEqual(xy.features);
    const wkt = await readAll(join(FIXTURES, 'bomen-wkt.csv'));
    expect(xy.features.map((f) => f.geometry)).toEqual(wkt.features.map((f) => f.geometry));
  });

  it('takes the CRS from the option as csv-option', async () => {
    const source = await openSource(join(FIXTURES, 'bomen-wkt.csv'), { epsg: 28992 });
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'csv-option', guessed: false });
    await source.close();
  });
});

describe('CSV rules (inline)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csv-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });

  it('finds geometry columns by name, or as the options say', () => {
    expect(findGeometryColumns(['id', 'the_geom'], undefined)).toEqual({ kind: 'wkt', wkt: 'the_geom' });
    expect(findGeometryColumns(['Longitude', 'Latitude'], undefined)).toEqual({ kind: 'xy', x: 'Longitude', y: 'Latitude' });
    expect(findGeometryColumns(['oost', 'noord'], { xColumn: 'OOST', yColumn: 'noord' })).toEqual({ kind: 'xy', x: 'oost', y: 'noord' });
    expect(findGeometryColumns(['a', 'b'], undefined)).toBeNull();
  });

  it('keeps numbers as numbers, codes with leading zeros as text, decimal commas only in ";" files', () => {
    expect(cellValue('12', false)).toBe(12);
    expect(cellValue('-0.5', false)).toBe(-0.5);
    expect(cellValue('0612345678', false)).toBe('0612345678');
    expect(cellValue('155000,25', true)).toBe(155000.25);
    expect(cellValue('155000,25', false)).toBe('155000,25');
    expect(cellValue('', false)).toBeNull();
  });

  it('reads lon/lat with decimal commas in a ";" file and guesses WGS 84', async () => {
    const path = await write('punten.csv', 'naam;lon;lat;code\nput;5,38720;52,15517;007\nkolk;5,4;52,2;10\n');
    const { source, features } = await readAll(path);
    expect(source.crs).toMatchObject({ epsg: 4326, guessed: true });
    expect(features).toEqual([
      { index: 1, geometry: { type: 'Point', coordinates: [5.3872, 52.15517] }, properties: { naam: 'put', code: '007' } },
      { index: 2, geometry: { type: 'Point', coordinates: [5.4, 52.2] }, properties: { naam: 'kolk', code: 10 } },
    ]);
  });

  it('bad WKT gives a null geometry with an issue', async () => {
    const path = await write('wkt.csv', 'id,wkt\n1,"POINT (155000 463000)"\n2,"POINT (1"\n3,\n');
    const { features } = await readAll(path, { epsg: 28992 });
    expect(features.map((f) => [f.geometry?.type ?? null, f.issue ?? null])).toEqual([
      ['Point', null],
      [null, 'column "wkt" does not hold valid WKT ("POINT (1")'],
      [null, null],
    ]);
  });

  it('no geometry column is a 400 that lists the columns', async () => {
    const path = await write('geen.csv', 'a,b\n1,2\n');
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'no_geometry_column', message: expect.stringContaining('"a", "b"') });
  });

  it('streams in batches of the requested size', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `${i},${150000 + i},${450000 + i}`);
    const path = await write('veel.csv', `id,x,y\n${rows.join('\n')}\n`);
    const source = await openSource(path);
    const sizes: number[] = [];
    for await (const batch of source.features(1000)) sizes.push(batch.length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });
});
