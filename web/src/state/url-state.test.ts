import { SYSTEM_CODES } from '@model/systems.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../features/works/dates.ts';
import { initialWorksFilter, type WorksFilter } from '../features/works/works-filter.ts';
import {
  MAX_LAT,
  MAX_PITCH,
  MAX_ZOOM,
  SIDE_TABS,
  coordinateDecimals,
  defaultShareState,
  formatShareHash,
  parseShareHash,
  type MapCamera,
  type ShareState,
} from './url-state.ts';

describe('formatShareHash', () => {
  it('leaves everything at its default out', () => {
    expect(formatShareHash(defaultShareState)).toBe('');
  });

  it('writes a compact, readable hash', () => {
    const state: ShareState = {
      camera: { center: [5.880434, 51.179812], zoom: 16.254, bearing: 0, pitch: 0 },
      visibility: { hidden: ['gas_ld', 'telecom'], works: false, moratoria: true },
      filter: { ...initialWorksFilter, owners: new Set(['wml', 'gm0935']), statuses: new Set(['in voorbereiding']), window: { from: '2027-03-01', to: '2027-06-30' }, colourBy: 'system' },
      tab: 'analysis',
      selection: { kind: 'work', id: 12 },
    };
    expect(formatShareHash(state)).toBe(
      'map=16.25/51.179812/5.880434&layers=-gas_ld,-telecom,-works&owner=wml,gm0935&status=in%20voorbereiding&t=2027-03-01..2027-06-30&colour=system&tab=analysis&sel=work:12',
    );
  });

  it('rounds the position to what a pixel shows, and adds bearing and pitch only when set', () => {
    expect(formatShareHash({ ...defaultShareState, camera: { center: [5.87654321, 51.12345678], zoom: 10, bearing: 0, pitch: 0 } })).toBe('map=10/51.1235/5.8765');
    expect(formatShareHash({ ...defaultShareState, camera: { center: [5.9, 51.1], zoom: 14, bearing: -45.04, pitch: 0 } })).toBe('map=14/51.1/5.9/-45');
    expect(formatShareHash({ ...defaultShareState, camera: { center: [5.9, 51.1], zoom: 14, bearing: 0, pitch: 30 } })).toBe('map=14/51.1/5.9/0/30');
  });

  it('writes an empty facet (nothing chosen) as an empty value, and a one-day window as that day', () => {
    const filter: WorksFilter = { ...initialWorksFilter, kinds: new Set(), window: { from: '2027-03-01', to: '2027-03-01' } };
    expect(formatShareHash({ ...defaultShareState, filter })).toBe('kind=&t=2027-03-01');
  });
});

