import { SYSTEM_CODES, type SystemCode } from '@model/systems.ts';
import { describe, expect, it } from 'vitest';
import type { LayerInfo } from '../../api/types.ts';
import { groupLayers, LAYER_GROUPS } from './groups.ts';

const layer = (id: SystemCode): LayerInfo => ({
  id,
  labelNl: id,
  labelEn: id,
  color: '#000000',
  count: 1,
  geometryTypes: ['LineString'],
  tilejson: `/tiles/${id}.json`,
});

describe('groupLayers', () => {
  it('puts every system in exactly one group', () => {
    const all = LAYER_GROUPS.flatMap((g) => g.systems);
    expect([...all].sort()).toEqual([...SYSTEM_CODES].sort());
  });

  it('keeps panel order, drops empty groups and orders layers by taxonomy', () => {
    const groups = groupLayers([layer('verlichting'), layer('elektriciteit_ms'), layer('gas_ld'), layer('elektriciteit_ls')]);
    expect(groups.map((g) => g.key)).toEqual(['elektriciteit', 'gas', 'verlichting']);
    expect(groups[0]?.layers.map((l) => l.id)).toEqual(['elektriciteit_ls', 'elektriciteit_ms']);
  });

  it('returns nothing for no layers', () => {
    expect(groupLayers([])).toEqual([]);
  });
});
