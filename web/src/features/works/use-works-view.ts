/**
 * The works view's state: one filter for the map and the timeline, and what follows from it (the
 * works and moratoria shown, the slider's extent, the colours).
 */
import { useMemo, useReducer, type Dispatch } from 'react';
import type { MoratoriumGeoJson } from '../../layers/moratoria-layer.ts';
import type { WorkGeoJson, WorksColouring } from '../../layers/works-layer.ts';
import type { DayWindow } from './dates.ts';
import {
  dateRange,
  filterWorks,
  initialWorksFilter,
  moratoriumInWindow,
  ownerPalette,
  updateWorksFilter,
  workColour,
  type WorksFilter,
  type WorksFilterAction,
} from './works-filter.ts';

export interface WorksView {
  filter: WorksFilter;
  dispatch: Dispatch<WorksFilterAction>;
  /** Every work loaded (the "m" of "n van m"). */
  all: readonly WorkGeoJson[];
  /** The works passing the filter: drawn on the map and on the timeline. */
  shown: readonly WorkGeoJson[];
  /** The moratoria in the time window. */
  moratoriaShown: readonly MoratoriumGeoJson[];
  /** The slider's full extent (all works, not only those shown); null when no work has a date. */
  range: DayWindow | null;
  /** Owner key → colour, over all works (filtering does not recolour). */
  palette: ReadonlyMap<string, string>;
  colouring: WorksColouring;
}

/** `initial`: the filter to start with (a shared link's, issue 8). */
export function useWorksView(works: readonly WorkGeoJson[], moratoria: readonly MoratoriumGeoJson[], initial: WorksFilter = initialWorksFilter): WorksView {
  const [filter, dispatch] = useReducer(updateWorksFilter, initial);
  const shown = useMemo(() => filterWorks(works, filter), [works, filter]);
  const moratoriaShown = useMemo(() => moratoria.filter((m) => moratoriumInWindow(m.properties, filter.window)), [moratoria, filter.window]);
  const range = useMemo(() => dateRange(works), [works]);
  const palette = useMemo(() => ownerPalette(works), [works]);
  const { colourBy } = filter;
  const colouring = useMemo<WorksColouring>(
    () => ({
      colourOf: (p) => workColour(p, colourBy, palette),
      key: `${colourBy}:${[...palette].map(([k, c]) => `${k}=${c}`).join(',')}`,
    }),
    [colourBy, palette],
  );
  return { filter, dispatch, all: works, shown, moratoriaShown, range, palette, colouring };
}
