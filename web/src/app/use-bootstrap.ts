/** What the map needs before it can be created: the layer catalogue and the config. */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient, type ConfigResponse, type LayersResponse } from '../api/client.ts';
import type { AppAction } from '../state/app-state.ts';

export type Bootstrap =
  | { status: 'loading' }
  | { status: 'ready'; layers: LayersResponse | null; config: ConfigResponse | null };

/** Fetch /api/layers again (after an import); resolves with the new catalogue, null on failure. */
export type ReloadLayers = () => Promise<LayersResponse | null>;

/**
 * Loads /api/layers and /api/config once. A failing catalogue becomes a notice
 * and a map with the basemap only; a failing config simply means no online basemap.
 * The catalogue can be reloaded (after an import, a sign-in or a sign-out); the map then adds the
 * systems that appeared. When reloads overlap, only the latest one's answer is kept.
 */
export function useBootstrap(api: ApiClient, dispatch: Dispatch<AppAction>): [Bootstrap, ReloadLayers] {
  const [state, setState] = useState<Bootstrap>({ status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    void Promise.allSettled([api.getLayers(abort.signal), api.getConfig(abort.signal)]).then(([layers, config]) => {
      if (abort.signal.aborted) return;
      if (layers.status === 'rejected' && !isAbortError(layers.reason)) {
        dispatch({ type: 'notice/show', key: 'errorLayers', detail: describeError(layers.reason) });
      }
      setState({
        status: 'ready',
        layers: layers.status === 'fulfilled' ? layers.value : null,
        config: config.status === 'fulfilled' ? config.value : null,
      });
    });
    return () => abort.abort();
  }, [api, dispatch]);

  const latest = useRef(0);
  const reloadLayers = useCallback<ReloadLayers>(() => {
    const seq = ++latest.current;
    return api.getLayers().then(
      (layers) => {
        if (seq === latest.current) setState((s) => (s.status === 'ready' ? { ...s, layers } : s));
        return layers;
      },
      (err: unknown) => {
        dispatch({ type: 'notice/show', key: 'errorLayers', detail: describeError(err) });
        return null;
      },
    );
  }, [api, dispatch]);
  return [state, reloadLayers];
}
