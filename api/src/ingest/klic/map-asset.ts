/**
 * One IMKL network object (cable, pipe, appurtenance, cabinet, ...) → KlicAsset: owner, vital
 * system, typed attributes (status, date, material, diameter, voltage, pressure, label) and the
 * remaining simple properties.
 */
import { KLIC_THEME_TO_SYSTEM } from '../../model/systems.ts';
import type { SystemCode } from '../../model/systems.ts';
import { datePart, lastSegment, leaf, leafCode, leafText } from './raw.ts';
import type { RawFeature, RawLeaf } from './raw.ts';
import type { KlicAsset, RdGeometry } from './types.ts';

type AttributeValue = string | number | boolean | null;

/** Properties whose text is free text: never turned into numbers or booleans. */
const TEXT_PROPERTIES: ReadonlySet<string> = new Set(['label', 'omschrijving', 'netbeheerderNetAanduiding']);
/** Code lists that carry a material, in order of preference. */
const MATERIAL_PROPERTIES = ['buismateriaalType', 'kabelmateriaalType', 'materiaal', 'material', 'pipeMaterial'];
/** Always consumed: references and the fields mapped to typed columns. */
const ALWAYS_CONSUMED = ['inNetwork', 'link', 'currentStatus', 'validFrom'];

const LENGTH_TO_MM: Readonly<Record<string, number>> = { mm: 1, cm: 10, dm: 100, m: 1000 };
const VOLTAGE_TO_V: Readonly<Record<string, number>> = { v: 1, kv: 1000 };
const PRESSURE_TO_BAR: Readonly<Record<string, number>> = { bar: 1, mbar: 0.001, pa: 0.00001, hpa: 0.001, kpa: 0.01 };

/** Bronhoudercode from a gml:id: `nl.imkl-KL1031.OGCP__...` → `KL1031`; '' when the id has no such prefix. */
export function ownerCodeOf(id: string): string {
  return /^nl\.imkl-([^.]+)\./.exec(id)?.[1] ?? '';
}

export interface SystemInput {
  featureType: string;
  theme: string;
  ownerCode: string;
  appurtenanceType: string | null;
  /** omschrijving of the object, e.g. Enexis "Aansluitkabel met functie OV" */
  description?: string | null;
}

/** Enexis describes a cable's function as LS, OV (openbare verlichting), LS/OV, ... */
const LIGHTING_FUNCTION = /\bmet functie OV$/;

/**
 * Vital system of a KLIC object. IMKL has no street-lighting theme, so:
 * - an Appurtenance of type `streetLight` is street lighting, whatever network it is in (in the
 *   Maasgouw deliveries these are Enexis "street_light_connection" points in the Enexis LV network,
 *   described "Openbare Verlichting (gemeente)");
 * - a municipality (bronhoudercode GMxxxx) is not a grid operator: the cables and cabinets it
 *   registers in a `laagspanning` network are its own public-lighting (OVL) network. In the data
 *   GM1641 `Maasgouw_laagspanning` holds only 230 V cables, unnamed Kast points and Mantelbuis;
 *   most cable ends lie 3-5 m from Enexis street-light connection points. Caveat: cable
 *   GM1641.20942 (22O000517) and GM1641.20648 (22G003179) end exactly on a municipal sewer
 *   appurtenance of type `overig`, so a few of these cables probably feed sewer equipment; IMKL
 *   gives no attribute to tell them apart, so the whole network is classified as lighting.
 * - a low-voltage cable whose function is only OV (openbare verlichting: "Aansluitkabel met functie
 *   OV", "Laagspanningskabel met functie OV") is the lighting network; mixed "LS/OV" cables stay LV.
 * Everything else follows the Utiliteitsnet theme (KLIC_THEME_TO_SYSTEM), unknown themes → overig.
 */
export function mapKlicSystem(input: SystemInput): SystemCode {
  if (input.featureType === 'Appurtenance' && input.appurtenanceType === 'streetLight') return 'verlichting';
  if (input.ownerCode.startsWith('GM') && input.theme === 'laagspanning') return 'verlichting';
  if (input.theme === 'laagspanning' && LIGHTING_FUNCTION.test(input.description ?? '')) return 'verlichting';
  return KLIC_THEME_TO_SYSTEM[input.theme] ?? 'overig';
}

/** Unit of a uom attribute: `urn:ogc:def:uom:OGC::mm` → `mm`. */
export function unitOf(uom: string | null): string | null {
  if (!uom) return null;
  return lastSegment(uom).split(':').pop() ?? null;
}

