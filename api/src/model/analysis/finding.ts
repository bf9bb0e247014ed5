/**
 * Findings and how a candidate becomes one (issue 6). Both implementations find the candidates
 * their own way (PostGIS: GiST-indexed joins; browser: flatbush + the planar kernel) and measure
 * the distances themselves, then hand every candidate to these same functions: the rules are
 * written once. Pure: the web imports it through `@model`.
 */
import {
  type AnalysisRules, type FindingType, type WorkTimes, dayNumber, findingId, flexWindow, gapDays, overlapDays, pairRule, prefWindow,
} from '../analysis-rules.ts';
import type { SystemCode } from '../systems.ts';

export interface AnalysisWork extends WorkTimes {
  id: number;
  kind: string | null;
  ownerId: number | null;
  systems: readonly SystemCode[];
  opensGround: boolean;
  /** Line works: the trench width (m); null = the rules' default. Ignored for polygons. */
  trenchWidth: number | null;
  /** true for a polygon footprint (no buffer). */
  areal: boolean;
}

export interface AnalysisMoratorium {
  id: number;
  from: string;
  until: string;
  exceptions: readonly string[];
}

export interface CouplingAsset {
  id: number;
  system: string;
  ownerId: number | null;
  dueYear: number;
}

export type Metrics = Record<string, number | boolean | string | null>;

export interface Finding {
  id: string;
  type: FindingType;
  works: number[];
  assets: number[];
  moratorium: number | null;
  metrics: Metrics;
  /** The parameters of the rule that fired. */
  rule: Record<string, number | string>;
}

/** Half the trench of a line work, 0 for a polygon: what its footprint adds around the geometry. */
export function halfWidth(rules: AnalysisRules, w: Pick<AnalysisWork, 'areal' | 'trenchWidth'>): number {
  return w.areal ? 0 : (w.trenchWidth ?? rules.defaultTrenchWidthM) / 2;
}

/** The widest reach any pair rule has: candidates are searched within this plus both half widths. */
export function maxPairDistance(rules: AnalysisRules): number {
  return Math.max(rules.pair.distanceM, ...Object.values(rules.pairs).map((p) => p.distanceM));
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Two works whose raw geometries lie `distance` metres apart: a combine, clash or repeat-opening
 * finding, or null. Footprint distance = distance − both half widths (never below 0).
 */
export function classifyPair(rules: AnalysisRules, a: AnalysisWork, b: AnalysisWork, distance: number): Finding | null {
  if (a.id === b.id) return null;
  const [x, y] = a.id < b.id ? [a, b] : [b, a];
  const rule = pairRule(rules, x.systems, y.systems);
  const footprintDistance = Math.max(0, distance - halfWidth(rules, x) - halfWidth(rules, y));
  if (footprintDistance > rule.distanceM) return null;
  const bothOpen = x.opensGround && y.opensGround;
  const prefX = prefWindow(x);
  const prefY = prefWindow(y);
  const prefOverlap = overlapDays(prefX, prefY);
  const flexGap = gapDays(flexWindow(x), flexWindow(y));
  const works = [x.id, y.id];
  const base = { distance_m: round(footprintDistance) };
  if (bothOpen && flexGap <= rule.combineDays) {
    return {
      id: findingId('combine', x.id, y.id), type: 'combine', works, assets: [], moratorium: null,
      metrics: { ...base, gap_days: flexGap, overlap_days: prefOverlap, preferred_overlap: prefOverlap > 0, shift_days: gapDays(prefX, prefY) },
      rule: { distance_m: rule.distanceM, combine_days: rule.combineDays },
    };
  }
  if (!bothOpen && prefOverlap > 0) {
    return {
      id: findingId('clash', x.id, y.id), type: 'clash', works, assets: [], moratorium: null,
      metrics: { ...base, overlap_days: prefOverlap },
      rule: { distance_m: rule.distanceM },
    };
  }
  if (bothOpen && flexGap > rule.combineDays && flexGap <= rules.repeatDays) {
    return {
      id: findingId('repeat_opening', x.id, y.id), type: 'repeat_opening', works, assets: [], moratorium: null,
      metrics: { ...base, gap_days: flexGap },
      rule: { distance_m: rule.distanceM, combine_days: rule.combineDays, repeat_days: rules.repeatDays },
    };
  }
  return null;
}

/** A work whose footprint meets a moratorium's area: a breach when it opens the ground in its period without an exception. */
export function classifyMoratorium(w: AnalysisWork, m: AnalysisMoratorium): Finding | null {
  if (!w.opensGround) return null;
  if (w.kind !== null && m.exceptions.includes(w.kind)) return null;
  const overlap = overlapDays(prefWindow(w), { start: dayNumber(m.from), end: dayNumber(m.until) });
  if (overlap <= 0) return null;
  return {
    id: findingId('moratorium', w.id, m.id), type: 'moratorium', works: [w.id], assets: [], moratorium: m.id,
    metrics: { overlap_days: overlap, until: m.until },
    rule: { exceptions: m.exceptions.join(', ') },
  };
}

/**
 * The assets due for replacement under one ground-opening work, as one finding per system and
 * owner (an operator decides per network). Assets must be within reach and their due year known.
 */
export function classifyCouplings(rules: AnalysisRules, w: AnalysisWork, assets: readonly CouplingAsset[]): Finding[] {
  if (!w.opensGround) return [];
  const startYear = Number(w.preferredStart.slice(0, 4));
  const groups = new Map<string, CouplingAsset[]>();
  for (const a of assets) {
    if (a.dueYear > startYear + rules.couplingYears) continue;
    const key = `${a.system}-${a.ownerId ?? 0}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.entries()].map(([key, list]) => {
    const earliest = Math.min(...list.map((a) => a.dueYear));
    return {
      id: findingId('coupling', w.id, key), type: 'coupling', works: [w.id], assets: list.map((a) => a.id).sort((p, q) => p - q), moratorium: null,
      metrics: { asset_count: list.length, system: list[0]?.system ?? null, earliest_due_year: earliest, years_before_start: startYear - earliest },
      rule: { distance_m: rules.couplingDistanceM, years: rules.couplingYears },
    };
  });
}

/** Findings in a stable order: by type, then id. */
export function sortFindings(findings: Finding[]): Finding[] {
  const order = ['combine', 'clash', 'repeat_opening', 'moratorium', 'coupling'];
  return findings.sort((p, q) => order.indexOf(p.type) - order.indexOf(q.type) || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
}
