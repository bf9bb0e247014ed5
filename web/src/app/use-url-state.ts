/**
 * The map state in the URL (issue 8): read once at start-up (readStartState; the App puts it into
 * its initial state and the map's first camera), then, once the works have loaded, the parts that
 * depend on data are applied (restore.ts); from then on every change is written back with
 * `history.replaceState` — no history entries, so the back button leaves the page as before; map
 * moves are written a moment after they end. Navigating to another link of this page (pasting it
 * into the address bar, or back/forward between two pasted links) changes only the hash, which
 * does not reload a page by itself: the page then reloads, so the new link is read like any other.
 */
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import type { ApiClient } from '../api/client.ts';
import { selectionCheck, visibleFacetActions } from '../features/share/restore.ts';
import type { WorksView } from '../features/works/use-works-view.ts';
import { FACETS } from '../features/works/works-filter.ts';
import type { MoratoriumGeoJson } from '../layers/moratoria-layer.ts';
import type { AppAction } from '../state/app-state.ts';
import type { Selection } from '../state/selection.ts';
import { formatShareHash, parseShareHash, type MapCamera, type ShareState, type SideTab } from '../state/url-state.ts';
import type { VisibilityState } from '../state/visibility.ts';

/** Map moves are written this long after the last one ended. */
const MOVE_DEBOUNCE_MS = 300;

/** The shared state of the address the page was opened with (for useState's initialiser). */
export function readStartState(): ShareState {
  return parseShareHash(window.location.hash);
}

export function readCamera(map: maplibregl.Map): MapCamera {
  const c = map.getCenter().wrap();
  return { center: [c.lng, c.lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
}

export interface UrlStateDeps {
  /** What readStartState gave at start-up. */
  start: ShareState;
  map: maplibregl.Map | null;
  visibility: VisibilityState;
  selection: Selection;
  worksView: WorksView;
  /** True once the first works list has been answered (or has failed). */
  worksLoaded: boolean;
  moratoria: readonly MoratoriumGeoJson[];
  moratoriaLoaded: boolean;
  /** The side tab shown. */
  tab: SideTab;
  api: Pick<ApiClient, 'getAsset'>;
  dispatch: Dispatch<AppAction>;
}

export interface UrlState {
  /** The link to the view as it is now (the address bar brought up to date first). */
  linkUrl: () => string;
}

/** Does applying the start state wait for the works (a filter on keys, or a selection)? */
function waitsForData(s: ShareState): boolean {
  return s.selection !== null || FACETS.some((f) => s.filter[f] !== 'all');
}

/** Apply the data-dependent part of the start state; resolves when done. */
function useRestore(deps: UrlStateDeps): boolean {
  const { start, worksView, worksLoaded, moratoria, moratoriaLoaded, api, dispatch } = deps;
  const [restored, setRestored] = useState(() => !waitsForData(start));
  const { all, dispatch: worksDispatch } = worksView;
  const filterRef = useRef(worksView.filter);
  filterRef.current = worksView.filter;
  const selectionRef = useRef(deps.selection);
  selectionRef.current = deps.selection;
  useEffect(() => {
    if (restored || !worksLoaded || !moratoriaLoaded) return;
    for (const action of visibleFacetActions(filterRef.current, all)) worksDispatch(action);
    const wanted = start.selection;
    const open = (): void => {
      // the user may have chosen something else meanwhile
      if (wanted && selectionRef.current === null) dispatch({ type: 'selection/select', kind: wanted.kind, id: wanted.id });
    };
    const check = selectionCheck(wanted, all, moratoria);
    if (check === 'open') open();
    if (check !== 'ask' || wanted === null) {
      setRestored(true);
      return;
    }
    // an asset: opened only when the server shows it to this user; otherwise dropped silently
    const abort = new AbortController();
    api.getAsset(wanted.id, abort.signal).then(
      () => {
        open();
        setRestored(true);
      },
      () => {
        if (!abort.signal.aborted) setRestored(true);
      },
    );
    return () => abort.abort();
  }, [restored, worksLoaded, moratoriaLoaded, all, moratoria, worksDispatch, start, api, dispatch]);
  return restored;
}

export function useUrlState(deps: UrlStateDeps): UrlState {
  const restored = useRestore(deps);
  const { map, start } = deps;
  const current = useRef<ShareState>(start);
  current.current = { camera: start.camera, visibility: deps.visibility, filter: deps.worksView.filter, tab: deps.tab, selection: deps.selection };
  const restoredRef = useRef(restored);
  restoredRef.current = restored;
  /** The hash last written by this page (to tell a navigation from our own writes). */
  const written = useRef(window.location.hash);

  const write = useCallback((): void => {
    if (!restoredRef.current) return;
    const state = current.current;
    const hash = formatShareHash(map ? { ...state, camera: readCamera(map) } : state);
    const { pathname, search } = window.location;
    const url = `${pathname}${search}${hash === '' ? '' : `#${hash}`}`;
    if (url !== `${pathname}${search}${window.location.hash}`) window.history.replaceState(window.history.state, '', url);
    written.current = window.location.hash;
  }, [map]);

  // every change of the shared state (and the map's arrival) is written at once
  const { visibility, selection, tab } = deps;
  const { filter } = deps.worksView;
  useEffect(() => write(), [write, restored, visibility, selection, filter, tab]);

  useEffect(() => {
    if (!map) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMoveEnd = (): void => {
      clearTimeout(timer);
      timer = setTimeout(write, MOVE_DEBOUNCE_MS);
    };
    map.on('moveend', onMoveEnd);
    return () => {
      clearTimeout(timer);
      map.off('moveend', onMoveEnd);
    };
  }, [map, write]);

  useEffect(() => {
    const onHashChange = (): void => {
      if (window.location.hash !== written.current) window.location.reload();
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const linkUrl = useCallback((): string => {
    write();
    return window.location.href;
  }, [write]);
  return { linkUrl };
}
