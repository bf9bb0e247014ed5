/** The planned works for the deck.gl overlay, loaded once. */
import { useEffect, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient } from '../api/client.ts';
import { toWorkFeatures, type WorkGeoJson } from '../layers/works-layer.ts';
import type { AppAction } from '../state/app-state.ts';

const NO_WORKS: readonly WorkGeoJson[] = [];

export function useWorks(api: ApiClient, dispatch: Dispatch<AppAction>): readonly WorkGeoJson[] {
  const [works, setWorks] = useState<readonly WorkGeoJson[]>(NO_WORKS);
  useEffect(() => {
    const abort = new AbortController();
    api.getWorks(abort.signal).then(
      (collection) => setWorks(toWorkFeatures(collection)),
      (err: unknown) => {
        if (!isAbortError(err)) dispatch({ type: 'notice/show', key: 'errorWorks', detail: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [api, dispatch]);
  return works;
}
