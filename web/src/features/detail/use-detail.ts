/**
 * Details of the selected asset or work, fetched when the selection changes. A dig moratorium's
 * details come with the moratoria already loaded for the map.
 */
import { useEffect, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient, type AssetDetail, type MoratoriumProperties, type WorkDetail } from '../../api/client.ts';
import type { MoratoriumGeoJson } from '../../layers/moratoria-layer.ts';
import type { AppAction } from '../../state/app-state.ts';
import type { Selection } from '../../state/selection.ts';

export type DetailState =
  | { status: 'idle' }
  | { status: 'loading'; selection: NonNullable<Selection> }
  | { status: 'asset'; selection: NonNullable<Selection>; asset: AssetDetail }
  | { status: 'work'; selection: NonNullable<Selection>; work: WorkDetail }
  | { status: 'moratorium'; selection: NonNullable<Selection>; moratorium: MoratoriumProperties };

function load(api: ApiClient, selection: NonNullable<Selection>, signal: AbortSignal): Promise<DetailState> {
  if (selection.kind === 'asset') return api.getAsset(selection.id, signal).then((asset) => ({ status: 'asset', selection, asset }));
  return api.getWork(selection.id, signal).then((work) => ({ status: 'work', selection, work }));
}

/**
 * On failure the API message goes to a notice and the selection is cleared,
 * so the panel never shows stale details under a new heading.
 */
export function useDetail(api: ApiClient, selection: Selection, dispatch: Dispatch<AppAction>, moratoria: readonly MoratoriumGeoJson[] = []): DetailState {
  const [loaded, setLoaded] = useState<DetailState>({ status: 'idle' });
  useEffect(() => {
    if (!selection || selection.kind === 'moratorium') return;
    const abort = new AbortController();
    load(api, selection, abort.signal).then(setLoaded, (err: unknown) => {
      if (isAbortError(err)) return;
      dispatch({ type: 'notice/show', key: 'errorDetail', detail: describeError(err) });
      dispatch({ type: 'selection/clear' });
    });
    return () => abort.abort();
  }, [api, selection, dispatch]);
  if (!selection) return { status: 'idle' };
  if (selection.kind === 'moratorium') {
    const found = moratoria.find((m) => m.properties.id === selection.id);
    return found ? { status: 'moratorium', selection, moratorium: found.properties } : { status: 'loading', selection };
  }
  // Until the fetch for this selection answers, show loading (not the previous feature).
  if (loaded.status === 'idle' || loaded.selection !== selection) return { status: 'loading', selection };
  return loaded;
}