/** Numeric value of a measure leaf converted with `factors` (keys lower case); null when absent or unknown unit. */
function measure(l: RawLeaf | undefined, factors: Readonly<Record<string, number>>, defaultUnit: string): number | null {
  if (!l || l.nil || l.text === '') return null;
  const value = Number(l.text);
  const factor = factors[(unitOf(l.uom) ?? defaultUnit).toLowerCase()];
  if (!Number.isFinite(value) || factor === undefined) return null;
  return Math.round(value * factor * 1e6) / 1e6;
}

function coerce(key: string, text: string): AttributeValue {
  if (text === '') return null;
  if (TEXT_PROPERTIES.has(key)) return text;
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** A reference to another feature (xlink:href that is not a code-list URI). */
function isFeatureReference(l: RawLeaf): boolean {
  return l.href !== null && !/^(https?|urn):/i.test(l.href);
}

function leafValue(l: RawLeaf, key: string): AttributeValue {
  if (l.nil) return null;
  if (l.href !== null) return lastSegment(l.href);
  return coerce(key, l.text);
}

function addAttribute(attrs: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  const existing = attrs[key];
  if (existing === undefined || existing === null) attrs[key] = value;
  else if (value !== null) attrs[key] = `${String(existing)}, ${String(value)}`;
}

/** Simple (direct, non-reference) properties of the feature that are not mapped to a typed field. */
export function simpleAttributes(f: RawFeature, consumed: ReadonlySet<string>): Record<string, AttributeValue> {
  const attrs: Record<string, AttributeValue> = {};
  for (const l of f.leaves) {
    if (l.path.includes('/') || consumed.has(l.path) || isFeatureReference(l)) continue;
    const value = leafValue(l, l.path);
    addAttribute(attrs, l.path, value);
    const unit = unitOf(l.uom);
    if (unit && typeof value === 'number') attrs[`${l.path}Uom`] = unit;
  }
  return attrs;
}

/** First property among `keys` that the feature has, with its leaf. */
function firstPresent(f: RawFeature, keys: readonly string[]): [string, RawLeaf] | null {
  for (const key of keys) {
    const l = leaf(f, key);
    if (l && !l.nil && (l.text !== '' || l.href !== null)) return [key, l];
  }
  return null;
}

interface LabelSource {
  key: string | null;
  value: string | null;
}

function labelOf(f: RawFeature): LabelSource {
  if (f.type === 'Appurtenance') {
    const code = leafCode(f, 'appurtenanceType');
    if (code) return { key: 'appurtenanceType', value: code };
  }
  for (const key of ['omschrijving', 'label']) {
    const text = leafText(f, key);
    if (text) return { key, value: text };
  }
  return { key: null, value: null };
}

/** Build the asset record; `theme` is the Utiliteitsnet theme ('' when the network is unknown). */
export function buildAsset(f: RawFeature, geometry: RdGeometry, theme: string): KlicAsset {
  const consumed = new Set(ALWAYS_CONSUMED);
  const material = firstPresent(f, MATERIAL_PROPERTIES);
  const diameter = leaf(f, 'pipeDiameter');
  const voltage = firstPresent(f, ['nominalVoltage', 'operatingVoltage']);
  const pressure = leaf(f, 'pressure');
  const label = labelOf(f);
  for (const key of [material?.[0], diameter && 'pipeDiameter', voltage?.[0], pressure && 'pressure', label.key]) {
    if (key) consumed.add(key);
  }
  const ownerCode = ownerCodeOf(f.id);
  const appurtenanceType = leafCode(f, 'appurtenanceType');
  return {
    sourceId: f.id,
    featureType: f.type,
    theme,
    system: mapKlicSystem({ featureType: f.type, theme, ownerCode, appurtenanceType, description: leafText(f, 'omschrijving') }),
    ownerCode,
    geometry,
    status: leafCode(f, 'currentStatus'),
    inServiceDate: datePart(leafText(f, 'validFrom')),
    material: material ? leafValueAsString(material[1]) : materialFromLabel(label.value),
    diameterMm: measure(diameter, LENGTH_TO_MM, 'mm'),
    voltageV: measure(voltage?.[1], VOLTAGE_TO_V, 'V'),
    pressureBar: measure(pressure, PRESSURE_TO_BAR, 'bar'),
    label: label.value,
    attributes: simpleAttributes(f, consumed),
  };
}

/**
 * WML delivers no material code list; the material is the second token of the pipe's label
 * ("100 AC" = asbestos cement, "110 PVC BVB", "25 ST" = steel, "100 NGIJ" = nodular cast iron).
 */
export function materialFromLabel(label: string | null): string | null {
  const m = /^\d+\s+([A-Z]{1,6})\b/.exec(label ?? '');
  return m?.[1] ?? null;
}

function leafValueAsString(l: RawLeaf): string | null {
  if (l.nil) return null;
  return l.href !== null ? lastSegment(l.href) : l.text || null;
}
