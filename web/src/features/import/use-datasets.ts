/**
 * The imported datasets (GET /api/datasets), loaded once and again after every import, sign-in
 * and sign-out. When reloads overlap, only the latest one's answer is kept.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError, type ApiClient } from '../../api/client.ts';
import type { DatasetInfo } from '../../api/types.ts';

export type DatasetsState = { status: 'loading' } | { status: 'ready'; datasets: DatasetInfo[] } | { status: 'error' };

export interface UseDatasets {
  state: DatasetsState;
  /** Fetch again; resolves with the list, null on failure (the panel says so). */
  reload: () => Promise<DatasetInfo[] | null>;
}

export function useDatasets(api: ApiClient): UseDatasets {
  const [state, setState] = useState<DatasetsState>({ status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    api.getDatasets(abort.signal).then(
      (datasets) => setState({ status: 'ready', datasets }),
      (err: unknown) => {
        if (!isAbortError(err)) setState({ status: 'error' });
      },
    );
    return () => abort.abort();
  }, [api]);

  const latest = useRef(0);
  const reload = useCallback(() => {
    const seq = ++latest.current;
    return api.getDatasets().then(
      (datasets) => {
        if (seq === latest.current) setState({ status: 'ready', datasets });
        return datasets;
      },
      () => {
        if (seq === latest.current) setState({ status: 'error' });
        return null;
      },
    );
  }, [api]);
  return { state, reload };
}
