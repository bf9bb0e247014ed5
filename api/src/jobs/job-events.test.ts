import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobEvents, type JobNotice, parseJobNotice } from './job-events.ts';
import { type ImportJob, newJob } from './import-job.ts';

afterEach(() => {
  vi.useRealTimers();
});

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('import job events', () => {
  it('reads the trigger payload; anything else is ignored', () => {
    expect(parseJobNotice('{"id":"a","state":"loading","queued":true}')).toEqual({ id: 'a', state: 'loading', queued: true });
    expect(parseJobNotice('{"id":"a"}')).toBeNull();
    expect(parseJobNotice('nonsense')).toBeNull();
  });

  it('reads a followed job once per notice and hands it to every stream of it; every notice reaches the worker', async () => {
    const reads: string[] = [];
    const notices: JobNotice[] = [];
    const events = new JobEvents(async (id) => (reads.push(id), { ...newJob(id, 'f.geojson'), state: 'loading' }), (n) => notices.push(n));
    events.connected();
    const a: ImportJob[] = [];
    const b: ImportJob[] = [];
    events.subscribe('j1', (j) => a.push(j));
    events.subscribe('j1', (j) => b.push(j));
    events.changed('{"id":"j1","state":"loading","queued":false}');
    events.changed('{"id":"other","state":"done","queued":true}');
    await settle();
    expect(reads).toEqual(['j1']);
    expect(a.map((j) => j.state)).toEqual(['loading']);
    expect(b).toHaveLength(1);
    expect(notices.map((n) => n.id)).toEqual(['', 'j1', 'other']); // '' = connected: look for queued work
  });

  it('never reads one job twice at once: notices during a read give exactly one more read', async () => {
    let release: () => void = () => undefined;
    let reads = 0;
    const events = new JobEvents(async (id) => {
      reads++;
      await new Promise<void>((r) => (release = r));
      return newJob(id, 'f');
    }, () => undefined);
    events.connected();
    const got: ImportJob[] = [];
    events.subscribe('j', (j) => got.push(j));
    for (let i = 0; i < 3; i++) events.changed('{"id":"j","state":"loading"}');
    expect(reads).toBe(1);
    release();
    await settle();
    expect(reads).toBe(2);
    release();
    await settle();
    expect(reads).toBe(2);
    expect(got).toHaveLength(2);
  });

  it('polls the followed jobs while the listener is down', async () => {
    vi.useFakeTimers();
    let reads = 0;
    const events = new JobEvents(async (id) => (reads++, newJob(id, 'f')), () => undefined, 1000);
    events.subscribe('j', () => undefined);
    events.disconnected();
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(3);
    events.close();
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(3);
  });
});
