/**
 * The area report's state in the dialog (issue 8): the municipalities to choose from, then one
 * report at a time — started, polled every half second until it is done or failed (the server
 * keeps the job; polling is simple and survives a proxy that buffers streams).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client.ts';
import { describeError, isAbortError } from '../../api/client.ts';
import { type ReportAreaOption, type ReportJob, getReport, getReportAreas, startReport } from './report-api.ts';

export type ReportState =
  | { status: 'idle' }
  | { status: 'starting' }
  | { status: 'running' | 'done'; job: ReportJob }
  | { status: 'failed'; message: string; job: ReportJob | null };

const POLL_MS = 500;

export function useReport(api: ApiClient) {
  const [areas, setAreas] = useState<ReportAreaOption[] | null>(null);
  const [state, setState] = useState<ReportState>({ status: 'idle' });

  useEffect(() => {
    const abort = new AbortController();
    getReportAreas(api, abort.signal).then(setAreas, (err: unknown) => {
      if (!isAbortError(err)) setAreas([]);
    });
    return () => abort.abort();
  }, [api]);

  const jobId = state.status === 'running' ? state.job.id : null;
  useEffect(() => {
    if (jobId === null) return undefined;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      getReport(api, jobId, abort.signal).then(
        (job) => setState(job.status === 'done' ? { status: 'done', job } : job.status === 'failed' ? { status: 'failed', message: job.error ?? job.step, job } : { status: 'running', job }),
        (err: unknown) => {
          if (!isAbortError(err)) setState({ status: 'failed', message: describeError(err), job: null });
        },
      );
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, jobId, state]);

  const start = useCallback(async (body: unknown) => {
    setState({ status: 'starting' });
    try {
      const job = await startReport(api, body);
      setState({ status: 'running', job });
    } catch (err) {
      setState({ status: 'failed', message: describeError(err), job: null });
    }
  }, [api]);

  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { areas, state, start, reset };
}
