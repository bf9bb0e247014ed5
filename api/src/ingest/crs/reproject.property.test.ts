/**
 * Property tests: RD New ↔ WGS 84 round trips over the Netherlands, and stable CRS guessing.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { guessCrsFromCoordinates } from './detect.ts';
import { pointTransformer, reprojectGeometry } from './reproject.ts';

/** RD New's extent of the Netherlands (x 0–300 000, y 300 000–625 000). */
const rdPoint = fc.tuple(fc.double({ min: 0, max: 300_000, noNaN: true }), fc.double({ min: 300_000, max: 625_000, noNaN: true }));
const nlLonLat = fc.tuple(fc.double({ min: 3, max: 8, noNaN: true }), fc.double({ min: 50, max: 54, noNaN: true }));

describe('28992 → 4326 → 28992', () => {
  it('round-trips within 1 cm over the RD New extent', () => {
    const toWgs = pointTransformer(28992, 4326);
    const toRd = pointTransformer(4326, 28992);
    fc.assert(
      fc.property(rdPoint, ([x, y]) => {
        const [bx = NaN, by = NaN] = toRd(toWgs([x, y]));
        return Math.hypot(bx - x, by - y) < 0.01;
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips whole lines the same way', () => {
    fc.assert(
      fc.property(fc.array(rdPoint, { minLength: 2, maxLength: 20 }), (points) => {
        const line = { type: 'LineString' as const, coordinates: points.map(([x, y]) => [x, y]) };
        const back = reprojectGeometry(reprojectGeometry(line, 28992, 4326), 4326, 28992);
        return back.coordinates.every((p, i) => Math.hypot((p[0] ?? NaN) - (points[i]?.[0] ?? NaN), (p[1] ?? NaN) - (points[i]?.[1] ?? NaN)) < 0.01);
      }),
      { numRuns: 300 },
    );
  });
});

describe('guessCrsFromCoordinates', () => {
  it('guesses RD New for any sample inside its extent, and always says it guessed', () => {
    fc.assert(
      fc.property(fc.array(rdPoint, { minLength: 1, maxLength: 50 }), (sample) => {
        const crs = guessCrsFromCoordinates(sample);
        return crs.epsg === 28992 && crs.guessed && crs.source === 'guessed' && crs.detail.length > 0;
      }),
    );
  });

  it('guesses WGS 84 for longitude/latitude in the Netherlands', () => {
    fc.assert(fc.property(fc.array(nlLonLat, { minLength: 1, maxLength: 50 }), (sample) => guessCrsFromCoordinates(sample).epsg === 4326));
  });

  it('is stable: reordering, duplicating or reprojecting-and-back does not change the guess', () => {
    const anyPoint = fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(anyPoint, { minLength: 1, maxLength: 30 }), fc.nat(), (sample, seed) => {
        const first = guessCrsFromCoordinates(sample);
        const shuffled = [...sample].sort((a, b) => ((a[0] * 31 + seed) % 7) - ((b[0] * 31 + seed) % 7));
        const doubled = [...sample, ...sample];
        return [shuffled, doubled].every((s) => {
          const again = guessCrsFromCoordinates(s);
          return again.epsg === first.epsg && again.source === first.source && again.detail === first.detail;
        });
      }),
    );
  });

  it('a sub-sample of an RD New sample still guesses RD New', () => {
    fc.assert(
      fc.property(fc.array(rdPoint, { minLength: 2, maxLength: 40 }), fc.nat(), (sample, k) => {
        const sub = sample.filter((_, i) => (i + k) % 2 === 0);
        return sub.length === 0 || guessCrsFromCoordinates(sub).epsg === 28992;
      }),
    );
  });
});
