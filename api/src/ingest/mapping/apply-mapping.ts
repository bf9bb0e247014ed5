/** Apply an AssetMapping to one feature's properties: pure, per feature, no I/O. */
import type { AssetMapping, FieldRef, SystemRef } from '../../model/asset-mapping.ts';
import type { SystemCode } from '../../model/systems.ts';
import type { PropertyValue } from '../formats/types.ts';

export interface MappedAttributes {
  sourceId: string | null;
  system: SystemCode;
  assetClass: string;
  owner: string | null;
  material: string | null;
  diameterMm: number | null;
  inServiceYear: number | null;
  status: string | null;
  condition: string | null;
  replacementYear: number | null;
  label: string | null;
}

type Props = Record<string, PropertyValue>;

function raw(ref: FieldRef, props: Props): PropertyValue {
  if (ref === null) return null;
  if ('value' in ref) return ref.value;
  return props[ref.field] ?? null;
}

export function asText(v: PropertyValue): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** "250", "250 mm", "250,5", 250 → 250 / 250.5; anything else → null. */
export function asNumber(v: PropertyValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = asText(v);
  if (s === null) return null;
  const m = /^(-?\d+(?:[.,]\d+)?)\s*(mm)?$/i.exec(s);
  return m?.[1] ? Number(m[1].replace(',', '.')) : null;
}

/**
 * 1972, 1972.0, "1972", "1972-12-25", "25-12-1972" → 1972; implausible years (before 1800, after
 * `latest`) → null. The bounds are the asset table's CHECKs: in service up to 2200, replacement up to 2300.
 */
/** an in-service year after this is no plausible year (asset.in_service_year's CHECK, migration 004) */
const LATEST_IN_SERVICE = 2200;

export function asYear(v: PropertyValue, latest = 2300): number | null {
  let year: number | null = null;
  if (typeof v === 'number') year = Math.trunc(v);
  else {
    const s = asText(v);
    const m = s === null ? null : (/^(\d{4})(?:[-/]|$|\.0+$)/.exec(s) ?? /(?:^|[-/])(\d{4})$/.exec(s));
    year = m?.[1] ? Number(m[1]) : null;
  }
  return year !== null && year >= 1800 && year <= latest ? year : null;
}

export function mapSystem(ref: SystemRef, props: Props): SystemCode {
  if ('value' in ref) return ref.value;
  const v = asText(props[ref.field] ?? null);
  return (v !== null ? ref.map[v] : undefined) ?? ref.fallback;
}

/** Every system the mapping can give a feature (a layer's partition CHECK, load-sql.ts constrainSystems). */
export function possibleSystems(ref: SystemRef): SystemCode[] {
  return 'value' in ref ? [ref.value] : [...new Set([...Object.values(ref.map), ref.fallback])];
}

export function applyMapping(mapping: AssetMapping, props: Props, featureIndex: number): MappedAttributes {
  return {
    sourceId: asText(raw(mapping.sourceId, props)),
    system: mapSystem(mapping.system, props),
    assetClass: asText(raw(mapping.assetClass, props)) ?? 'object',
    owner: asText(raw(mapping.owner, props)),
    material: asText(raw(mapping.material, props)),
    diameterMm: asNumber(raw(mapping.diameterMm, props)),
    inServiceYear: asYear(raw(mapping.inServiceYear, props), LATEST_IN_SERVICE),
    status: asText(raw(mapping.status, props)),
    condition: asText(raw(mapping.condition, props)),
    replacementYear: asYear(raw(mapping.replacementYear, props)),
    label: asText(raw(mapping.label, props)) ?? (mapping.sourceId === null ? `#${featureIndex}` : null),
  };
}
