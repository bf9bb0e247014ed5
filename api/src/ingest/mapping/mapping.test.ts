import { describe, expect, it } from 'vitest';
import { applyMapping, asNumber, asYear, mapSystem, possibleSystems } from './apply-mapping.ts';
import { proposeMapping } from './presets.ts';
import { EMPTY_MAPPING } from '../../model/asset-mapping.ts';

describe('value parsing', () => {
  it.each([
    [250, 250],
    ['250', 250],
    ['250 mm', 250],
    ['110,5', 110.5],
    ['onbekend', null],
    [null, null],
  ])('asNumber(%s) = %s', (v, n) => expect(asNumber(v)).toBe(n));
  it.each([
    [1972, 1972],
    [1972.0, 1972],
    ['1972', 1972],
    ['1972-12-25', 1972],
    ['25-12-1972', 1972],
    [0, null],
    ['9999', null],
  ])('asYear(%s) = %s', (v, y) => expect(asYear(v)).toBe(y));

  // found by review: an in-service year of 2201–2300 passed the mapping and then failed the whole
  // COPY on the table's CHECK (1800–2200) instead of being left out like any implausible year
  it('keeps each year within its column\'s bounds: in service up to 2200, replacement up to 2300', () => {
    const m = applyMapping({ ...EMPTY_MAPPING, system: { value: 'groen' }, inServiceYear: { field: 'a' }, replacementYear: { field: 'b' } }, { a: 2250, b: 2250 }, 1);
    expect(m.inServiceYear).toBeNull();
    expect(m.replacementYear).toBe(2250);
    expect(applyMapping({ ...EMPTY_MAPPING, system: { value: 'groen' }, inServiceYear: { field: 'a' } }, { a: '2200-01-01' }, 1).inServiceYear).toBe(2200);
  });
});

describe('presets recognise real field sets', () => {
  it('BGT wegdeel (bgt-delft GeoJSON fields)', () => {
    const fields = ['gml_id', 'lokaalid', 'bronhouder', 'bgt_status', 'function', 'surfacematerial', 'plus_fysiekvoorkomenwegdeel'];
    const p = proposeMapping(fields, 'bgt_wegdeel');
    expect(p.preset).toBe('bgt-wegdeel');
    expect(p.mapping.system).toEqual({ value: 'mobiliteit' });
    expect(p.mapping.sourceId).toEqual({ field: 'lokaalid' });
  });
  it('Leeuwarden tree register (shapefile fields)', () => {
    const p = proposeMapping(['ELEMENTNR', 'BOOMSOORT', 'PLANTJAAR', 'STATUS', 'OPMERKINGE', 'X', 'Y'], 'monumentale_en_waardevolle_bomen');
    expect(p.preset).toBe('bomen');
    const m = applyMapping(p.mapping, { ELEMENTNR: 12, BOOMSOORT: 'Tilia x europaea', PLANTJAAR: 1930, STATUS: 'monumentaal' }, 1);
    expect(m).toMatchObject({ system: 'groen', sourceId: '12', assetClass: 'boom', label: 'Tilia x europaea', inServiceYear: 1930 });
  });
  it('a sewer export maps pressure mains by their type', () => {
    const p = proposeMapping(['leidingid', 'stelseltype', 'materiaal', 'diameter', 'aanlegjaar'], 'riool');
    expect(p.preset).toBe('riool');
    expect(applyMapping(p.mapping, { stelseltype: 'persleiding' }, 1).system).toBe('riool_pers');
    expect(applyMapping(p.mapping, { stelseltype: 'gemengd' }, 1).system).toBe('riool_vrijverval');
  });
  it('anything else gets a generic proposal with system overig', () => {
    const p = proposeMapping(['id', 'case_nummer'], 'traceontwerp');
    expect(p.preset).toBeNull();
    expect(p.mapping.system).toEqual({ value: 'overig' });
    expect(p.mapping.sourceId).toEqual({ field: 'id' });
  });

  it('a generic network export: system, owner, years and condition by their usual names (shapefile-truncated too)', () => {
    const p = proposeMapping(['id', 'system', 'material', 'diameter_m', 'in_service', 'status', 'owner', 'label', 'condition', 'length_m'], 'network');
    expect(p.preset).toBeNull();
    expect(p.mapping).toMatchObject({
      owner: { field: 'owner' }, inServiceYear: { field: 'in_service' }, diameterMm: { field: 'diameter_m' }, condition: { field: 'condition' },
    });
    const system = p.mapping.system;
    expect('field' in system && system.field).toBe('system');
    expect(mapSystem(system, { system: 'drinkwater' })).toBe('drinkwater');
    expect(mapSystem(system, { system: 'riolering' })).toBe('riool_vrijverval');
    expect(mapSystem(system, { system: 'iets anders' })).toBe('overig');
  });
});

describe('possibleSystems (the layer partition CHECK)', () => {
  it('holds every system the mapping can give a feature, each once', () => {
    expect(possibleSystems({ value: 'gas_ld' })).toEqual(['gas_ld']);
    const ref = { field: 'net', map: { w: 'drinkwater', water: 'drinkwater', r: 'riool_vrijverval' }, fallback: 'overig' } as const;
    expect(possibleSystems(ref).sort()).toEqual(['drinkwater', 'overig', 'riool_vrijverval']);
    for (const v of ['w', 'r', 'iets anders']) expect(possibleSystems(ref)).toContain(mapSystem(ref, { net: v }));
  });
});
