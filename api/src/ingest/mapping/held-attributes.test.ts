import { describe, expect, it } from 'vitest';
import { type AssetMapping, EMPTY_MAPPING } from '../../model/asset-mapping.ts';
import type { PropertyValue } from '../formats/types.ts';
import { applyMapping } from './apply-mapping.ts';
import { heldFields, remainingAttributes } from './held-attributes.ts';

const MAPPING: AssetMapping = {
  ...EMPTY_MAPPING,
  system: { field: 'net', map: { riool: 'riool_vrijverval', drinkwater: 'drinkwater' }, fallback: 'overig' },
  sourceId: { field: 'id' },
  owner: { field: 'beheerder' },
  material: { field: 'materiaal' },
  diameterMm: { field: 'diameter' },
  inServiceYear: { field: 'aanleg' },
  status: { field: 'status' },
  condition: { field: 'conditie' },
  label: { field: 'naam' },
};

const OWNERS = new Map<string, number>([['Gemeente Maasgouw', 7], ['GM', 7]]);
const NAMES = new Map<number, string>([[7, 'Gemeente Maasgouw']]);

/** What the load writes into `attributes` for these properties under MAPPING. */
function remaining(props: Record<string, PropertyValue>, mapping: AssetMapping = MAPPING): Record<string, PropertyValue> {
  const mapped = applyMapping(mapping, props, 1);
  const owner = mapped.owner === null ? null : (OWNERS.get(mapped.owner) ?? null);
  return remainingAttributes(props, heldFields(mapping), { mapped, ownerName: owner === null ? null : (NAMES.get(owner) ?? null) });
}

describe('attributes keep what no model column holds as delivered (decision 106)', () => {
  it('leaves out the values their columns hold exactly and keeps the source id and unmapped fields', () => {
    const props = { id: 'R-1', net: 'drinkwater', beheerder: 'Gemeente Maasgouw', materiaal: 'PVC', diameter: 110, aanleg: 1987, status: 'in gebruik', naam: 'Kerkstraat 1', lengte: 12.5 };
    expect(remaining(props)).toEqual({ id: 'R-1', lengte: 12.5 });
    expect(Object.keys(remaining(props))).toEqual(['id', 'lengte']);
  });

  it('keeps every value its column holds differently, as delivered', () => {
    const props = {
      id: 7, net: 'riool', beheerder: 'GM', materiaal: ' PVC', diameter: '110 mm', aanleg: '1987-05-01', conditie: 3, status: 'in gebruik', naam: 'Kerkstraat 1',
    };
    // riool → riool_vrijverval, the KLIC-style code GM → an organisation named otherwise, trimmed
    // text, a number from text, a year from a date, a number into a text column: all kept.
    expect(remaining(props)).toEqual({ id: 7, net: 'riool', beheerder: 'GM', materiaal: ' PVC', diameter: '110 mm', aanleg: '1987-05-01', conditie: 3 });
  });

  it('keeps explicit nulls and values that fall back to a default', () => {
    const props = { id: 'X', net: 'onbekend', materiaal: null, naam: '' };
    // 'onbekend' is not in the map: the column holds the fallback 'overig', not 'onbekend'
    expect(remaining(props)).toEqual(props);
  });

  it('returns the delivered object itself when nothing is held (no copy)', () => {
    const props = { lengte: 3, id: 'A' };
    expect(remaining(props)).toBe(props);
  });

  it('a field mapped onto two columns is left out only when both hold it', () => {
    const both: AssetMapping = { ...MAPPING, label: { field: 'materiaal' }, material: { field: 'materiaal' } };
    expect(remaining({ materiaal: 'PVC', x: 1 }, both)).toEqual({ x: 1 });
    const withNumber: AssetMapping = { ...MAPPING, label: { field: 'diameter' }, diameterMm: { field: 'diameter' } };
    // the label column holds "110" (text), the diameter column 110 (number): not both as delivered
    expect(remaining({ diameter: 110 }, withNumber)).toEqual({ diameter: 110 });
  });

  it('never leaves out the source id, also when it is mapped onto another column too', () => {
    const idAsLabel: AssetMapping = { ...MAPPING, label: { field: 'id' } };
    expect(remaining({ id: 'K-9' }, idAsLabel)).toEqual({ id: 'K-9' });
  });

  it('an owner fixed by the analyst: the delivered owner name is held only when it is that organisation', () => {
    const props = { beheerder: 'Gemeente Maasgouw', id: '1' };
    const mapped = applyMapping(MAPPING, props, 1);
    const fields = heldFields(MAPPING);
    expect(remainingAttributes(props, fields, { mapped, ownerName: 'Gemeente Maasgouw' })).toEqual({ id: '1' });
    expect(remainingAttributes(props, fields, { mapped, ownerName: 'Waterbedrijf Limburg' })).toEqual(props);
  });

  it('a delivered "__proto__" property stays a property', () => {
    const props = JSON.parse('{"__proto__": "x", "materiaal": "PVC"}') as Record<string, PropertyValue>;
    const out = remaining(props);
    expect(JSON.stringify(out)).toBe('{"__proto__":"x"}');
  });

  it('constant mappings hold no source field', () => {
    const constant: AssetMapping = { ...EMPTY_MAPPING, material: { value: 'PVC' }, system: { value: 'drinkwater' } };
    expect(heldFields(constant)).toEqual([]);
  });
});
