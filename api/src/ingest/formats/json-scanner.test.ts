/**
 * The GeoJSON scanner must find the same features as JSON.parse wherever the stream is cut into
 * chunks (inside strings, escapes, multi-byte characters, numbers) — checked with fast-check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GeoJsonScanner, JsonScanError } from './json-scanner.ts';

const LIMITS = { maxDepth: 64, maxItemBytes: 1024 * 1024 };

function scan(bytes: Buffer, cuts: number[]): { features: unknown[]; members: Map<string, unknown> } {
  const scanner = new GeoJsonScanner(LIMITS);
  const features: unknown[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    if (cut <= from || cut > bytes.length) continue;
    scanner.write(bytes.subarray(from, cut));
    features.push(...scanner.features.splice(0));
    from = cut;
  }
  scanner.end();
  features.push(...scanner.features.splice(0));
  return { features, members: scanner.members };
}

const text = fc.string({ unit: fc.constantFrom('a', 'ë', '€', '𝄞', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\u0001') });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 3 })),
})).v;
const feature = fc.record({
  type: fc.constant('Feature'),
  properties: fc.dictionary(text, value, { maxKeys: 4 }),
  geometry: fc.record({ type: fc.constant('LineString'), coordinates: fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 4 }) }),
});

describe('GeoJsonScanner', () => {
  it('finds the same features and members as JSON.parse for any chunking', () => {
    fc.assert(
      fc.property(fc.array(feature, { maxLength: 6 }), text, fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (features, name, pretty, cuts) => {
        const doc = { type: 'FeatureCollection', name, crs: { type: 'name', properties: { name: 'EPSG:28992' } }, features };
        const bytes = Buffer.from(pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc));
        const expected = JSON.parse(bytes.toString('utf8')) as typeof doc;
        const got = scan(bytes, cuts.map((c) => c % (bytes.length + 1)));
        expect(got.features).toEqual(expected.features);
        expect(got.members.get('name')).toEqual(expected.name);
        expect(got.members.get('crs')).toEqual(expected.crs);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses nesting past the limit as soon as it is seen', () => {
    const scanner = new GeoJsonScanner({ maxDepth: 8, maxItemBytes: 1024 });
    expect(() => scanner.write(Buffer.from('{"features":[{"geometry":{"coordinates":[[[[[['))).toThrow(JsonScanError);
  });

  it('refuses a feature longer than the item limit before it is complete', () => {
    const scanner = new GeoJsonScanner({ maxDepth: 64, maxItemBytes: 100 });
    scanner.write(Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":"'));
    expect(() => scanner.write(Buffer.alloc(200, 0x61))).toThrow(expect.objectContaining({ kind: 'line_too_long' }));
  });

  it('says what is wrong with JSON that is not GeoJSON', () => {
    expect(() => scan(Buffer.from('[1,2]'), [])).toThrow(expect.objectContaining({ kind: 'not_geojson' }));
    expect(() => scan(Buffer.from('{"type":"Topology","objects":{}}'), [])).toThrow(expect.objectContaining({ kind: 'not_geojson' }));
    expect(() => scan(Buffer.from('{"type":"FeatureCollection","features":[{"type":}]}'), [])).toThrow(expect.objectContaining({ kind: 'bad_json' }));
    expect(() => scan(Buffer.from('{"type":"FeatureCollection","features":[1]}'), [])).toThrow(expect.objectContaining({ kind: 'not_geojson' }));
  });

  it('names the bad feature by its number in the file, also after the features before it were handed out', () => {
    const good = '{"type":"Feature","properties":{},"geometry":null}';
    const bytes = (bad: string) => Buffer.from(`{"type":"FeatureCollection","features":[${Array(30).fill(good).join(',')},${bad}]}`);
    const cuts = Array.from({ length: 40 }, (_, i) => i * 50); // the reader drains the features after every chunk
    expect(() => scan(bytes('{"type":}'), cuts)).toThrow(/invalid JSON in feature 31 /);
    expect(() => scan(bytes('7'), cuts)).toThrow(/feature 31 is not an object/);
  });
});
