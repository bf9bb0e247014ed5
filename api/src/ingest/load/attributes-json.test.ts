import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssetMapping, EMPTY_MAPPING } from '../../model/asset-mapping.ts';
import type { PropertyValue } from '../formats/types.ts';
import { applyMapping } from '../mapping/apply-mapping.ts';
import { heldFields, heldMask, remainingAttributes } from '../mapping/held-attributes.ts';
import { AttributesJson } from './attributes-json.ts';
import { BinaryRows, jsonText } from './copy-binary.ts';

const MAPPING: AssetMapping = {
  ...EMPTY_MAPPING,
  system: { field: 'net', map: { riool: 'riool_vrijverval' }, fallback: 'overig' },
  sourceId: { field: 'id' },
  material: { field: 'materiaal' },
  diameterMm: { field: 'diameter' },
  label: { field: 'naam' },
};
const FIELDS = heldFields(MAPPING);

/** the json field as written into a row, and what the load wrote before (jsonText of the smaller object) */
function both(props: Record<string, PropertyValue>, writer = new AttributesJson()): { written: string; expected: string } {
  const mapped = applyMapping(MAPPING, props, 1);
  const held = { mapped, ownerName: null };
  const rows = new BinaryRows(4); // tiny: pieces grow the buffer
  rows.row(2).int4(1);
  writer.write(rows, props, FIELDS, heldMask(props, FIELDS, held));
  rows.text('na').endRow();
  const buf = rows.take();
  // row: count (2), int4 (4 + 4), json (4 + n), text (4 + 2)
  const n = buf.readInt32BE(10);
  expect(buf.readInt32BE(14 + n)).toBe(2);
  expect(buf.length).toBe(14 + n + 6);
  return { written: buf.toString('utf8', 14, 14 + n), expected: jsonText(remainingAttributes(props, FIELDS, held)) };
}

describe('AttributesJson: the attributes json written into the COPY row', () => {
  it('is the text JSON.stringify gives the properties no column holds, in their order', () => {
    const props = { id: 7, net: 'riool', materiaal: 'PVC', diameter: 250, naam: ' Kerkstraat', '2': 'b', '10': 'a', leeg: null, ok: true, lengte: 23.48 };
    const { written, expected } = both(props);
    expect(written).toBe(expected);
    // held as delivered: net? no (a mapped value, not the code); materiaal and diameter yes; naam trimmed: kept
    expect(JSON.parse(written)).toEqual({ '2': 'b', '10': 'a', id: 7, net: 'riool', naam: ' Kerkstraat', leeg: null, ok: true, lengte: 23.48 });
    expect(written.startsWith('{"2":"b","10":"a",')).toBe(true);
  });

  it('escapes as JSON.stringify does and drops the NUL escapes json refuses', () => {
    const props = { 'sle\u0000tel': 'a\u0000b', quote: 'zeg "ja"', pad: 'c:\\u0000d', tab: 'a\tb', dutch: 'Dorpsstraat ’s-Hertogenbosch ë', lone: '\ud800x', nested: '{"a":[1,2]}', ['__proto__']: 'x' };
    const { written, expected } = both(JSON.parse(JSON.stringify(props)) as Record<string, PropertyValue>);
    expect(written).toBe(expected);
    expect(written).not.toContain('\\u0000tel');
    expect(JSON.parse(written)).toMatchObject({ sletel: 'ab', pad: 'c:\\u0000d', lone: '\ud800x', __proto__: 'x' });
  });

  it('writes numbers as JSON does: -0 as 0, and what JSON has no number for as null', () => {
    const { written, expected } = both({ a: -0, b: 1e21, c: 5e-7, d: Number.NaN, e: Number.POSITIVE_INFINITY, f: -12.5 });
    expect(written).toBe(expected);
    expect(written).toBe('{"a":0,"b":1e+21,"c":5e-7,"d":null,"e":null,"f":-12.5}');
  });

  it('writes {} when every property is held', () => {
    const { written, expected } = both({ materiaal: 'PVC', diameter: 250 });
    expect(written).toBe('{}');
    expect(expected).toBe('{}');
  });

  it('keeps its key cache bounded and right when a file has a new key in every feature', () => {
    const writer = new AttributesJson();
    for (let i = 0; i < 1200; i++) {
      const { written, expected } = both({ [`veld_${i}`]: i, vast: 'x' }, writer);
      expect(written).toBe(expected);
    }
  });

  it('equals JSON.stringify of the remaining properties for any flat properties (property test)', () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('PVC', 250, 'riool', Number.NaN, Number.NEGATIVE_INFINITY, -0));
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('id', 'net', 'materiaal', 'diameter', 'naam', '0', '17', '__proto__', 'constructor'));
    const writer = new AttributesJson();
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (entries) => {
        // as a reader delivers them: own properties, "__proto__" included
        const props = JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, PropertyValue>;
        for (const [k, v] of entries) if (typeof v === 'number' && !Number.isFinite(v)) Object.defineProperty(props, k, { value: v, enumerable: true, writable: true, configurable: true });
        const { written, expected } = both(props, writer);
        expect(written).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });
});
