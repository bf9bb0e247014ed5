/**
 * Hostile and broken inputs. Every file here is SYNTHETIC (made by the test in os.tmpdir() with
 * fflate or Buffer writes), except where a real fixture is copied and then broken.
 */
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSource } from './index.ts';
import { readAll } from './test-golden.ts';
import { DEFAULT_LIMITS, ImportInputError } from './types.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const MB = 1024 * 1024;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bad-inputs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** A zip of one entry of `mb` MiB of spaces, deflated while streaming (never 200 MB in memory). */
function bombZip(entryName: string, mb: number): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  const entry = new ZipDeflate(entryName, { level: 1 });
  zip.add(entry);
  const block = new Uint8Array(MB).fill(0x20);
  for (let i = 0; i < mb; i++) entry.push(block, false);
  entry.push(new Uint8Array(0), true);
  zip.end();
  return Buffer.concat(chunks);
}

/** Rewrite the uncompressed size in every central directory header (a lying archive). */
function lieAboutSizes(zip: Buffer, uncompressed: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = out.indexOf('PK\x01\x02', at + 4, 'latin1')) {
    out.writeUInt32LE(uncompressed, at + 24);
  }
  return out;
}

const point = (i: number) => ({ type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [155000 + i, 463000] } });

describe('zip bombs and unsafe zips', () => {
  it('refuses one highly compressible 200 MB entry with 413 before anything is written', async () => {
    const path = await file('bom.zip', bombZip('bom.geojson', 200));
    const workDir = join(dir, 'bom-work');
    await expect(openSource(path, { workDir })).rejects.toMatchObject({ status: 413, code: 'zip_bomb', where: 'bom.zip' });
    const left = await readdir(workDir).catch(() => []);
    expect(left).toEqual([]);
  }, 30_000);

  it('stops an entry that inflates beyond the size its header declares (413)', async () => {
    const honest = bombZip('stil.geojson', 4);
    const path = await file('liegt.zip', lieAboutSizes(honest, 64 * 1024));
    await expect(openSource(path)).rejects.toMatchObject({ status: 413, code: 'zip_bomb' });
  });

  it('refuses a zip over the entry count and the uncompressed size limits (413)', async () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, new Uint8Array([1])]));
    const path = await file('veel.zip', zipSync({ ...many, 'a.geojson': Buffer.from(JSON.stringify(point(1))) }));
    const limits = { ...DEFAULT_LIMITS, maxZipEntries: 10 };
    await expect(openSource(path, { limits })).rejects.toMatchObject({ status: 413, code: 'too_many_entries' });
    const big = await file('groot.zip', zipSync({ 'a.geojson': Buffer.from(JSON.stringify(point(1))) }));
    await expect(openSource(big, { limits: { ...DEFAULT_LIMITS, maxUncompressedBytes: 10 } })).rejects.toMatchObject({ status: 413, code: 'zip_too_large' });
  });

  it.each([
    ['../x.geojson'],
    ['data/../../x.geojson'],
    ['/etc/x.geojson'],
    ['C:/temp/x.geojson'],
  ])('refuses the entry name %s with 400 unsafe_path', async (name) => {
    const path = await file('pad.zip', zipSync({ [name]: Buffer.from(JSON.stringify(point(1))) }));
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'unsafe_path' });
  });

  it('refuses a symbolic link entry', async () => {
    const link: [Uint8Array, { os: number; attrs: number }] = [Buffer.from('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }];
    const path = await file('link.zip', zipSync({ 'a.geojson': link }));
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'unsafe_path', message: expect.stringMatching(/symbolic link/) });
  });

  it('does not unpack a zip inside a zip (415)', async () => {
    const inner = zipSync({ 'a.geojson': Buffer.from(JSON.stringify(point(1))) });
    const path = await file('nest.zip', zipSync({ 'inner.zip': inner }));
    await expect(openSource(path)).rejects.toMatchObject({ status: 415, code: 'nested_zip' });
  });

  it('asks which dataset when a zip holds two, and reads the one named', async () => {
    const a = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [point(1)] }));
    const b = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [point(2), point(3)] }));
    const path = await file('twee.zip', zipSync({ 'a.geojson': a, 'sub/b.geojson': b, 'lees-mij.txt': Buffer.from('hallo') }));
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'ambiguous_zip' });
    const { features } = await readAll(path, { entry: 'B.geojson' });
    expect(features.map((f) => f.properties.i)).toEqual([2, 3]);
  });
});