describe('parseShareHash', () => {
  it('reads the example of the module comment', () => {
    const s = parseShareHash('#map=16.25/51.17981/5.88043&layers=-gas_ld,-works&owner=wml,gm0935&t=2027-03-01..2027-06-30&colour=system&group=system&tab=analysis&sel=work:12');
    expect(s.camera).toEqual({ center: [5.88043, 51.17981], zoom: 16.25, bearing: 0, pitch: 0 });
    expect(s.visibility).toEqual({ hidden: ['gas_ld'], works: false, moratoria: true });
    expect(s.filter).toEqual({ ...initialWorksFilter, owners: new Set(['wml', 'gm0935']), window: { from: '2027-03-01', to: '2027-06-30' }, colourBy: 'system', groupBy: 'system' });
    expect(s.tab).toBe('analysis');
    expect(s.selection).toEqual({ kind: 'work', id: 12 });
  });

  it('gives the default state for an empty or absent hash', () => {
    expect(parseShareHash('')).toEqual(defaultShareState);
    expect(parseShareHash('#')).toEqual(defaultShareState);
  });

  it('skips malformed parts one by one and keeps the good ones', () => {
    const s = parseShareHash('#map=abc&layers=nonsense,-gas_ld,-,+&t=notadate&owner=%E0%A4%A&tab=admin&sel=work:-3&colour=pink&kind=renovatie');
    expect(s.camera).toBeNull();
    expect(s.visibility).toEqual({ hidden: ['gas_ld'], works: true, moratoria: true });
    expect(s.filter).toEqual({ ...initialWorksFilter, kinds: new Set(['renovatie']) });
    expect(s.tab).toBe('layers');
    expect(s.selection).toBeNull();
  });

  it.each([
    ['map=14/51.1', 'too few numbers'],
    ['map=14/51.1/5.9/0/0/7', 'too many numbers'],
    ['map=1e3/51/5', 'an exponent'],
    ['map=14/Infinity/5', 'Infinity'],
    ['map=14//5', 'an empty number'],
    ['map=0x10/51/5', 'hex'],
  ])('ignores a map part with %s (%s)', (hash) => {
    expect(parseShareHash(hash).camera).toBeNull();
  });

  it('clamps the camera to its ranges', () => {
    expect(parseShareHash('map=40/91/200/540/80').camera).toEqual({ center: [180, MAX_LAT], zoom: MAX_ZOOM, bearing: 180, pitch: MAX_PITCH });
    expect(parseShareHash('map=-3/-95.5/-181').camera).toEqual({ center: [-180, -MAX_LAT], zoom: 0, bearing: 0, pitch: 0 });
    expect(parseShareHash('map=14/51/5/-190/-5').camera).toEqual({ center: [5, 51], zoom: 14, bearing: 170, pitch: 0 });
  });

  it('ignores a bad bearing or pitch but keeps the position', () => {
    expect(parseShareHash('map=14/51/5/north/up').camera).toEqual({ center: [5, 51], zoom: 14, bearing: 0, pitch: 0 });
  });

  it('reads layers switched on and off, works and moratoria included', () => {
    expect(parseShareHash('layers=-moratoria,-drinkwater,+drinkwater,-riool_pers').visibility).toEqual({ hidden: ['riool_pers'], works: true, moratoria: false });
  });

  it('accepts a percent-encoded map, time and selection (as mail programs send them)', () => {
    const s = parseShareHash('map=14%2F51.1%2F5.9&t=2027-03-01%2E%2E2027-04-01&sel=asset%3A7');
    expect(s.camera?.center).toEqual([5.9, 51.1]);
    expect(s.filter.window).toEqual({ from: '2027-03-01', to: '2027-04-01' });
    expect(s.selection).toEqual({ kind: 'asset', id: 7 });
  });

  it('reads a one-day window, puts a reversed one in order, and refuses days that do not exist', () => {
    expect(parseShareHash('t=2027-03-01').filter.window).toEqual({ from: '2027-03-01', to: '2027-03-01' });
    expect(parseShareHash('t=2027-06-30..2027-03-01').filter.window).toEqual({ from: '2027-03-01', to: '2027-06-30' });
    for (const t of ['2027-02-30', '2027-03-01..', '2027-03-01..2027-13-01', '2027-03-01x', '2027-03-01..2027-04-01..2027-05-01']) {
      expect(parseShareHash(`t=${t}`).filter.window, t).toBeNull();
    }
  });

  it('decodes facet keys, and leaves a facet with a broken key at all', () => {
    expect(parseShareHash('owner=a%2Cb,-&status=in%20voorbereiding').filter).toMatchObject({ owners: new Set(['a,b', '-']), statuses: new Set(['in voorbereiding']) });
    expect(parseShareHash('owner=wml,,enexis').filter.owners).toBe('all');
    expect(parseShareHash(`owner=${'x'.repeat(201)}`).filter.owners).toBe('all');
  });

  it('the first of a repeated name wins; names are exact', () => {
    expect(parseShareHash('tab=walks&tab=analysis&TAB=layers').tab).toBe('walks');
  });
});

// ---------- properties ----------

