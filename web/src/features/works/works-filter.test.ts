import { getSystem } from '@model/systems.ts';
import { describe, expect, it } from 'vitest';
import type { WorkProperties } from '../../api/types.ts';
import {
  NO_COLOUR,
  NONE_KEY,
  OWNER_PALETTE,
  dateRange,
  facetOptions,
  filterWorks,
  initialWorksFilter,
  isFiltering,
  legendModel,
  moratoriumInWindow,
  ownerPalette,
  passesWindow,
  preferredSpan,
  systemColour,
  updateWorksFilter,
  workColour,
  workSpan,
  type WorksFilter,
} from './works-filter.ts';

const w = (properties: WorkProperties): { properties: WorkProperties } => ({ properties });

/** A planned work of the municipality, a KLIC request without owner data, a grid work without dates. */
const sewer = w({
  id: 1, title: 'Riool Markt', kind: 'vervanging riool', owner: 'maasgouw', ownerName: 'Gemeente Maasgouw', systems: ['riool_vrijverval', 'drinkwater'],
  status: 'gepland', earliestStart: '2026-01-01', preferredStart: '2026-03-01', preferredEnd: '2026-06-30', latestEnd: '2026-09-30',
});
const klic = w({ id: 2, title: 'Graafmelding', kind: 'graafmelding', workKinds: ['aanleggen'], startDate: '2025-05-01', endDate: '2025-05-20' });
const grid = w({ id: 3, title: 'Netverzwaring', kind: 'netverzwaring', owner: 'enexis', ownerName: 'Enexis', systems: ['elektriciteit_ms'], status: 'idee' });
const fibre = w({ id: 4, title: 'Glasvezel', kind: 'glasvezel', owner: 'enexis', ownerName: 'Enexis', systems: ['telecom', 'bogus'], status: 'in uitvoering', preferredStart: '2027-02-01', preferredEnd: '2027-02-01' });
const works = [sewer, klic, grid, fibre];
const ids = (list: { properties: WorkProperties }[]): number[] => list.map((x) => x.properties.id);
const apply = (...actions: Parameters<typeof updateWorksFilter>[1][]): WorksFilter => actions.reduce(updateWorksFilter, initialWorksFilter);

describe('workSpan / preferredSpan', () => {
  it('takes the flex window, falling back to the preferred window and the KLIC dates', () => {
    expect(workSpan(sewer.properties)).toEqual({ from: '2026-01-01', to: '2026-09-30' });
    expect(preferredSpan(sewer.properties)).toEqual({ from: '2026-03-01', to: '2026-06-30' });
    expect(workSpan(klic.properties)).toEqual({ from: '2025-05-01', to: '2025-05-20' });
    expect(preferredSpan(klic.properties)).toEqual({ from: '2025-05-01', to: '2025-05-20' });
    expect(workSpan({ id: 5, preferredStart: '2026-04-01', preferredEnd: '2026-05-01' })).toEqual({ from: '2026-04-01', to: '2026-05-01' });
  });

  it('makes a one-day span of a single known end, and no span without dates', () => {
    expect(workSpan({ id: 5, startDate: '2025-01-10' })).toEqual({ from: '2025-01-10', to: '2025-01-10' });
    expect(workSpan({ id: 5, latestEnd: '2025-02-01' })).toEqual({ from: '2025-02-01', to: '2025-02-01' });
    expect(workSpan(grid.properties)).toBeNull();
    expect(workSpan({ id: 5, startDate: 'soon' })).toBeNull();
  });

  it('turns a reversed span the right way round', () => {
    expect(workSpan({ id: 5, startDate: '2025-03-01', endDate: '2025-01-01' })).toEqual({ from: '2025-01-01', to: '2025-03-01' });
  });
});

