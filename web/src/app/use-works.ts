/** The planned works for the deck.gl overlay, loaded once and again whenever `revision` changes. */
import { useEffect, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient } from '../api/client.ts';
import { toWorkFeatures, type WorkGeoJson } from '../layers/works-layer.ts';
import type { AppAction } from '../state/app-state.ts';

const NO_WORKS: readonly WorkGeoJson[] = [];

/**
 * `revision` changes when the signed-in user does: the works are fetched again, and a failing
 * fetch then clears them (the previous user's works must not stay on screen).
 */
export function useWorks(api: ApiClient, dispatch: Dispatch<AppAction>, revision = 0): readonly WorkGeoJson[] {
  const [works, setWorks] = useState<readonly WorkGeoJson[]>(NO_WORKS);
  useEffect(() => {
    const abort = new AbortController();
    api.getWorks(abort.signal).then(
      (collection) => setWorks(toWorkFeatures(collection)),
      (err: unknown) => {
        if (isAbortError(err)) return;
        if (revision > 0) setWorks(NO_WORKS);
        dispatch({ type: 'notice/show', key: 'errorWorks', detail: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [api, dispatch, revision]);
  return works;
}
