/**
 * What the works view shows: the filter state (owner, system, status, kind, time window), how the
 * works are coloured and grouped, and the pure functions behind it. The map and the timeline both
 * read the same filtered list, so they always agree.
 *
 * Dates: a work's span is its flex window, [earliestStart ?? preferredStart ?? startDate,
 * latestEnd ?? preferredEnd ?? endDate] (KLIC requests only have startDate/endDate). A span with
 * only one end known is that single day. A work passes a time window when its span shares at
 * least one day with it; a work without any date passes only while no window is set (it cannot
 * be placed in time, and hiding it otherwise would hide it forever).
 */
import { SYSTEM_CODES, getSystem, isSystemCode, type SystemCode } from '@model/systems.ts';
import { WORK_KINDS, WORK_STATUSES } from '@model/work.ts';
import type { WorkProperties } from '../../api/types.ts';
import { overlaps, toDay, type DayWindow } from './dates.ts';

export const FACETS = ['owners', 'systems', 'statuses', 'kinds'] as const;
export type Facet = (typeof FACETS)[number];
/** 'all' = no filter on this facet; a set = only works with one of these keys. */
export type FacetSelection = 'all' | ReadonlySet<string>;
export type ColourBy = 'owner' | 'system';
export type GroupBy = 'owner' | 'system';

export interface WorksFilter {
  readonly owners: FacetSelection;
  readonly systems: FacetSelection;
  readonly statuses: FacetSelection;
  readonly kinds: FacetSelection;
  /** Days shown; null = all time (works without dates included). */
  readonly window: DayWindow | null;
  readonly colourBy: ColourBy;
  readonly groupBy: GroupBy;
}

export type WorksFilterAction =
  | { type: 'works/toggle'; facet: Facet; key: string; allKeys: readonly string[] }
  | { type: 'works/setFacet'; facet: Facet; keys: 'all' | readonly string[] }
  | { type: 'works/window'; window: DayWindow | null }
  | { type: 'works/colourBy'; by: ColourBy }
  | { type: 'works/groupBy'; by: GroupBy }
  /** Every facet back to 'all' and no time window; colour and grouping stay. */
  | { type: 'works/reset' };

export const initialWorksFilter: WorksFilter = {
  owners: 'all', systems: 'all', statuses: 'all', kinds: 'all', window: null, colourBy: 'owner', groupBy: 'owner',
};

/** The key of "no value" in every facet (no owner, no system, ...). */
export const NONE_KEY = '-';

const text = (v: string | null | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export const ownerKey = (p: WorkProperties): string => text(p.owner) ?? NONE_KEY;
export const statusKey = (p: WorkProperties): string => text(p.status) ?? NONE_KEY;
/** The work kind; a KLIC request without one falls back to its first KLIC work kind. */
export const kindKey = (p: WorkProperties): string => text(p.kind) ?? text(p.workKinds?.[0]) ?? NONE_KEY;

/** Known system codes of the work, in its own order without repeats. */
export function workSystems(p: WorkProperties): SystemCode[] {
  return [...new Set((p.systems ?? []).filter(isSystemCode))];
}

export function systemKeys(p: WorkProperties): string[] {
  const codes = workSystems(p);
  return codes.length > 0 ? codes : [NONE_KEY];
}

export function facetKeys(p: WorkProperties, facet: Facet): string[] {
  switch (facet) {
    case 'owners':
      return [ownerKey(p)];
    case 'systems':
      return systemKeys(p);
    case 'statuses':
      return [statusKey(p)];
    case 'kinds':
      return [kindKey(p)];
  }
}

function toggled(current: FacetSelection, key: string, allKeys: readonly string[]): FacetSelection {
  const next = new Set(current === 'all' ? allKeys : current);
  if (next.has(key)) next.delete(key);
  else next.add(key);
  return allKeys.every((k) => next.has(k)) ? 'all' : next;
}

function orderedWindow(w: DayWindow | null): DayWindow | null {
  if (w === null) return null;
  return w.from <= w.to ? { from: w.from, to: w.to } : { from: w.to, to: w.from };
}

export function updateWorksFilter(state: WorksFilter, action: WorksFilterAction): WorksFilter {
  switch (action.type) {
    case 'works/toggle':
      return { ...state, [action.facet]: toggled(state[action.facet], action.key, action.allKeys) };
    case 'works/setFacet':
      return { ...state, [action.facet]: action.keys === 'all' ? 'all' : new Set(action.keys) };
    case 'works/window':
      return { ...state, window: orderedWindow(action.window) };
    case 'works/colourBy':
      return state.colourBy === action.by ? state : { ...state, colourBy: action.by };
    case 'works/groupBy':
      return state.groupBy === action.by ? state : { ...state, groupBy: action.by };
    case 'works/reset':
      return { ...initialWorksFilter, colourBy: state.colourBy, groupBy: state.groupBy };
  }
}

export function isFacetChecked(selection: FacetSelection, key: string): boolean {
  return selection === 'all' || selection.has(key);
}

/** Is any facet or the time window narrowing the list? */
export function isFiltering(f: WorksFilter): boolean {
  return f.window !== null || FACETS.some((facet) => f[facet] !== 'all');
}

// ---------- time ----------

function span(start: string | null, end: string | null): DayWindow | null {
  if (start === null && end === null) return null;
  const from = start ?? end ?? '';
  const to = end ?? start ?? '';
  return from <= to ? { from, to } : { from: to, to: from };
}

/** The flex window: earliest possible start to latest possible end. */
export function workSpan(p: WorkProperties): DayWindow | null {
  return span(
    toDay(p.earliestStart) ?? toDay(p.preferredStart) ?? toDay(p.startDate),
    toDay(p.latestEnd) ?? toDay(p.preferredEnd) ?? toDay(p.endDate),
  );
}

/** The preferred window (KLIC: the request's start and end). */
export function preferredSpan(p: WorkProperties): DayWindow | null {
  return span(toDay(p.preferredStart) ?? toDay(p.startDate), toDay(p.preferredEnd) ?? toDay(p.endDate));
}

export function passesWindow(p: WorkProperties, window: DayWindow | null): boolean {
  if (window === null) return true;
  const s = workSpan(p);
  return s !== null && overlaps(s, window);
}

export function passesFacets(p: WorkProperties, f: Pick<WorksFilter, Facet>): boolean {
  return FACETS.every((facet) => {
    const sel = f[facet];
    return sel === 'all' || facetKeys(p, facet).some((k) => sel.has(k));
  });
}

export function filterWorks<T extends { properties: WorkProperties }>(works: readonly T[], f: WorksFilter): T[] {
  return works.filter((w) => passesFacets(w.properties, f) && passesWindow(w.properties, f.window));
}

/** The slider's full extent: the earliest start and the latest end of all works; null when none has a date. */
export function dateRange(works: readonly { properties: WorkProperties }[]): DayWindow | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const w of works) {
    const s = workSpan(w.properties);
    if (!s) continue;
    if (from === null || s.from < from) from = s.from;
    if (to === null || s.to > to) to = s.to;
  }
  return from === null || to === null ? null : { from, to };
}