describe('the time window', () => {
  it('passes works whose span shares a day with it; works without dates only when no window is set', () => {
    const window = { from: '2026-09-30', to: '2027-01-31' };
    expect(passesWindow(sewer.properties, window)).toBe(true);
    expect(passesWindow(fibre.properties, window)).toBe(false);
    expect(passesWindow(grid.properties, window)).toBe(false);
    expect(passesWindow(grid.properties, null)).toBe(true);
    expect(ids(filterWorks(works, apply({ type: 'works/window', window })))).toEqual([1]);
  });

  it('orders a reversed window and clears it', () => {
    const f = apply({ type: 'works/window', window: { from: '2027-01-01', to: '2026-01-01' } });
    expect(f.window).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(updateWorksFilter(f, { type: 'works/window', window: null }).window).toBeNull();
  });

  it('dateRange spans the earliest start to the latest end', () => {
    expect(dateRange(works)).toEqual({ from: '2025-05-01', to: '2027-02-01' });
    expect(dateRange([grid])).toBeNull();
    expect(dateRange([])).toBeNull();
  });

  it('shows a moratorium whose period meets the window', () => {
    const m = { from: '2026-01-01', until: '2030-12-31' };
    expect(moratoriumInWindow(m, null)).toBe(true);
    expect(moratoriumInWindow(m, { from: '2030-12-31', to: '2031-05-01' })).toBe(true);
    expect(moratoriumInWindow(m, { from: '2031-01-01', to: '2031-05-01' })).toBe(false);
    expect(moratoriumInWindow({ from: 'x', until: null }, { from: '2026-01-01', to: '2026-02-01' })).toBe(false);
  });
});

describe('facet filters', () => {
  it('starts with everything shown', () => {
    expect(ids(filterWorks(works, initialWorksFilter))).toEqual([1, 2, 3, 4]);
    expect(isFiltering(initialWorksFilter)).toBe(false);
  });

  it('toggling from "all" leaves every other value on; ticking the last one returns to "all"', () => {
    const allKeys = facetOptions(works, 'owners').map((o) => o.key);
    const off = apply({ type: 'works/toggle', facet: 'owners', key: 'enexis', allKeys });
    expect(off.owners).toEqual(new Set(['maasgouw', NONE_KEY]));
    expect(ids(filterWorks(works, off))).toEqual([1, 2]);
    expect(isFiltering(off)).toBe(true);
    expect(updateWorksFilter(off, { type: 'works/toggle', facet: 'owners', key: 'enexis', allKeys }).owners).toBe('all');
  });

  it('matches a work with several systems on any of them, and "no system" for one without', () => {
    const only = (keys: string[]) => ids(filterWorks(works, apply({ type: 'works/setFacet', facet: 'systems', keys })));
    expect(only(['drinkwater'])).toEqual([1]);
    expect(only(['telecom', 'elektriciteit_ms'])).toEqual([3, 4]);
    expect(only([NONE_KEY])).toEqual([2]);
    expect(only([])).toEqual([]);
  });

  it('filters status and kind (a KLIC request by its kind text), combined with AND', () => {
    expect(ids(filterWorks(works, apply({ type: 'works/setFacet', facet: 'statuses', keys: [NONE_KEY, 'idee'] })))).toEqual([2, 3]);
    expect(ids(filterWorks(works, apply({ type: 'works/setFacet', facet: 'kinds', keys: ['graafmelding', 'glasvezel'] })))).toEqual([2, 4]);
    const both = apply({ type: 'works/setFacet', facet: 'kinds', keys: ['glasvezel', 'netverzwaring'] }, { type: 'works/setFacet', facet: 'statuses', keys: ['idee'] });
    expect(ids(filterWorks(works, both))).toEqual([3]);
  });

  it('reset clears facets and window but keeps colour and grouping', () => {
    const f = apply(
      { type: 'works/setFacet', facet: 'kinds', keys: [] },
      { type: 'works/window', window: { from: '2026-01-01', to: '2026-02-01' } },
      { type: 'works/colourBy', by: 'system' },
      { type: 'works/groupBy', by: 'system' },
    );
    expect(updateWorksFilter(f, { type: 'works/reset' })).toEqual({ ...initialWorksFilter, colourBy: 'system', groupBy: 'system' });
  });

  it('keeps the state object when a mode is set to what it is', () => {
    expect(updateWorksFilter(initialWorksFilter, { type: 'works/colourBy', by: 'owner' })).toBe(initialWorksFilter);
    expect(updateWorksFilter(initialWorksFilter, { type: 'works/groupBy', by: 'owner' })).toBe(initialWorksFilter);
  });
});

