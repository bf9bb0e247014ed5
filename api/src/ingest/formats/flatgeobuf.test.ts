/**
 * FlatGeobuf reader on the real Alliander cable route design in Apeldoorn
 * (tests/fixtures/formats/traceontwerp-apeldoorn.fgb, see its README).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFgbHeader } from './fgb-header.ts';
import { openSource } from './index.ts';
import { goldenOf, readAll } from './test-golden.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));
const GOLDEN = '../../../../tests/fixtures/formats/golden/';
const FGB = join(FIXTURES, 'traceontwerp-apeldoorn.fgb');

// `ogrinfo -so tests/fixtures/formats/traceontwerp-apeldoorn.fgb` (GDAL 3.6.2): Feature Count
const TRACE_COUNT = 6;

describe('FlatGeobuf reader on the Apeldoorn route design', () => {
  it('reads the header CRS, columns and count, and the first features (golden)', async () => {
    const text = await goldenOf(FGB, 2);
    await expect(text).toMatchFileSnapshot(`${GOLDEN}traceontwerp-apeldoorn-fgb.geojson`);
    const { source, features } = await readAll(FGB);
    expect(source).toMatchObject({ format: 'flatgeobuf', layerName: 'traceontwerp_apeldoorn', featureCountHint: TRACE_COUNT });
    expect(source.crs).toMatchObject({ epsg: 28992, guessed: false });
    expect(source.fields).toEqual([
      { name: '_uid_', type: 'number' },
      { name: 'id', type: 'number' },
      { name: 'case_nummer', type: 'string' },
    ]);
    expect(features).toHaveLength(TRACE_COUNT);
    expect(features.every((f) => f.geometry?.type === 'LineString')).toBe(true);
    expect(new Set(features.map((f) => f.properties._uid_))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('parses the header directly', async () => {
    const header = parseFgbHeader(await readFile(FGB));
    expect(header).toMatchObject({ name: 'traceontwerp_apeldoorn', featuresCount: TRACE_COUNT, crs: { org: 'EPSG', code: 28992 } });
    expect(header.envelope?.map(Math.round)).toEqual([194714, 465731, 195108, 468300]);
  });

  it('a file with the magic bytes and garbage after them is a 400 (SYNTHETIC)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fgb-test-'));
    const path = join(dir, 'kapot.fgb');
    await writeFile(path, Buffer.concat([Buffer.from([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x01]), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(64, 7)]));
    await expect(openSource(path)).rejects.toMatchObject({ status: 400, code: 'corrupt_file', where: 'kapot.fgb' });
    await rm(dir, { recursive: true, force: true });
  });
});
