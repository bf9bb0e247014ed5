/**
 * Everything the wijkschouw tab needs, composed for App (issue 7): the walks, the live hotspots of
 * the selected walk, the atelier, the hotspot looked at last (the map flies to it), and the
 * deck.gl layers it adds to the map while the tab is open.
 */
import { useCallback, useMemo, useState, type Dispatch } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { Hotspot } from '../../api/walk-endpoints.ts';
import { createWalkLayers } from '../../layers/walk-layers.ts';
import type { AppAction } from '../../state/app-state.ts';
import { useHotspots, type Hotspots } from './use-hotspots.ts';
import { usePairwise, type Pairwise } from './use-pairwise.ts';
import { useWalks, type Walks } from './use-walks.ts';
import { hotspotBbox } from './walk-logic.ts';

export interface WalksFeatureDeps {
  api: ApiClient;
  dispatch: Dispatch<AppAction>;
  /** The wijkschouw tab is open (and the user may run walks): only then is anything fetched or drawn. */
  active: boolean;
}

export interface WalksFeature {
  api: ApiClient;
  walks: Walks;
  hotspots: Hotspots;
  pairwise: Pairwise;
  focused: string | null;
  /** Fly the map to a hotspot and mark it. */
  show: (h: Hotspot) => void;
  extraLayers: readonly object[];
}

export function useWalksFeature({ api, dispatch, active }: WalksFeatureDeps): WalksFeature {
  const walks = useWalks(api, active);
  const walkId = walks.selectedId;
  const hotspots = useHotspots(api, walkId, active);
  const pairwise = usePairwise(api, walkId, active);
  const [focused, setFocused] = useState<string | null>(null);
  const show = useCallback((h: Hotspot) => {
    setFocused(h.properties.id);
    const bbox = hotspotBbox(h);
    if (bbox) dispatch({ type: 'focus/bbox', bbox });
  }, [dispatch]);
  const walk = walks.selected?.walk ?? null;
  const extraLayers = useMemo(
    () => (active && walkId !== null ? createWalkLayers({ hotspots: hotspots.hotspots, route: walk?.route ?? null, area: walk?.area ?? null, focused }) : []),
    [active, walkId, hotspots.hotspots, walk, focused],
  );
  return { api, walks, hotspots, pairwise, focused, show, extraLayers };
}
