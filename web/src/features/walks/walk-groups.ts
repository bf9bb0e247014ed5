/**
 * The studio's groups of hotspots (issue 7), pure: a hotspot's group as typed (trimmed, spaces
 * collapsed, empty = none), the groups already used in a walk (for the datalist), the hotspots
 * under one heading per group (sorted by name, "Zonder groep" last), and checking the walk's
 * privacy settings (rounding of published places in metres, retention term in months).
 */
import type { Hotspot } from '../../api/walk-endpoints.ts';

/** The longest group name the API accepts. */
export const CLUSTER_MAX = 80;

/** The test id suffix of the heading of the hotspots without a group (the same in both languages). */
export const NO_CLUSTER_ID = 'Zonder groep';

/** A group name as typed: spaces trimmed and collapsed, at most CLUSTER_MAX characters; '' becomes null (no group). */
export function normaliseCluster(input: string | null | undefined): string | null {
  const s = (input ?? '').replace(/\s+/g, ' ').trim().slice(0, CLUSTER_MAX).trim();
  return s === '' ? null : s;
}

/** The group a hotspot is in, or null. */
export const clusterOf = (h: Hotspot): string | null => normaliseCluster(h.properties.cluster);

const byName = (a: string, b: string): number => a.localeCompare(b, 'nl', { sensitivity: 'base', numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);

/** The groups used among the hotspots, each once, sorted by name. */
export function clusterNames(hotspots: readonly Hotspot[]): string[] {
  const names = new Set<string>();
  for (const h of hotspots) {
    const c = clusterOf(h);
    if (c !== null) names.add(c);
  }
  return [...names].sort(byName);
}

export interface ClusterGroup {
  /** The group's name; null for the hotspots without a group. */
  name: string | null;
  hotspots: Hotspot[];
}

/**
 * The hotspots under one heading per group: the groups sorted by name, the hotspots without a
 * group last; within a group the hotspots keep the order they were given in. No empty groups.
 */
export function groupByCluster(hotspots: readonly Hotspot[]): ClusterGroup[] {
  const groups = new Map<string, Hotspot[]>();
  const none: Hotspot[] = [];
  for (const h of hotspots) {
    const c = clusterOf(h);
    if (c === null) {
      none.push(h);
      continue;
    }
    const list = groups.get(c);
    if (list) list.push(h);
    else groups.set(c, [h]);
  }
  const named: ClusterGroup[] = [...groups.keys()].sort(byName).map((name) => ({ name, hotspots: groups.get(name) ?? [] }));
  return none.length > 0 ? [...named, { name: null, hotspots: none }] : named;
}

export const ROUNDING_RANGE = { min: 0, max: 1000 } as const;
export const RETENTION_RANGE = { min: 1, max: 120 } as const;

export type WalkSettingsCheck =
  | { ok: true; roundingM: number; retentionMonths: number }
  | { ok: false; field: 'rounding' | 'retention' };

const wholeIn = (text: string, range: { min: number; max: number }): number | null => {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= range.min && n <= range.max ? n : null;
};

/** The walk's settings as typed: rounding a whole number of metres 0–1000, retention a whole number of months 1–120. */
export function checkWalkSettings(rounding: string, retention: string): WalkSettingsCheck {
  const roundingM = wholeIn(rounding, ROUNDING_RANGE);
  if (roundingM === null) return { ok: false, field: 'rounding' };
  const retentionMonths = wholeIn(retention, RETENTION_RANGE);
  if (retentionMonths === null) return { ok: false, field: 'retention' };
  return { ok: true, roundingM, retentionMonths };
}
