import { describe, expect, it } from 'vitest';
import { isImportJob } from '../../api/import-guards.ts';
import type { ImportJob } from '../../api/types.ts';
import { makeJob, REPORT } from './job-fixture.ts';
import { followImportJob, isStreamEnd, parseJobEvent, type EventSourceLike, type JobStreamDeps } from './job-stream.ts';

class FakeEventSource implements EventSourceLike {
  closed = false;
  private listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: 'job' | 'error', listener: (event: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: 'job' | 'error', data?: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
  close(): void {
    this.closed = true;
  }
}

/** Timers run by hand: `tick()` fires the pending one. */
function manualTimers() {
  let pending: (() => void) | null = null;
  return {
    setTimer: (fn: () => void) => {
      pending = fn;
      return 1;
    },
    clearTimer: () => {
      pending = null;
    },
    tick: () => {
      const fn = pending;
      pending = null;
      fn?.();
    },
    get pending() {
      return pending !== null;
    },
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function setup(answers: (ImportJob | Error)[], withEvents = true) {
  const timers = manualTimers();
  const sources: FakeEventSource[] = [];
  const seen: ImportJob[] = [];
  const errors: unknown[] = [];
  let polls = 0;
  const deps: JobStreamDeps = {
    openEvents: withEvents
      ? (url) => {
          const s = new FakeEventSource(url);
          sources.push(s);
          return s;
        }
      : null,
    eventsUrl: '/api/imports/job-1/events',
    getJob: () => {
      const answer = answers[Math.min(polls, answers.length - 1)];
      polls += 1;
      return answer instanceof Error || answer === undefined ? Promise.reject(answer ?? new Error('none')) : Promise.resolve(answer);
    },
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    maxPollFailures: 2,
  };
  const stop = followImportJob(deps, { onJob: (j) => seen.push(j), onError: (e) => errors.push(e) });
  return { timers, sources, seen, errors, stop, polls: () => polls };
}

describe('isImportJob', () => {
  it('accepts the contract’s job in every state', () => {
    expect(isImportJob(makeJob())).toBe(true);
    expect(isImportJob(makeJob({ state: 'done', report: REPORT }))).toBe(true);
    expect(isImportJob(makeJob({ state: 'failed', error: { code: 'x', message: 'y', where: 'z' }, crs: null, preview: null, proposedMapping: null }))).toBe(true);
  });

  it('rejects unknown states and formats, bad mappings, bad reports and non-scalar sample values', () => {
    expect(isImportJob({ ...makeJob(), state: 'paused' })).toBe(false);
    expect(isImportJob({ ...makeJob(), format: 'dwg' })).toBe(false);
    expect(isImportJob({ ...makeJob(), proposedMapping: { preset: null, mapping: { system: { value: 'kabelgoot' } } } })).toBe(false);
    expect(isImportJob({ ...makeJob(), report: { ...REPORT, loaded: '2' } })).toBe(false);
    expect(isImportJob({ ...makeJob(), sample: [{ a: { nested: true } }] })).toBe(false);
    expect(isImportJob({ ...makeJob(), progress: { phase: 'load', parsed: 1, loaded: 1, total: 1 } })).toBe(false);
    expect(isImportJob(null)).toBe(false);
  });
});

describe('parseJobEvent', () => {
  it('parses and guards the data of an SSE job event', () => {
    expect(parseJobEvent(JSON.stringify(makeJob()))?.id).toBe('job-1');
    expect(parseJobEvent('{not json')).toBeNull();
    expect(parseJobEvent(JSON.stringify({ id: 'x' }))).toBeNull();
    expect(parseJobEvent(undefined)).toBeNull();
  });
});

describe('isStreamEnd', () => {
  it('ends on terminal states and when the mapping is awaited', () => {
    expect(['analysing', 'loading'].map((s) => isStreamEnd(s as never))).toEqual([false, false]);
    expect(['awaiting-mapping', 'done', 'failed', 'cancelled'].every((s) => isStreamEnd(s as never))).toBe(true);
  });
});

describe('followImportJob', () => {
  it('hands on the jobs of the event stream and closes it when the job waits for the mapping', () => {
    const { sources, seen } = setup([]);
    const source = sources[0];
    expect(source?.url).toBe('/api/imports/job-1/events');
    source?.emit('job', JSON.stringify(makeJob({ state: 'analysing' })));
    source?.emit('job', JSON.stringify(makeJob()));
    source?.emit('job', JSON.stringify(makeJob({ state: 'loading' })));
    expect(seen.map((j) => j.state)).toEqual(['analysing', 'awaiting-mapping']);
    expect(source?.closed).toBe(true);
  });

  it('falls back to polling every second when the stream fails, until the job is done', async () => {
    const { sources, seen, timers, polls } = setup([makeJob({ state: 'loading' }), makeJob({ state: 'done', report: REPORT })]);
    sources[0]?.emit('error');
    expect(sources[0]?.closed).toBe(true);
    await flush();
    expect(seen.map((j) => j.state)).toEqual(['loading']);
    expect(timers.pending).toBe(true);
    timers.tick();
    await flush();
    expect(seen.map((j) => j.state)).toEqual(['loading', 'done']);
    expect(timers.pending).toBe(false);
    expect(polls()).toBe(2);
  });

  it('polls from the start without EventSource and gives up after repeated failures', async () => {
    const { errors, timers } = setup([new Error('502')], false);
    await flush();
    timers.tick();
    await flush();
    expect(errors).toHaveLength(1);
    expect(timers.pending).toBe(false);
  });

  it('treats an event that is not a job as a broken stream', async () => {
    const { sources, seen } = setup([makeJob({ state: 'loading' })]);
    sources[0]?.emit('job', '{"id":1}');
    await flush();
    expect(sources[0]?.closed).toBe(true);
    expect(seen.map((j) => j.state)).toEqual(['loading']);
  });

  it('stops: no more jobs after stop()', async () => {
    const { sources, seen, stop, timers } = setup([makeJob({ state: 'loading' })]);
    stop();
    sources[0]?.emit('job', JSON.stringify(makeJob({ state: 'loading' })));
    await flush();
    expect(seen).toEqual([]);
    expect(sources[0]?.closed).toBe(true);
    expect(timers.pending).toBe(false);
  });
});
