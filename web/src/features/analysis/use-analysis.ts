/**
 * The analysis panel's data (issue 6): findings and bundles, loaded when the panel opens and again
 * after every change of the plan (`revision`), decisions with their version (a stale one reloads
 * and says so), and the what-if input for the works in view.
 */
import { useCallback, useEffect, useMemo, useState, type Dispatch } from 'react';
import {
  type ApiBundle, type ApiFinding, type DecisionBody, type WhatIfInput, StaleDecisionError,
  deleteDecision, getBundles, getFindings, getWhatIfInput, putDecision,
} from '../../api/analysis-endpoints.ts';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import type { Bbox } from '../../api/types.ts';
import type { AppAction } from '../../state/app-state.ts';
import { whatIf, type WhatIfResult } from './what-if.ts';

export type AnalysisData =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; findings: ApiFinding[]; counts: Record<string, number>; bundles: ApiBundle[] };

export interface Analysis {
  data: AnalysisData;
  busy: boolean;
  reload: () => void;
  decide: (subject: string, body: DecisionBody, version: number | null) => Promise<boolean>;
  undo: (subject: string, version: number) => Promise<void>;
}

export function useAnalysis(api: ApiClient, dispatch: Dispatch<AppAction>, enabled: boolean, revision: number): Analysis {
  const [data, setData] = useState<AnalysisData>({ status: 'loading' });
  const [local, setLocal] = useState(0);
  const [busy, setBusy] = useState(false);
  const reload = useCallback(() => setLocal((n) => n + 1), []);
  useEffect(() => {
    if (!enabled) return undefined;
    const abort = new AbortController();
    Promise.all([getFindings(api, abort.signal), getBundles(api, abort.signal)]).then(
      ([f, bundles]) => setData({ status: 'ready', findings: f.findings, counts: f.counts, bundles }),
      (err: unknown) => {
        if (!isAbortError(err)) setData({ status: 'error', message: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [api, enabled, revision, local]);

  const decide = useCallback(async (subject: string, body: DecisionBody, version: number | null): Promise<boolean> => {
    setBusy(true);
    try {
      await putDecision(api, subject, body, version);
      return true;
    } catch (err) {
      dispatch({ type: 'notice/show', key: err instanceof StaleDecisionError ? 'decisionStale' : 'analysisError', detail: describeError(err) });
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  }, [api, dispatch, reload]);

  const undo = useCallback(async (subject: string, version: number): Promise<void> => {
    setBusy(true);
    try {
      await deleteDecision(api, subject, version);
    } catch (err) {
      dispatch({ type: 'notice/show', key: err instanceof StaleDecisionError ? 'decisionStale' : 'analysisError', detail: describeError(err) });
    } finally {
      setBusy(false);
      reload();
    }
  }, [api, dispatch, reload]);

  return { data, busy, reload, decide, undo };
}

export interface WhatIfState {
  months: number;
  setMonths: (m: number) => void;
  loading: boolean;
  result: WhatIfResult | null;
}

/** The what-if of the selected work: its input is fetched for the view once per work and revision. */
export function useWhatIf(api: ApiClient, workId: number | null, view: () => Bbox | null, revision: number): WhatIfState {
  const [months, setMonths] = useState(0);
  const [input, setInput] = useState<{ workId: number; data: WhatIfInput } | null>(null);
  useEffect(() => {
    setMonths(0);
    if (workId === null) return undefined;
    const bbox = view();
    if (!bbox) return undefined;
    const abort = new AbortController();
    getWhatIfInput(api, bbox, abort.signal).then((data) => setInput({ workId, data }), () => setInput(null));
    return () => abort.abort();
  }, [api, workId, view, revision]);
  const ready = input !== null && input.workId === workId;
  const result = useMemo(() => (ready && workId !== null ? whatIf(input.data, workId, months) : null), [ready, input, workId, months]);
  return { months, setMonths, loading: workId !== null && !ready, result };
}
