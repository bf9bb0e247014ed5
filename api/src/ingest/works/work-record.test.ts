import { describe, expect, it } from 'vitest';
import { checkWorkFeature } from './work-record.ts';

const line = { type: 'LineString' as const, coordinates: [[5.87, 51.17], [5.871, 51.171]] };
const base = { title: 'Vervanging riool Julianalaan', kind: 'vervanging riool', preferredStart: '2027-03-01', preferredEnd: '2027-06-30' };

describe('a works file feature → a checked work', () => {
  it('reads the text forms of CSV and GeoPackage columns', () => {
    const r = checkWorkFeature({ ...base, id: 'R-17', systems: 'riool_vrijverval; drinkwater', opensGround: 'ja', trenchWidth: '1,5', costEstimate: '125000', earliestStart: '2027-01-01T00:00:00Z' }, line, 'maasgouw');
    expect('work' in r).toBe(true);
    if (!('work' in r)) return;
    expect(r.work.systems).toEqual(['riool_vrijverval', 'drinkwater']);
    expect(r.work.opensGround).toBe(true);
    expect(r.work.trenchWidth).toBe(1.5);
    expect(r.work.costEstimate).toBe(125000);
    expect(r.work.earliestStart).toBe('2027-01-01');
    expect(r.work.owner).toBe('maasgouw');
    expect(r.work.sourceId).toBe('R-17');
  });

  it('takes GeoJSON arrays and booleans as they are, and a JSON array in a text column', () => {
    const a = checkWorkFeature({ ...base, systems: ['warmte'], opensGround: false }, line, null);
    const b = checkWorkFeature({ ...base, systems: '["warmte","telecom"]' }, line, null);
    const c = checkWorkFeature({ ...base, systems: '(2:warmte,telecom)', preferredStart: '2027/03/01' }, line, null);
    expect('work' in c && [c.work.systems, c.work.preferredStart]).toEqual([['warmte', 'telecom'], '2027-03-01']);
    expect('work' in a && a.work.opensGround).toBe(false);
    expect('work' in b && b.work.systems).toEqual(['warmte', 'telecom']);
  });

  it('names every problem of a bad feature: field, value and rule', () => {
    const r = checkWorkFeature({ ...base, kind: 'graven', preferredEnd: '2027-01-01', colour: 'red', systems: 'riool;lucht' }, { type: 'Point', coordinates: [5.8, 51.1] }, null);
    expect('problems' in r).toBe(true);
    if (!('problems' in r)) return;
    const text = r.problems.join(' | ');
    expect(text).toMatch(/unknown property "colour"/);
    expect(text).toMatch(/geometry: a work is a line along the street or a polygon, not a Point/);
    expect(text).toMatch(/^.*kind: /m);
    expect(text).toMatch(/systems\.1: /);
  });

  it('says when the windows do not nest, and when the geometry is missing', () => {
    const r = checkWorkFeature({ ...base, preferredEnd: '2027-01-01' }, null, null);
    expect('problems' in r && r.problems.join(' | ')).toMatch(/geometry: missing.*preferredEnd \(2027-01-01\) lies before preferredStart/);
  });
});
