import { describe, expect, it } from 'vitest';
import type { WorkProperties } from '../../api/types.ts';
import { initialWorksFilter, updateWorksFilter, type WorksFilter } from '../works/works-filter.ts';
import { selectionCheck, visibleFacetActions } from './restore.ts';

const w = (properties: WorkProperties): { properties: WorkProperties } => ({ properties });
const works = [
  w({ id: 1, title: 'Riool', owner: 'maasgouw', systems: ['riool_vrijverval'], status: 'gepland', kind: 'vervanging riool' }),
  w({ id: 2, title: 'Kabel', owner: 'enexis', systems: ['elektriciteit_ls'], status: 'idee' }),
];
const filter = (patch: Partial<WorksFilter>): WorksFilter => ({ ...initialWorksFilter, ...patch });

describe('visibleFacetActions', () => {
  it('changes nothing when every key is known, or a facet is all or empty', () => {
    expect(visibleFacetActions(filter({ owners: new Set(['enexis', 'maasgouw']), statuses: new Set(), kinds: 'all' }), works)).toEqual([]);
  });

  it('drops keys the user cannot see and keeps the rest', () => {
    const actions = visibleFacetActions(filter({ owners: new Set(['wml', 'enexis']), systems: new Set(['gas_ld', 'riool_vrijverval']) }), works);
    expect(actions).toEqual([
      { type: 'works/setFacet', facet: 'owners', keys: ['enexis'] },
      { type: 'works/setFacet', facet: 'systems', keys: ['riool_vrijverval'] },
    ]);
    const after = actions.reduce(updateWorksFilter, filter({ owners: new Set(['wml', 'enexis']) }));
    expect(after.owners).toEqual(new Set(['enexis']));
  });

  it('a facet naming only unknown keys goes back to all (a "none" key counts when works lack the value)', () => {
    expect(visibleFacetActions(filter({ owners: new Set(['wml']) }), works)).toEqual([{ type: 'works/setFacet', facet: 'owners', keys: 'all' }]);
    // work 2 has no kind: the none key '-' is among the options
    expect(visibleFacetActions(filter({ kinds: new Set(['-']) }), works)).toEqual([]);
    expect(visibleFacetActions(filter({ owners: new Set(['wml']) }), [])).toEqual([{ type: 'works/setFacet', facet: 'owners', keys: 'all' }]);
  });
});

describe('selectionCheck', () => {
  const moratoria = [{ properties: { id: 7 } }];
  it('opens a work or moratorium the user can see, drops one out of sight, asks the server about an asset', () => {
    expect(selectionCheck(null, works, moratoria)).toBe('none');
    expect(selectionCheck({ kind: 'work', id: 2 }, works, moratoria)).toBe('open');
    expect(selectionCheck({ kind: 'work', id: 9 }, works, moratoria)).toBe('drop');
    expect(selectionCheck({ kind: 'moratorium', id: 7 }, works, moratoria)).toBe('open');
    expect(selectionCheck({ kind: 'moratorium', id: 1 }, works, moratoria)).toBe('drop');
    expect(selectionCheck({ kind: 'asset', id: 1 }, works, moratoria)).toBe('ask');
  });
});
