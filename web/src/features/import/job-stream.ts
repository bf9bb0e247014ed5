/**
 * Following an import job: the API's Server-Sent Events stream (`event: job`, data = the job),
 * and when that fails (no EventSource, a proxy that buffers, a dropped connection) polling
 * GET /api/imports/:id every second. Either way every job passes the guard before it is handed
 * on, and following stops by itself once the job ends or waits for the mapping.
 *
 * Written against small interfaces (EventSourceLike, timers) so it runs in unit tests.
 */
import { isImportJob } from '../../api/import-guards.ts';
import type { ImportJob, ImportState } from '../../api/types.ts';

/** The part of EventSource used here. */
export interface EventSourceLike {
  addEventListener(type: 'job' | 'error', listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

export interface JobStreamDeps {
  /** Opens the SSE stream; null where EventSource is unavailable (then it polls from the start). */
  openEvents: ((url: string) => EventSourceLike) | null;
  eventsUrl: string;
  getJob: (signal: AbortSignal) => Promise<ImportJob>;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  pollMs?: number;
  /** consecutive failed polls before giving up */
  maxPollFailures?: number;
}

export interface JobStreamHandlers {
  onJob: (job: ImportJob) => void;
  /** following failed for good (polling errors); the job may still run on the server */
  onError: (error: unknown) => void;
}

export const POLL_MS = 1000;
export const MAX_POLL_FAILURES = 5;

/** The stream ends with these states: the job is over, or waits for the analyst. */
export function isStreamEnd(state: ImportState): boolean {
  return state !== 'analysing' && state !== 'loading';
}

/** An SSE `data` field → a job, or null when it is not one. */
export function parseJobEvent(data: unknown): ImportJob | null {
  if (typeof data !== 'string') return null;
  try {
    const json: unknown = JSON.parse(data);
    return isImportJob(json) ? json : null;
  } catch {
    return null;
  }
}

/** Start following; returns `stop`, which also aborts a poll in flight. */
export function followImportJob(deps: JobStreamDeps, handlers: JobStreamHandlers): () => void {
  const pollMs = deps.pollMs ?? POLL_MS;
  const maxFailures = deps.maxPollFailures ?? MAX_POLL_FAILURES;
  const abort = new AbortController();
  let source: EventSourceLike | null = null;
  let timer: unknown = null;
  let failures = 0;
  let stopped = false;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    source?.close();
    source = null;
    if (timer !== null) deps.clearTimer(timer);
    abort.abort();
  };

  const deliver = (job: ImportJob): void => {
    if (stopped) return;
    handlers.onJob(job);
    if (isStreamEnd(job.state)) stop();
  };

  const poll = (): void => {
    timer = null;
    deps.getJob(abort.signal).then(
      (job) => {
        failures = 0;
        deliver(job);
        if (!stopped) timer = deps.setTimer(poll, pollMs);
      },
      (err: unknown) => {
        if (stopped) return;
        failures += 1;
        if (failures >= maxFailures) {
          stop();
          handlers.onError(err);
        } else {
          timer = deps.setTimer(poll, pollMs);
        }
      },
    );
  };

  const fallBackToPolling = (): void => {
    if (stopped || source === null) return;
    source.close();
    source = null;
    poll();
  };

  if (deps.openEvents === null) {
    poll();
    return stop;
  }
  source = deps.openEvents(deps.eventsUrl);
  source.addEventListener('job', (event) => {
    const job = parseJobEvent(event.data);
    if (job === null) fallBackToPolling();
    else deliver(job);
  });
  // EventSource would reconnect by itself; a GET per second is simpler to reason about.
  source.addEventListener('error', () => fallBackToPolling());
  return stop;
}