// ---------- facet options ----------

export interface FacetOption {
  key: string;
  /** Works having this key (a work with two systems counts under both). */
  count: number;
  /** The owner's name (owners only); null when unknown. */
  name: string | null;
}

function rank(order: readonly string[], key: string): number {
  if (key === NONE_KEY) return order.length + 1;
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

const FACET_ORDER: Readonly<Record<Facet, readonly string[]>> = { owners: [], systems: SYSTEM_CODES, statuses: WORK_STATUSES, kinds: WORK_KINDS };

/**
 * The values of a facet among the works, for its checkbox list: systems, statuses and kinds in
 * their model order (unknown kinds after, alphabetically), owners by name; "none" last.
 */
export function facetOptions(works: readonly { properties: WorkProperties }[], facet: Facet): FacetOption[] {
  const found = new Map<string, FacetOption>();
  for (const { properties: p } of works) {
    for (const key of facetKeys(p, facet)) {
      const o = found.get(key) ?? { key, count: 0, name: facet === 'owners' ? text(p.ownerName) : null };
      found.set(key, { ...o, count: o.count + 1, name: o.name ?? (facet === 'owners' ? text(p.ownerName) : null) });
    }
  }
  const order = FACET_ORDER[facet];
  const sortText = (o: FacetOption): string => (o.name ?? o.key).toLocaleLowerCase();
  return [...found.values()].sort((a, b) => rank(order, a.key) - rank(order, b.key) || sortText(a).localeCompare(sortText(b)) || a.key.localeCompare(b.key));
}

// ---------- colour ----------

/** Works without an owner or system. */
export const NO_COLOUR = '#8c8c8c';

/**
 * Okabe–Ito, the colour-blind-safe categorical palette, without its black (the selection outline
 * is black). Owners beyond the seventh reuse the colours in order.
 */
export const OWNER_PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442'] as const;

/** Owner key → colour, assigned in sorted key order so the same owners always get the same colours. */
export function ownerPalette(works: readonly { properties: WorkProperties }[]): ReadonlyMap<string, string> {
  const keys = [...new Set(works.map((w) => ownerKey(w.properties)))].filter((k) => k !== NONE_KEY).sort();
  return new Map(keys.map((k, i) => [k, OWNER_PALETTE[i % OWNER_PALETTE.length] ?? NO_COLOUR]));
}

export function systemColour(p: WorkProperties): string {
  const first = workSystems(p)[0];
  return first === undefined ? NO_COLOUR : getSystem(first).color;
}

export function workColour(p: WorkProperties, by: ColourBy, palette: ReadonlyMap<string, string>): string {
  return by === 'system' ? systemColour(p) : (palette.get(ownerKey(p)) ?? NO_COLOUR);
}

export interface LegendEntry {
  key: string;
  label: string;
  colour: string;
}

/**
 * The legend for the colour mode: one entry per owner (or per first system) among `works`, in
 * the order of the filter lists. `label` names a key (owner name, system label, "none").
 */
export function legendModel(
  works: readonly { properties: WorkProperties }[],
  by: ColourBy,
  palette: ReadonlyMap<string, string>,
  label: (facet: 'owners' | 'systems', option: FacetOption) => string,
): LegendEntry[] {
  if (by === 'owner') {
    return facetOptions(works, 'owners').map((o) => ({ key: o.key, label: label('owners', o), colour: palette.get(o.key) ?? NO_COLOUR }));
  }
  // by system a work takes the colour of its first system: only those are in the legend
  const firsts = works.map((w) => ({ properties: { id: w.properties.id, systems: workSystems(w.properties).slice(0, 1) } }));
  return facetOptions(firsts, 'systems').map((o) => ({
    key: o.key,
    label: label('systems', o),
    colour: o.key === NONE_KEY || !isSystemCode(o.key) ? NO_COLOUR : getSystem(o.key).color,
  }));
}

// ---------- moratoria ----------

/** A moratorium is shown when its period shares a day with the time window (always when none is set). */
export function moratoriumInWindow(p: { from?: string | null; until?: string | null }, window: DayWindow | null): boolean {
  if (window === null) return true;
  const from = toDay(p.from);
  const until = toDay(p.until);
  const s = span(from, until);
  return s !== null && overlaps(s, window);
}
