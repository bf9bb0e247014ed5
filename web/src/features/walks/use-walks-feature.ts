/**
 * Everything the wijkschouw tab needs, composed for App (issue 7): the walks, the live hotspots of
 * the selected walk, the atelier, the hotspot looked at last (the map flies to it), and the
 * deck.gl layers it adds to the map while the tab is open (with the route of a new walk as it is drawn).
 */
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useMemo, useState, type Dispatch } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { Hotspot } from '../../api/walk-endpoints.ts';
import { createWalkLayers } from '../../layers/walk-layers.ts';
import type { AppAction } from '../../state/app-state.ts';
import { draftGeometry } from './route-draft.ts';
import { useHotspots, type Hotspots } from './use-hotspots.ts';
import { type RouteDrawing, useRouteDrawing } from './use-route-drawing.ts';
import { usePairwise, type Pairwise } from './use-pairwise.ts';
import { useWalks, type Walks } from './use-walks.ts';
import { hotspotBbox } from './walk-logic.ts';

export interface WalksFeatureDeps {
  api: ApiClient;
  dispatch: Dispatch<AppAction>;
  /** The wijkschouw tab is open (and the user may run walks): only then is anything fetched or drawn. */
  active: boolean;
  /** The map the route of a new walk is drawn on (null until there is one). */
  map: maplibregl.Map | null;
}

export interface WalksFeature {
  api: ApiClient;
  walks: Walks;
  hotspots: Hotspots;
  pairwise: Pairwise;
  focused: string | null;
  /** Fly the map to a hotspot and mark it. */
  show: (h: Hotspot) => void;
  /** The route of the walk being made, drawn on the map. */
  route: RouteDrawing;
  /** Drawing a route: map clicks add points and select nothing. */
  drawing: boolean;
  extraLayers: readonly object[];
}

export function useWalksFeature({ api, dispatch, active, map }: WalksFeatureDeps): WalksFeature {
  const walks = useWalks(api, active);
  const walkId = walks.selectedId;
  const hotspots = useHotspots(api, walkId, active);
  const pairwise = usePairwise(api, walkId, active);
  const [focused, setFocused] = useState<string | null>(null);
  const route = useRouteDrawing(active ? map : null);
  const show = useCallback((h: Hotspot) => {
    setFocused(h.properties.id);
    const bbox = hotspotBbox(h);
    if (bbox) dispatch({ type: 'focus/bbox', bbox });
  }, [dispatch]);
  const walk = walks.selected?.walk ?? null;
  const draft = route.draft;
  const extraLayers = useMemo(() => {
    if (!active) return [];
    if (walkId !== null) return createWalkLayers({ hotspots: hotspots.hotspots, route: walk?.route ?? null, area: walk?.area ?? null, focused });
    const drawn = draftGeometry(draft);
    return drawn ? createWalkLayers({ hotspots: [], route: drawn, area: null, focused: null }) : [];
  }, [active, walkId, hotspots.hotspots, walk, focused, draft]);
  return { api, walks, hotspots, pairwise, focused, show, route, drawing: active && draft.drawing, extraLayers };
}