describe('facetOptions', () => {
  it('lists owners by name with counts, "none" last', () => {
    expect(facetOptions(works, 'owners')).toEqual([
      { key: 'enexis', count: 2, name: 'Enexis' },
      { key: 'maasgouw', count: 1, name: 'Gemeente Maasgouw' },
      { key: NONE_KEY, count: 1, name: null },
    ]);
  });

  it('lists systems in the model order, counting a work under each of its known systems', () => {
    expect(facetOptions(works, 'systems').map((o) => [o.key, o.count])).toEqual([
      ['riool_vrijverval', 1], ['drinkwater', 1], ['elektriciteit_ms', 1], ['telecom', 1], [NONE_KEY, 1],
    ]);
  });

  it('lists known kinds and statuses in the model order, free text after them', () => {
    expect(facetOptions(works, 'kinds').map((o) => o.key)).toEqual(['vervanging riool', 'netverzwaring', 'glasvezel', 'graafmelding']);
    expect(facetOptions(works, 'statuses').map((o) => o.key)).toEqual(['idee', 'gepland', 'in uitvoering', NONE_KEY]);
  });
});

describe('colours and legend', () => {
  it('gives owners palette colours in sorted key order, stable under filtering', () => {
    const palette = ownerPalette(works);
    expect([...palette]).toEqual([['enexis', OWNER_PALETTE[0]], ['maasgouw', OWNER_PALETTE[1]]]);
    expect(workColour(sewer.properties, 'owner', palette)).toBe(OWNER_PALETTE[1]);
    expect(workColour(klic.properties, 'owner', palette)).toBe(NO_COLOUR);
  });

  it('reuses the palette beyond its length', () => {
    const many = Array.from({ length: OWNER_PALETTE.length + 1 }, (_, i) => w({ id: i, owner: `org-${String(i).padStart(2, '0')}` }));
    expect(ownerPalette(many).get(`org-${String(OWNER_PALETTE.length).padStart(2, '0')}`)).toBe(OWNER_PALETTE[0]);
  });

  it('colours by the first known system, grey without one', () => {
    expect(systemColour(sewer.properties)).toBe(getSystem('riool_vrijverval').color);
    expect(systemColour({ id: 9, systems: ['bogus', 'telecom'] })).toBe(getSystem('telecom').color);
    expect(workColour(klic.properties, 'system', new Map())).toBe(NO_COLOUR);
  });

  it('builds the legend of the colour mode', () => {
    const palette = ownerPalette(works);
    const label = (_facet: string, o: { key: string; name: string | null }): string => o.name ?? o.key;
    expect(legendModel(works, 'owner', palette, label)).toEqual([
      { key: 'enexis', label: 'Enexis', colour: OWNER_PALETTE[0] },
      { key: 'maasgouw', label: 'Gemeente Maasgouw', colour: OWNER_PALETTE[1] },
      { key: NONE_KEY, label: NONE_KEY, colour: NO_COLOUR },
    ]);
    // by system only the first system of each work colours it: drinkwater (second of the sewer work) is not listed
    expect(legendModel(works, 'system', palette, label).map((e) => [e.key, e.colour])).toEqual([
      ['riool_vrijverval', getSystem('riool_vrijverval').color],
      ['elektriciteit_ms', getSystem('elektriciteit_ms').color],
      ['telecom', getSystem('telecom').color],
      [NONE_KEY, NO_COLOUR],
    ]);
  });
});
