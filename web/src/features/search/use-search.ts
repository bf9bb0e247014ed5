/** Search as you type (debounced) or on submit; only the latest query's answer counts. */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient, type SearchResult } from '../../api/client.ts';
import type { AppAction } from '../../state/app-state.ts';

export const SEARCH_DEBOUNCE_MS = 250;
export const SEARCH_MIN_CHARS = 2;

export type SearchState =
  | { status: 'idle' }
  | { status: 'busy'; query: string }
  | { status: 'done'; query: string; results: SearchResult[] };

export interface UseSearch {
  state: SearchState;
  /** Search now (form submit). */
  run: (query: string) => void;
  /** Search after a short pause (typing). */
  schedule: (query: string) => void;
  reset: () => void;
}

export function useSearch(api: ApiClient, dispatch: Dispatch<AppAction>): UseSearch {
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const pending = useRef<{ timer: number; abort: AbortController | null }>({ timer: 0, abort: null });

  const cancel = useCallback(() => {
    window.clearTimeout(pending.current.timer);
    pending.current.abort?.abort();
    pending.current.abort = null;
  }, []);

  const run = useCallback(
    (raw: string) => {
      cancel();
      const query = raw.trim();
      if (query.length === 0) {
        setState({ status: 'idle' });
        return;
      }
      const abort = new AbortController();
      pending.current.abort = abort;
      setState({ status: 'busy', query });
      api.search(query, abort.signal).then(
        ({ results }) => setState({ status: 'done', query, results }),
        (err: unknown) => {
          if (isAbortError(err)) return;
          setState({ status: 'idle' });
          dispatch({ type: 'notice/show', key: 'errorSearch', detail: describeError(err) });
        },
      );
    },
    [api, cancel, dispatch],
  );

  const schedule = useCallback(
    (raw: string) => {
      cancel();
      if (raw.trim().length < SEARCH_MIN_CHARS) {
        setState({ status: 'idle' });
        return;
      }
      pending.current.timer = window.setTimeout(() => run(raw), SEARCH_DEBOUNCE_MS);
    },
    [cancel, run],
  );

  const reset = useCallback(() => {
    cancel();
    setState({ status: 'idle' });
  }, [cancel]);

  useEffect(() => cancel, [cancel]);
  return { state, run, schedule, reset };
}
