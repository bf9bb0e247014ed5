import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledSaver } from './job-worker.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('progress writes', () => {
  it('write at most once per interval, and the last state always', async () => {
    vi.useFakeTimers();
    const writes: number[] = [];
    const saver = throttledSaver(async () => (writes.push(Date.now()), true), 250, () => undefined);
    for (let t = 0; t < 1000; t += 10) {
      saver.poke();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < writes.length; i++) expect((writes[i] ?? 0) - (writes[i - 1] ?? 0)).toBeGreaterThanOrEqual(250);
    expect(writes.at(-1)).toBeGreaterThanOrEqual(990 - 250); // the trailing write after the last poke
    await saver.stop();
  });

  it('tells the step when a write finds the job no longer its own', async () => {
    let lost = 0;
    const saver = throttledSaver(async () => false, 0, () => lost++);
    saver.poke();
    await new Promise((r) => setTimeout(r, 10));
    await saver.stop();
    expect(lost).toBe(1);
  });
});
