/**
 * Applying a shared link's state that depends on data (issue 8): once the works have loaded, the
 * filter keeps only keys the user can see, and the selected object is opened only when it is
 * among what the user can see. What refers to something out of sight is dropped silently. Pure.
 */
import type { Selection } from '../../state/selection.ts';
import { FACETS, facetOptions, type WorksFilter, type WorksFilterAction } from '../works/works-filter.ts';

type WithId = { properties: { id: number } };

/**
 * The actions that narrow each facet of the filter to the keys the loaded works have. A facet
 * whose keys are all unknown goes back to all (ignored, as if the link had not named it); a facet
 * that was empty on purpose ("none") stays empty.
 */
export function visibleFacetActions(filter: WorksFilter, works: Parameters<typeof facetOptions>[0]): WorksFilterAction[] {
  const actions: WorksFilterAction[] = [];
  for (const facet of FACETS) {
    const sel = filter[facet];
    if (sel === 'all' || sel.size === 0) continue;
    const known = new Set(facetOptions(works, facet).map((o) => o.key));
    const keys = [...sel].filter((k) => known.has(k));
    if (keys.length === sel.size) continue;
    actions.push({ type: 'works/setFacet', facet, keys: keys.length === 0 ? 'all' : keys });
  }
  return actions;
}

/**
 * Whether the link's selection can be opened: a work or moratorium when it is in the loaded
 * lists ('open'), else 'drop'; an asset is not loaded as a list, so the server is asked ('ask').
 */
export function selectionCheck(selection: Selection, works: readonly WithId[], moratoria: readonly WithId[]): 'none' | 'open' | 'drop' | 'ask' {
  if (selection === null) return 'none';
  if (selection.kind === 'asset') return 'ask';
  const list = selection.kind === 'work' ? works : moratoria;
  return list.some((f) => f.properties.id === selection.id) ? 'open' : 'drop';
}
