/**
 * Which of a feature's source properties the asset row already holds in a model column, so that
 * `attributes` keeps only the rest (decision 106). A property is left out only when its column
 * holds exactly the delivered value, of the same JSON type: a string the text column holds as it
 * is, a number the numeric column holds as it is, an owner name that is the owning organisation's
 * name. Anything the column holds differently ("250 mm" → 250, " PVC" → "PVC", 3 → "3", a date →
 * its year, a KLIC code → an organisation) stays in `attributes` as delivered, so nothing delivered
 * is lost: the row plus the layer's stored mapping give back every property. Pure, per feature.
 */
import type { AssetMapping, FieldRef } from '../../model/asset-mapping.ts';
import type { PropertyValue } from '../formats/types.ts';
import type { MappedAttributes } from './apply-mapping.ts';

/** What the row holds of a feature beyond `attributes`: the mapped values and the owner's name. */
export interface HeldValues {
  mapped: MappedAttributes;
  /** the name of the organisation the row's owner_id points at, or null */
  ownerName: string | null;
}

type Holds = (v: PropertyValue, held: HeldValues) => boolean;

const asString = (pick: (m: MappedAttributes) => string | null): Holds => (v, h) => typeof v === 'string' && v === pick(h.mapped);
const asNumber = (pick: (m: MappedAttributes) => number | null): Holds => (v, h) => typeof v === 'number' && v === pick(h.mapped);

/**
 * Per target, whether its column holds a delivered value as it is. The source id is never left
 * out: its column is namespaced by the layer and repeats are renamed after the COPY.
 */
const HOLDS: Readonly<Record<Exclude<keyof AssetMapping, 'system' | 'sourceId'>, Holds>> = {
  assetClass: asString((m) => m.assetClass),
  owner: (v, h) => typeof v === 'string' && v === h.ownerName,
  material: asString((m) => m.material),
  diameterMm: asNumber((m) => m.diameterMm),
  inServiceYear: asNumber((m) => m.inServiceYear),
  status: asString((m) => m.status),
  condition: asString((m) => m.condition),
  replacementYear: asNumber((m) => m.replacementYear),
  label: asString((m) => m.label),
};

export interface HeldField {
  field: string;
  /** every column the field is mapped onto must hold it */
  holds: readonly Holds[];
}

const fieldOf = (ref: FieldRef): string | null => (ref !== null && 'field' in ref ? ref.field : null);

/**
 * The source fields a mapping puts into model columns, with the checks a value must pass to be
 * left out of `attributes`. A field that is also the source id is never left out.
 */
export function heldFields(mapping: AssetMapping): HeldField[] {
  const byField = new Map<string, Holds[]>();
  const sourceField = fieldOf(mapping.sourceId);
  if ('field' in mapping.system) byField.set(mapping.system.field, [(v, h) => typeof v === 'string' && v === h.mapped.system]);
  for (const [target, holds] of Object.entries(HOLDS) as [keyof typeof HOLDS, Holds][]) {
    const field = fieldOf(mapping[target]);
    if (field === null) continue;
    const list = byField.get(field) ?? [];
    list.push(holds);
    byField.set(field, list);
  }
  return [...byField].filter(([field]) => field !== sourceField).map(([field, holds]) => ({ field, holds }));
}

/**
 * Which held fields the row's columns hold as delivered: bit i set = `fields[i]` is left out of
 * `attributes`. Runs once per feature of a load: a bit per held field instead of a set, plain loops.
 */
export function heldMask(props: Readonly<Record<string, PropertyValue>>, fields: readonly HeldField[], held: HeldValues): number {
  let left = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as HeldField;
    const v = props[f.field];
    if (v === undefined || v === null) continue;
    let all = true;
    for (const holds of f.holds) if (!holds(v, held)) { all = false; break; }
    if (all) left |= 1 << i;
  }
  return left;
}

/** Whether `key` is a field the mask leaves out. */
export function isLeftOut(fields: readonly HeldField[], mask: number, key: string): boolean {
  if (mask === 0) return false;
  const i = fieldIndex(fields, key);
  return i >= 0 && (mask & (1 << i)) !== 0;
}

/**
 * The properties `attributes` keeps: `props` itself when no column holds any of them (no copy),
 * else a new object without the held ones, in the delivered order. (A load writes them straight
 * into its COPY row instead: attributes-json.ts.)
 */
export function remainingAttributes(props: Readonly<Record<string, PropertyValue>>, fields: readonly HeldField[], held: HeldValues): Record<string, PropertyValue> {
  const left = heldMask(props, fields, held);
  if (left === 0) return props as Record<string, PropertyValue>;
  const out: Record<string, PropertyValue> = {};
  for (const key of Object.keys(props)) {
    if (isLeftOut(fields, left, key)) continue;
    // a delivered "__proto__" stays a property (an assignment would set the prototype); a plain
    // object, not Object.create(null): that one is a slow dictionary for JSON.stringify
    if (key === '__proto__') Object.defineProperty(out, key, { value: props[key], enumerable: true, writable: true, configurable: true });
    else out[key] = props[key] as PropertyValue;
  }
  return out;
}

/** Position of `key` among the held fields (at most one per mapping target, so a short scan). */
function fieldIndex(fields: readonly HeldField[], key: string): number {
  for (let i = 0; i < fields.length; i++) if ((fields[i] as HeldField).field === key) return i;
  return -1;
}