const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));
const keySet = fc.uniqueArray(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), { maxLength: 6 }).map((keys) => new Set(keys));
const filterArb: fc.Arbitrary<WorksFilter> = fc.record({
  owners: fc.oneof(fc.constant('all' as const), keySet),
  systems: fc.oneof(fc.constant('all' as const), keySet),
  statuses: fc.oneof(fc.constant('all' as const), keySet),
  kinds: fc.oneof(fc.constant('all' as const), keySet),
  window: fc.option(fc.tuple(day, day).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a }))),
  colourBy: fc.constantFrom('owner' as const, 'system' as const),
  groupBy: fc.constantFrom('owner' as const, 'system' as const),
});
const cameraArb: fc.Arbitrary<MapCamera> = fc.record({
  center: fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -MAX_LAT, max: MAX_LAT, noNaN: true })),
  zoom: fc.double({ min: 0, max: MAX_ZOOM, noNaN: true }),
  bearing: fc.oneof(fc.constant(0), fc.double({ min: -179.9, max: 180, noNaN: true })),
  pitch: fc.oneof(fc.constant(0), fc.double({ min: 0, max: MAX_PITCH, noNaN: true })),
});
const stateArb: fc.Arbitrary<ShareState> = fc.record({
  camera: fc.option(cameraArb),
  visibility: fc.record({ hidden: fc.uniqueArray(fc.constantFrom(...SYSTEM_CODES)), works: fc.boolean(), moratoria: fc.boolean() }),
  filter: filterArb,
  tab: fc.constantFrom(...SIDE_TABS),
  selection: fc.option(fc.record({ kind: fc.constantFrom('asset' as const, 'work' as const, 'moratorium' as const), id: fc.integer({ min: 1, max: 2 ** 31 }) })),
});

function expectCameraNear(actual: MapCamera | null, expected: MapCamera): void {
  expect(actual).not.toBeNull();
  if (!actual) return;
  const step = 10 ** -coordinateDecimals(actual.zoom);
  expect(Math.abs(actual.zoom - expected.zoom)).toBeLessThanOrEqual(0.005 + 1e-9);
  expect(Math.abs(actual.center[0] - expected.center[0])).toBeLessThanOrEqual(step / 2 + 1e-9);
  expect(Math.abs(actual.center[1] - expected.center[1])).toBeLessThanOrEqual(step / 2 + 1e-9);
  const turn = Math.abs(actual.bearing - expected.bearing);
  expect(Math.min(turn, 360 - turn)).toBeLessThanOrEqual(0.05 + 1e-9);
  expect(Math.abs(actual.pitch - expected.pitch)).toBeLessThanOrEqual(0.5 + 1e-9);
}

describe('properties', () => {
  it('parse(format(s)) gives s back (the camera within its rounding)', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const back = parseShareHash(`#${formatShareHash(s)}`);
        expect({ ...back, camera: null }).toEqual({ ...s, camera: null });
        if (s.camera) expectCameraNear(back.camera, s.camera);
        else expect(back.camera).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('formatting is stable: a parsed link formats to the same text', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const text = formatShareHash(s);
        expect(formatShareHash(parseShareHash(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  const names = fc.constantFrom('map', 'layers', 't', 'tab', 'sel', 'colour', 'group', 'owner', 'system', 'status', 'kind', 'x');
  const junk = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^[-\d./:%,a-z]{0,30}$/));
  const hashArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.tuple(names, junk), { maxLength: 8 }).map((ps) => `#${ps.map(([k, v]) => `${k}=${v}`).join('&')}`),
  );

  it('never throws on any text, and what it reads is in range', () => {
    fc.assert(
      fc.property(hashArb, (hash) => {
        const s = parseShareHash(hash);
        if (s.camera) {
          expect(s.camera.zoom).toBeGreaterThanOrEqual(0);
          expect(s.camera.zoom).toBeLessThanOrEqual(MAX_ZOOM);
          expect(Math.abs(s.camera.center[1])).toBeLessThanOrEqual(MAX_LAT);
          expect(Math.abs(s.camera.center[0])).toBeLessThanOrEqual(180);
          expect(s.camera.pitch).toBeGreaterThanOrEqual(0);
          expect(s.camera.pitch).toBeLessThanOrEqual(MAX_PITCH);
          expect(Number.isFinite(s.camera.bearing)).toBe(true);
        }
        for (const code of s.visibility.hidden) expect(SYSTEM_CODES).toContain(code);
        if (s.filter.window) expect(s.filter.window.from <= s.filter.window.to).toBe(true);
        expect(SIDE_TABS).toContain(s.tab);
        // and what it read formats and reads back the same
        expect(formatShareHash(parseShareHash(formatShareHash(s)))).toBe(formatShareHash(s));
      }),
      { numRuns: 1000 },
    );
  });
});
