import { describe, expect, it } from 'vitest';
import type { Hotspot } from '../../api/walk-endpoints.ts';
import { CLUSTER_MAX, checkWalkSettings, clusterNames, groupByCluster, normaliseCluster } from './walk-groups.ts';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const hotspot = (n: number, cluster: string | null | undefined): Hotspot => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [5.89, 51.16] },
  properties: {
    id: ID(n), kind: 'knelpunt', theme: 'drinkwater', note: '', status: 'new', hasPhoto: false,
    receivedAt: '2026-12-05T10:00:00Z', version: 1, seq: n, ...(cluster === undefined ? {} : { cluster }),
  },
});
const ids = (hs: readonly Hotspot[]): string[] => hs.map((h) => h.properties.id);

describe('group names', () => {
  it('trims and collapses spaces; empty is no group', () => {
    expect(normaliseCluster('  Markt   plein ')).toBe('Markt plein');
    expect(normaliseCluster('   ')).toBeNull();
    expect(normaliseCluster('')).toBeNull();
    expect(normaliseCluster(null)).toBeNull();
    expect(normaliseCluster(undefined)).toBeNull();
  });

  it('cuts a long name to what the API accepts', () => {
    expect(normaliseCluster('x'.repeat(200))).toHaveLength(CLUSTER_MAX);
  });

  it('lists the groups of a walk once each, sorted by name', () => {
    const hs = [hotspot(1, 'school'), hotspot(2, null), hotspot(3, 'Markt'), hotspot(4, ' school '), hotspot(5, undefined), hotspot(6, 'Afval')];
    expect(clusterNames(hs)).toEqual(['Afval', 'Markt', 'school']);
    expect(clusterNames([])).toEqual([]);
  });
});

describe('grouping by group', () => {
  it('puts the hotspots under their group, groups sorted, "Zonder groep" last', () => {
    const hs = [hotspot(1, 'school'), hotspot(2, null), hotspot(3, 'Markt'), hotspot(4, 'school'), hotspot(5, ''), hotspot(6, 'afval')];
    const groups = groupByCluster(hs);
    expect(groups.map((g) => g.name)).toEqual(['afval', 'Markt', 'school', null]);
    expect(ids(groups[2]?.hotspots ?? [])).toEqual([ID(1), ID(4)]);
    expect(ids(groups[3]?.hotspots ?? [])).toEqual([ID(2), ID(5)]);
  });

  it('sorts numbers in names naturally', () => {
    expect(groupByCluster([hotspot(1, 'Plek 10'), hotspot(2, 'Plek 2')]).map((g) => g.name)).toEqual(['Plek 2', 'Plek 10']);
  });

  it('leaves out "Zonder groep" when every hotspot has a group, and has no groups for no hotspots', () => {
    expect(groupByCluster([hotspot(1, 'a')]).map((g) => g.name)).toEqual(['a']);
    expect(groupByCluster([])).toEqual([]);
    expect(groupByCluster([hotspot(1, null)]).map((g) => g.name)).toEqual([null]);
  });

  it('counts names that differ only in spaces as one group', () => {
    const groups = groupByCluster([hotspot(1, 'Markt plein'), hotspot(2, ' Markt  plein')]);
    expect(groups).toHaveLength(1);
    expect(ids(groups[0]?.hotspots ?? [])).toEqual([ID(1), ID(2)]);
  });
});

describe('walk settings', () => {
  it('accepts whole numbers in range', () => {
    expect(checkWalkSettings('25', '12')).toEqual({ ok: true, roundingM: 25, retentionMonths: 12 });
    expect(checkWalkSettings(' 0 ', '1')).toEqual({ ok: true, roundingM: 0, retentionMonths: 1 });
    expect(checkWalkSettings('1000', '120')).toEqual({ ok: true, roundingM: 1000, retentionMonths: 120 });
  });

  it('names the field that is out of range or not a whole number', () => {
    expect(checkWalkSettings('1001', '12')).toEqual({ ok: false, field: 'rounding' });
    expect(checkWalkSettings('-1', '12')).toEqual({ ok: false, field: 'rounding' });
    expect(checkWalkSettings('2.5', '12')).toEqual({ ok: false, field: 'rounding' });
    expect(checkWalkSettings('', '12')).toEqual({ ok: false, field: 'rounding' });
    expect(checkWalkSettings('25', '0')).toEqual({ ok: false, field: 'retention' });
    expect(checkWalkSettings('25', '121')).toEqual({ ok: false, field: 'retention' });
    expect(checkWalkSettings('25', 'twaalf')).toEqual({ ok: false, field: 'retention' });
  });
});
