/**
 * The planned works and the dig moratoria for the map and the timeline, loaded once and again
 * whenever `revision` changes (sign-in/out) or `reload()` is called (after an edit).
 */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient } from '../api/client.ts';
import type { MessageKey } from '../i18n/index.ts';
import { toMoratoriumFeatures, type MoratoriumGeoJson } from '../layers/moratoria-layer.ts';
import { toWorkFeatures, type WorkGeoJson } from '../layers/works-layer.ts';
import type { AppAction } from '../state/app-state.ts';

interface Loaded<T> {
  /** Empty until the first answer. */
  items: readonly T[];
  reload: () => void;
  /** True once the first fetch has answered or failed (a shared link waits for it). */
  loaded: boolean;
}

const NOTHING: readonly never[] = [];

/**
 * `revision` changes when the signed-in user does: the list is fetched again, and a failing fetch
 * then clears it (the previous user's data must not stay on screen). A failing `reload()` keeps
 * what is shown. Errors go to a notice.
 */
function useFeatureList<T>(fetchList: (signal: AbortSignal) => Promise<readonly T[]>, errorKey: MessageKey, dispatch: Dispatch<AppAction>, revision: number): Loaded<T> {
  const [items, setItems] = useState<readonly T[]>(NOTHING);
  const [loaded, setLoaded] = useState(false);
  const [local, setLocal] = useState(0);
  const reload = useCallback(() => setLocal((n) => n + 1), []);
  // after a change of user, until a fetch answers, a failure clears the list
  const fetchedRevision = useRef(revision);
  const unanswered = useRef(false);
  useEffect(() => {
    if (fetchedRevision.current !== revision) unanswered.current = true;
    fetchedRevision.current = revision;
    const abort = new AbortController();
    fetchList(abort.signal).then(
      (list) => {
        unanswered.current = false;
        setItems(list);
        setLoaded(true);
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        if (unanswered.current) setItems(NOTHING);
        unanswered.current = false;
        setLoaded(true);
        dispatch({ type: 'notice/show', key: errorKey, detail: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [fetchList, errorKey, dispatch, revision, local]);
  return { items, reload, loaded };
}

export interface WorksList {
  works: readonly WorkGeoJson[];
  /** Fetch the works again (after an edit); the current ones stay until the answer arrives. */
  reload: () => void;
  loaded: boolean;
}

export function useWorks(api: ApiClient, dispatch: Dispatch<AppAction>, revision = 0): WorksList {
  const fetchList = useCallback(async (signal: AbortSignal) => toWorkFeatures(await api.getWorks(signal)), [api]);
  const { items, reload, loaded } = useFeatureList(fetchList, 'errorWorks', dispatch, revision);
  return { works: items, reload, loaded };
}

export interface MoratoriaList {
  moratoria: readonly MoratoriumGeoJson[];
  /** Fetch the moratoria again (after an edit). */
  reload: () => void;
  loaded: boolean;
}

/** The dig moratoria (GET /api/moratoria); a failure (e.g. an API without moratoria yet) is a notice, nothing more. */
export function useMoratoria(api: ApiClient, dispatch: Dispatch<AppAction>, revision = 0): MoratoriaList {
  const fetchList = useCallback(async (signal: AbortSignal) => toMoratoriumFeatures(await api.getMoratoria(signal)), [api]);
  const { items, reload, loaded } = useFeatureList(fetchList, 'errorMoratoria', dispatch, revision);
  return { moratoria: items, reload, loaded };
}
