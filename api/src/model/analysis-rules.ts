/**
 * The rules of "Samenhang in beeld" (issue 6), one specification for both implementations: the
 * PostGIS analysis (api/src/analysis) and the browser's live what-if (web, Turf + flatbush) read
 * their parameters from here, and a property test holds them to the same answers.
 *
 * Geometry is in the metric working CRS (RD New). The footprint of a work is its polygon, or its
 * line buffered by half its trench width with ROUND ends; so the distance between two footprints
 * is the distance between the raw geometries minus the two half widths (never below 0), which both
 * sides compute exactly from the same coordinates.
 *
 * Days: a date is a whole day; a window [start, end] includes both. gap(x, y) = the days from the
 * end of the earlier to the start of the later (0 when they overlap or share a day);
 * overlap(x, y) = the days they share (0 when they do not).
 * Pure (no I/O): the web imports it through the `@model` alias.
 */
import { SYSTEM_CODES, type SystemCode } from './systems.ts';

/** Works the analysis looks at: planned, not finished or cancelled, with a preferred window. */
export const ANALYSED_STATUSES: readonly string[] = ['idee', 'gepland', 'in voorbereiding', 'in uitvoering'];

export const FINDING_TYPES = ['combine', 'clash', 'repeat_opening', 'moratorium', 'coupling'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** Distance and time tolerance for one pair of systems (the matrix is symmetric). */
export interface PairRule {
  /** near(a, b): footprints within this many metres. */
  distanceM: number;
  /** combine: gap(flex a, flex b) ≤ this many days. */
  combineDays: number;
}

export interface Lifetime {
  system: SystemCode;
  /** Material as the asset register writes it (case-insensitive); '*' = any other material. */
  material: string;
  years: number;
  source: string;
}

export interface AnalysisRules {
  /** Trench width of a line work that has none (m). */
  defaultTrenchWidthM: number;
  /** The default pair rule (works without systems, and pairs the matrix does not name). */
  pair: PairRule;
  /** Overrides per pair of systems, key `a|b` with a ≤ b in SYSTEM_CODES order (pairKey()). */
  pairs: Readonly<Record<string, PairRule>>;
  /** repeat opening: combineDays < gap ≤ this many days (H, default 5 years). */
  repeatDays: number;
  /** coupling: an asset within this many metres of the footprint. */
  couplingDistanceM: number;
  /** coupling: its due year ≤ the work's preferred start year + this many years. */
  couplingYears: number;
  lifetimes: readonly Lifetime[];
  /** bundles: price of re-paving per m² of trench avoided (€). */
  repavingPricePerM2: number;
}

const RIONED = 'Stichting RIONED, Riool in cijfers / Leidraad Riolering: technical lifetime of sewers 45–80 years by material (concrete 60–80, PVC 60); default to be set by the deployment';
const KWR = 'KWR Water Research / Vewin asset-management practice: asbestos-cement mains about 60 years, cast iron 80, PVC 50–60, PE 50+; default to be set by the deployment';
const NETBEHEER = 'Netbeheer Nederland / network operators\' depreciation practice: cables and gas mains 40–60 years; default to be set by the deployment';

export const DEFAULT_LIFETIMES: readonly Lifetime[] = [
  { system: 'riool_vrijverval', material: 'concrete', years: 70, source: RIONED },
  { system: 'riool_vrijverval', material: 'reinforcedConcrete', years: 80, source: RIONED },
  { system: 'riool_vrijverval', material: 'gres', years: 80, source: RIONED },
  { system: 'riool_vrijverval', material: 'PVC', years: 60, source: RIONED },
  { system: 'riool_vrijverval', material: '*', years: 60, source: RIONED },
  { system: 'riool_pers', material: '*', years: 50, source: RIONED },
  { system: 'drinkwater', material: 'AC', years: 60, source: KWR },
  { system: 'drinkwater', material: 'NGIJ', years: 80, source: KWR },
  { system: 'drinkwater', material: 'GIJ', years: 80, source: KWR },
  { system: 'drinkwater', material: 'PVC', years: 55, source: KWR },
  { system: 'drinkwater', material: 'PE', years: 60, source: KWR },
  { system: 'drinkwater', material: '*', years: 60, source: KWR },
  { system: 'gas_ld', material: 'PVC', years: 50, source: NETBEHEER },
  { system: 'gas_ld', material: 'SPVC', years: 60, source: NETBEHEER },
  { system: 'gas_ld', material: 'steel', years: 50, source: NETBEHEER },
  { system: 'gas_ld', material: '*', years: 60, source: NETBEHEER },
  { system: 'gas_hd', material: '*', years: 60, source: NETBEHEER },
  { system: 'elektriciteit_ls', material: '*', years: 50, source: NETBEHEER },
  { system: 'elektriciteit_ms', material: '*', years: 50, source: NETBEHEER },
  { system: 'elektriciteit_hs', material: '*', years: 60, source: NETBEHEER },
];

export const DEFAULT_RULES: AnalysisRules = {
  defaultTrenchWidthM: 1,
  pair: { distanceM: 20, combineDays: 365 },
  pairs: {},
  repeatDays: 1826,
  couplingDistanceM: 1,
  couplingYears: 5,
  lifetimes: DEFAULT_LIFETIMES,
  repavingPricePerM2: 85,
};

const order = new Map<string, number>(SYSTEM_CODES.map((c, i) => [c, i]));

/** The matrix key of a pair of systems, the same whichever comes first. */
export function pairKey(a: SystemCode, b: SystemCode): string {
  return (order.get(a) ?? 0) <= (order.get(b) ?? 0) ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * The rule for two works: the most permissive over every pair of their systems, each pair by its
 * entry in the matrix or else the default (a work that touches sewer and water is near a cable work
 * when either pair says so; an entry narrower than the default narrows that pair); the default
 * rule when a work names no systems.
 */
export function pairRule(rules: AnalysisRules, a: readonly SystemCode[], b: readonly SystemCode[]): PairRule {
  let found: PairRule | null = null;
  for (const sa of a) {
    for (const sb of b) {
      const r = rules.pairs[pairKey(sa, sb)] ?? rules.pair;
      found = found === null ? { ...r } : { distanceM: Math.max(found.distanceM, r.distanceM), combineDays: Math.max(found.combineDays, r.combineDays) };
    }
  }
  return found ?? rules.pair;
}

/** The lifetime of an asset: the row for its system and material, else its system's '*', else null. */
export function lifetimeOf(rules: AnalysisRules, system: string, material: string | null): number | null {
  const m = material?.toLowerCase() ?? null;
  const exact = m === null ? undefined : rules.lifetimes.find((l) => l.system === system && l.material.toLowerCase() === m);
  return (exact ?? rules.lifetimes.find((l) => l.system === system && l.material === '*'))?.years ?? null;
}

/** An asset's due year: its explicit replacement year, else in-service year + lifetime; null when unknown. */
export function dueYear(rules: AnalysisRules, a: { system: string; material: string | null; inServiceYear: number | null; replacementYear: number | null }): number | null {
  if (a.replacementYear !== null) return a.replacementYear;
  if (a.inServiceYear === null) return null;
  const life = lifetimeOf(rules, a.system, a.material);
  return life === null ? null : a.inServiceYear + life;
}

/** A day as a whole number (days since 1970-01-01) from 'YYYY-MM-DD'. */
export function dayNumber(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

export interface Window { start: number; end: number }

export function gapDays(x: Window, y: Window): number {
  return Math.max(0, y.start - x.end, x.start - y.end);
}

export function overlapDays(x: Window, y: Window): number {
  return Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start) + 1);
}

export interface WorkTimes {
  earliestStart: string | null;
  preferredStart: string;
  preferredEnd: string;
  latestEnd: string | null;
}

export const prefWindow = (w: WorkTimes): Window => ({ start: dayNumber(w.preferredStart), end: dayNumber(w.preferredEnd) });
export const flexWindow = (w: WorkTimes): Window => ({ start: dayNumber(w.earliestStart ?? w.preferredStart), end: dayNumber(w.latestEnd ?? w.preferredEnd) });

/** The stable id of a finding: its type and the ids of what it links, smallest work first. */
export function findingId(type: FindingType, ...ids: (number | string)[]): string {
  const parts = type === 'combine' || type === 'clash' || type === 'repeat_opening' ? [...ids].map(Number).sort((a, b) => a - b) : ids;
  return `${type}:${parts.join('-')}`;
}
