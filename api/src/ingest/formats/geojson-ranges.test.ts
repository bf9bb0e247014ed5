/**
 * A GeoJSON file read by ranges (the load's thread locates, a worker parses: decision 113) gives
 * the features, numbers and errors of the one-thread reader: real BGT fixtures and small hostile
 * documents, in chunks small enough to cross every border.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from './index.ts';
import type { FeatureRanges, OpenedSource, SourceFeature } from './types.ts';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/formats/', import.meta.url));

type Outcome = { features: SourceFeature[] } | { error: string };

async function oneThread(path: string): Promise<Outcome> {
  const source = await openSource(path);
  try {
    const features: SourceFeature[] = [];
    for await (const batch of source.features(7)) features.push(...batch);
    return { features };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    await source.close();
  }
}

/** a file is opened by reading its first chunk (1 MB): trouble must come after it to reach the reading */
const GOOD = 8000;

/** locate on one source (the load's thread), read on another (a worker's), chunk by chunk */
async function byRanges(path: string, size: number, chunks: FeatureRanges[] = []): Promise<Outcome> {
  const loader = await openSource(path);
  const worker: OpenedSource = await openSource(path);
  try {
    const features: SourceFeature[] = [];
    const ranges = loader.ranges;
    const reader = worker.ranges;
    if (ranges === undefined || reader === undefined) throw new Error('no ranges');
    for await (const chunk of ranges.locate(size)) {
      chunks.push(chunk);
      // as it crosses to a worker: a structured clone
      features.push(...(await reader.read(structuredClone(chunk))));
    }
    return { features };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    await loader.close();
    await worker.close();
  }
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geojson-ranges-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const line = (i: number, props = `{"id":${i},"naam":"Straße ${i} \\"x\\""}`): string =>
  `{"type":"Feature","properties":${props},"geometry":{"type":"LineString","coordinates":[[${150000 + i},450000],[${150010 + i},450005.5]]}}`;

describe('GeoJSON read by ranges equals the one-thread reader', () => {
  it('on the real BGT wegdeel fixture, in chunks of 1, 4 and 2000', async () => {
    const path = join(FIXTURES, 'bgt-wegdeel-crs.geojson');
    const expected = await oneThread(path);
    expect('features' in expected && expected.features.length).toBe(151);
    for (const size of [1, 4, 2000]) {
      const chunks: FeatureRanges[] = [];
      expect(await byRanges(path, size, chunks)).toEqual(expected);
      expect(chunks.every((c) => c.oneArray && c.values.length === 0)).toBe(true);
      expect(chunks.map((c) => c.first)).toEqual(Array.from({ length: Math.ceil(151 / size) }, (_, i) => 1 + i * size));
    }
  });

  it('counts the bytes the scan has passed as the source\'s progress', async () => {
    const source = await openSource(join(FIXTURES, 'bgt-wegdeel-crs.geojson'));
    const seen: number[] = [];
    for await (const chunk of source.ranges?.locate(50) ?? []) seen.push(chunk.first, source.progress().bytesRead);
    await source.close();
    expect(seen.filter((_, i) => i % 2 === 1).every((b) => b > 0)).toBe(true);
    expect(source.progress()).toEqual({ bytesRead: 231304, bytesTotal: 231304 });
  });

  it('on a sequence of FeatureCollections, top-level Features and a bare geometry mixed', async () => {
    const text = [
      `{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[150000,450000]}}`,
      `{"type":"FeatureCollection","features":[${[1, 2, 3].map((i) => line(i)).join(',\n  ')}]}`,
      `{"type":"Point","coordinates":[150001,450001]}`,
      `{"type":"FeatureCollection","features":[ ${[4, 5].map((i) => line(i)).join(' , ')} ],"name":"x"}`,
    ].join('\n');
    const path = await file('mixed.geojson', text);
    const expected = await oneThread(path);
    expect('features' in expected && expected.features.length).toBe(7);
    const chunks: FeatureRanges[] = [];
    expect(await byRanges(path, 3, chunks)).toEqual(expected);
    // chunks mixing arrays or parsed top-level features are read feature by feature
    expect(chunks.map((c) => [c.first, c.count, c.oneArray, c.values.length])).toEqual([[1, 3, false, 1], [4, 3, false, 1], [7, 1, true, 0]]);
  });

  it('names the same feature when JSON.parse refuses one, wherever it sits in its chunk', async () => {
    const features = Array.from({ length: GOOD + 200 }, (_, i) => line(i + 1));
    features[GOOD + 99] = line(GOOD + 100, `{"id":${GOOD + 100},"naam":"kapot",}`);
    const path = await file('broken.geojson', `{"type":"FeatureCollection","features":[${features.join(',')}]}`);
    const expected = await oneThread(path);
    expect(expected).toEqual({ error: expect.stringContaining(`invalid JSON in feature ${GOOD + 100} (`) as string });
    for (const size of [3, 99, 100, 2000]) expect(await byRanges(path, size)).toEqual(expected);
  });

  it('refuses nesting too deep, a truncated file, a non-object feature and an unclosed one as the one-thread reader does', async () => {
    const good = Array.from({ length: GOOD }, (_, i) => line(i + 1)).join(',');
    const deep = await file('deep.geojson', `{"type":"FeatureCollection","features":[${good},{"type":"Feature","properties":{"x":${'['.repeat(5000)}${']'.repeat(5000)}},"geometry":null}]}`);
    const truncated = await file('truncated.geojson', `{"type":"FeatureCollection","features":[${good},${line(GOOD + 1).slice(0, 40)}`);
    const notObject = await file('notobject.geojson', `{"type":"FeatureCollection","features":[${good},42]}`);
    // an unclosed feature runs to the end of the file: on one thread it is parsed there and named
    const unclosed = await file('unclosed.geojson', `{"type":"FeatureCollection","features":[${good},{"type":"Feature","properties":{"id":,\n${line(GOOD + 2)},${line(GOOD + 3)}\n]}`);
    expect(await oneThread(unclosed)).toEqual({ error: expect.stringContaining(`invalid JSON in feature ${GOOD + 1} (`) as string });
    for (const path of [deep, truncated, notObject, unclosed]) {
      const expected = await oneThread(path);
      expect('error' in expected).toBe(true);
      expect(await byRanges(path, 1)).toEqual(expected);
    }
  });
});