describe('GeoJSON nesting and size limits', () => {
  it('a 100 000-deep nested array is a 400, not a stack overflow', async () => {
    const depth = 100_000;
    const deep = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
    await expect(openSource(await file('diep.geojson', deep))).rejects.toMatchObject({ status: 400, code: 'too_deep' });
    const bare = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    await expect(openSource(await file('diep.json', bare))).rejects.toMatchObject({ status: 400, code: 'too_deep' });
  });

  it('a single line longer than maxLineBytes is a 413 while reading (2 MB line, 1 MB limit)', async () => {
    const limits = { ...DEFAULT_LIMITS, maxLineBytes: MB };
    const huge = { ...point(1), properties: { note: 'x'.repeat(2 * MB) } };
    const geojson = await file('lang.geojson', JSON.stringify({ type: 'FeatureCollection', features: [point(0), huge] }));
    await expect(readAll(geojson, { limits })).rejects.toMatchObject({ status: 413, code: 'line_too_long' });
    const csv = await file('lang.csv', `x,y,note\n155000,463000,kort\n155001,463001,${'x'.repeat(2 * MB)}\n`);
    await expect(readAll(csv, { limits })).rejects.toMatchObject({ status: 413, code: 'line_too_long' });
  });

  it('many small features on one long line are fine: the limit is per feature', async () => {
    const limits = { ...DEFAULT_LIMITS, maxLineBytes: 64 * 1024 };
    const oneLine = JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: 5000 }, (_, i) => point(i)) });
    expect(oneLine.length).toBeGreaterThan(4 * 64 * 1024);
    const { features } = await readAll(await file('minified.geojson', oneLine), { limits });
    expect(features).toHaveLength(5000);
  });
});

describe('broken shapefiles', () => {
  async function copyShapefile(to: string, skip: string[]): Promise<string> {
    await mkdir(join(dir, to), { recursive: true });
    for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg'].filter((e) => !skip.includes(e))) {
      await copyFile(join(FIXTURES, 'shapefile', `bomen.${ext}`), join(dir, to, `bomen.${ext}`));
    }
    return join(dir, to, 'bomen.shp');
  }

  it.each([['dbf'], ['shx']])('a shapefile without its .%s is a 400 that names the missing file', async (ext) => {
    const shp = await copyShapefile(`zonder-${ext}`, [ext]);
    await expect(openSource(shp)).rejects.toMatchObject({ status: 400, code: 'missing_sidecar', message: expect.stringContaining(`bomen.${ext} is missing`) });
  });

  it('a zipped shapefile without its .dbf is a 400 too', async () => {
    const shp = await copyShapefile('zip-zonder-dbf', ['dbf']);
    const { readFile } = await import('node:fs/promises');
    const entries = Object.fromEntries(await Promise.all(['shp', 'shx', 'prj'].map(async (e) => [`bomen.${e}`, await readFile(shp.replace(/shp$/, e))])));
    const path = await file('zonder-dbf.zip', zipSync(entries));
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'missing_sidecar', message: expect.stringContaining('bomen.dbf is missing') });
  });

  it('a .prj holding a URL is treated as unknown: the CRS is guessed and nothing is fetched', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in tests'));
    const shp = await copyShapefile('prj-url', ['prj']);
    await writeFile(shp.replace(/shp$/, 'prj'), 'https://epsg.io/28992.prj');
    const source = await openSource(shp);
    expect(source.crs).toMatchObject({ epsg: 28992, source: 'guessed', guessed: true });
    expect(source.crs.detail).toMatch(/bomen\.prj does not hold WKT/);
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
    await source.close();
  });

  it('a truncated .dbf is a 400', async () => {
    const shp = await copyShapefile('kort-dbf', []);
    const { readFile } = await import('node:fs/promises');
    const dbf = shp.replace(/shp$/, 'dbf');
    await writeFile(dbf, (await readFile(dbf)).subarray(0, 2000));
    await expect(readAll(shp)).rejects.toMatchObject({ status: 400, code: 'corrupt_file', message: expect.stringContaining('.dbf file is truncated') });
  });
});

describe('file types that are not allowed', () => {
  it.each([
    ['setup.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')],
    ['notities.docx', zipSync({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': Buffer.from('<w:document/>') })],
    ['data.sqlite', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)])],
    ['zonder-extensie', Buffer.from('{"type":"FeatureCollection","features":[]}')],
  ])('%s → 415', async (name, bytes) => {
    const err = await openSource(await file(name, bytes)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportInputError);
    expect(err).toMatchObject({ status: 415, code: 'unsupported_type', where: name });
  });

  it('content that does not match the extension → 415', async () => {
    await expect(openSource(await file('nep.geojson', Buffer.from('MZ\x90\x00', 'latin1')))).rejects.toMatchObject({ status: 415 });
    await expect(openSource(await file('nep.shp', Buffer.from('{"type":"Feature"}')))).rejects.toMatchObject({ status: 415 });
    await expect(openSource(await file('nep.kml', Buffer.from('<html><body/></html>')))).rejects.toMatchObject({ status: 415 });
  });

  it('a zip holding only a Word document → 415', async () => {
    const path = await file('doc.zip', zipSync({ 'brief.docx': Buffer.from('PK') }));
    await expect(openSource(path)).rejects.toMatchObject({ status: 415, code: 'unsupported_type' });
  });

  it('a missing file is a 400', async () => {
    await expect(openSource(join(dir, 'bestaat-niet.geojson'))).rejects.toMatchObject({ status: 400, code: 'not_found' });
  });
});
