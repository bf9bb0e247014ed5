/**
 * Format detection on the real fixtures and KLIC deliveries (extension AND content must agree).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sniffContent } from './detect-format.ts';
import { detectFormat, isKlicZip, openSource } from './index.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const KLIC = fileURLToPath(new URL('../../../../data/klic-maasgouw/Levering_22G003179_1.zip', import.meta.url));

describe('detectFormat', () => {
  it.each([
    ['bgt-wegdeel-crs.geojson', 'geojson'],
    ['shapefile/bomen.shp', 'shapefile'],
    ['bomen.shp.zip', 'shapefile'],
    ['bgt-delft.gpkg', 'geopackage'],
    ['traceontwerp-apeldoorn.fgb', 'flatgeobuf'],
    ['bomen-wkt.csv', 'csv'],
    ['bomen-xy.csv', 'csv'],
    ['bomen.kml', 'kml'],
  ])('%s → %s', async (name, format) => {
    expect(await detectFormat(join(FIXTURES, name))).toBe(format);
  });

  it('recognises a KLIC delivery zip and hands it to the KLIC importer', async () => {
    expect(await detectFormat(KLIC)).toBe('klic');
    expect(await isKlicZip(KLIC)).toBe(true);
    expect(await isKlicZip(join(FIXTURES, 'bomen.shp.zip'))).toBe(false);
    const source = await openSource(KLIC);
    expect(source).toMatchObject({ format: 'klic', fileName: 'Levering_22G003179_1.zip', crs: { epsg: 28992 } });
    expect(() => source.features()).toThrow(/KLIC importer/);
    await source.close();
  });

  it('sniffs content by magic bytes', () => {
    expect(sniffContent(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('zip');
    expect(sniffContent(Buffer.from('fgb\x03fgb\x01', 'latin1'))).toBe('flatgeobuf');
    expect(sniffContent(Buffer.from('\uFEFF  {"type":"FeatureCollection"'))).toBe('geojson');
    expect(sniffContent(Buffer.from('<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'))).toBe('kml');
    expect(sniffContent(Buffer.from('<?xml version="1.0"?><gml:FeatureCollection>'))).toBeNull();
    expect(sniffContent(Buffer.from('MZ\x90\x00\x03\x00', 'latin1'))).toBeNull();
    expect(sniffContent(Buffer.from('x;y\n1;2\n'))).toBe('csv');
  });
});
