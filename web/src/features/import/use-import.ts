/**
 * The import flow wired to the API: upload (with byte progress), following the job (SSE, else
 * polling), load with the corrected mapping, cancel, close. The state itself is the pure
 * import-flow reducer; this hook only starts and stops the I/O.
 */
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import type { Bbox, ImportJob } from '../../api/types.ts';
import { previewBbox } from '../../layers/import-preview-layers.ts';
import { flowJob, initialImportFlow, isBusy, isRunning, loadRequestOf, updateImportFlow, type ImportFlow, type ImportFlowAction } from './import-flow.ts';
import { followImportJob, isStreamEnd, type EventSourceLike } from './job-stream.ts';

export interface ImportDeps {
  api: ApiClient;
  /** EventSource factory; null where there is none (then the job is polled). */
  openEvents: ((url: string) => EventSourceLike) | null;
  /** A load finished: refresh layers and datasets. Called once per job. */
  onLoaded: (job: ImportJob) => void;
  /** Move the camera (to the preview). */
  onFocus: (bbox: Bbox) => void;
}

export interface UseImport {
  flow: ImportFlow;
  dispatch: Dispatch<ImportFlowAction>;
  /** Start importing a file; false (nothing happens) while another import is busy. */
  start: (file: File) => boolean;
  /** Analyse the same file again with the analyst's CRS (review step only). */
  reanalyse: (epsg: number) => void;
  submit: () => void;
  /** Stop the upload or the job; in the review step this also closes the dialog. */
  cancel: () => void;
  /** Close the dialog; ignored while work is running (cancel first). */
  close: () => void;
}

function browserTimers(): { setTimer: (fn: () => void, ms: number) => unknown; clearTimer: (handle: unknown) => void } {
  return {
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (handle) => window.clearTimeout(typeof handle === 'number' ? handle : undefined),
  };
}

export function useImport(deps: ImportDeps): UseImport {
  const [flow, dispatch] = useReducer(updateImportFlow, initialImportFlow);
  const live = useRef({ flow, deps });
  useLayoutEffect(() => {
    live.current = { flow, deps };
  });
  const io = useRef<{ stopFollowing: () => void; upload: AbortController | null; file: File | null }>({ stopFollowing: () => undefined, upload: null, file: null });

  const follow = useCallback((job: ImportJob) => {
    io.current.stopFollowing();
    if (isStreamEnd(job.state)) return;
    const { api, openEvents } = live.current.deps;
    io.current.stopFollowing = followImportJob(
      { openEvents, eventsUrl: api.importEventsUrl(job.id), getJob: (signal) => api.getImport(job.id, signal), ...browserTimers() },
      {
        onJob: (next) => dispatch({ type: 'import/job', job: next }),
        onError: (err) => dispatch({ type: 'import/failed', message: describeError(err) }),
      },
    );
  }, []);

  const upload = useCallback(
    (file: File, epsg?: number): void => {
      io.current.file = file;
      dispatch({ type: epsg === undefined ? 'import/upload' : 'import/reupload', fileName: file.name, size: file.size });
      const abort = new AbortController();
      io.current.upload = abort;
      const onProgress = (sent: number, total: number): void => dispatch({ type: 'import/uploadProgress', sent, total });
      live.current.deps.api.uploadImport(file, file.name, onProgress, abort.signal, epsg).then(
        (job) => {
          dispatch({ type: 'import/job', job });
          follow(job);
        },
        (err: unknown) => dispatch(isAbortError(err) ? { type: 'import/aborted' } : { type: 'import/failed', message: describeError(err) }),
      );
    },
    [follow],
  );

  const start = useCallback(
    (file: File): boolean => {
      if (isBusy(live.current.flow)) return false;
      upload(file);
      return true;
    },
    [upload],
  );

  const reanalyse = useCallback(
    (epsg: number) => {
      const current = live.current.flow;
      const file = io.current.file;
      if (current.step !== 'review' || current.submitting || file === null) return;
      io.current.stopFollowing();
      live.current.deps.api.cancelImport(current.job.id).catch(() => undefined);
      upload(file, epsg);
    },
    [upload],
  );

  const submit = useCallback(() => {
    const current = live.current.flow;
    if (current.step !== 'review' || current.submitting) return;
    const checked = loadRequestOf(current.draft);
    if ('problem' in checked) {
      dispatch({ type: 'import/submitFailed', error: { problem: checked.problem } });
      return;
    }
    dispatch({ type: 'import/submit' });
    live.current.deps.api.loadImport(current.job.id, checked.request).then(
      (job) => {
        dispatch({ type: 'import/job', job });
        follow(job);
      },
      (err: unknown) => dispatch({ type: 'import/submitFailed', error: { message: describeError(err) } }),
    );
  }, [follow]);

  const cancel = useCallback(() => {
    const current = live.current.flow;
    if (current.step === 'uploading') {
      io.current.upload?.abort();
      return;
    }
    const job = flowJob(current);
    if (job === null || !isBusy(current)) return;
    const request = live.current.deps.api.cancelImport(job.id);
    if (current.step === 'review') {
      // Nothing runs while the job waits for the mapping: close at once, the API drops the job.
      io.current.stopFollowing();
      dispatch({ type: 'import/close' });
      request.catch(() => undefined);
      return;
    }
    // The answer (state 'cancelled') ends the flow; if the job finished first, its own events say so.
    request.then((cancelled) => dispatch({ type: 'import/job', job: cancelled }), () => undefined);
  }, []);

  const close = useCallback(() => {
    const current = live.current.flow;
    if (isRunning(current)) return;
    if (current.step === 'review') {
      cancel();
      return;
    }
    io.current.stopFollowing();
    dispatch({ type: 'import/close' });
  }, [cancel]);

  useEffect(() => {
    const current = io.current;
    return () => {
      current.stopFollowing();
      current.upload?.abort();
    };
  }, []);

  useReportedJob(flow, deps);
  return { flow, dispatch, start, reanalyse, submit, cancel, close };
}

/** Side effects of what the job shows: fit the map to a new preview; refresh after a load, once. */
function useReportedJob(flow: ImportFlow, deps: Pick<ImportDeps, 'onLoaded' | 'onFocus'>): void {
  const job = flowJob(flow);
  const seen = useRef<{ previewOf: string | null; loaded: string | null }>({ previewOf: null, loaded: null });
  const { onLoaded, onFocus } = deps;
  useEffect(() => {
    if (!job?.preview || seen.current.previewOf === job.id) return;
    const bbox = previewBbox(job.preview);
    if (bbox === null) return;
    seen.current.previewOf = job.id;
    onFocus(bbox);
  }, [job, onFocus]);
  useEffect(() => {
    if (flow.step !== 'report' || seen.current.loaded === flow.job.id) return;
    seen.current.loaded = flow.job.id;
    onLoaded(flow.job);
  }, [flow, onLoaded]);
}
