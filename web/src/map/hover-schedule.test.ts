import { describe, expect, it } from 'vitest';
import { scheduleHover, type HoverTimers } from './hover-schedule.ts';

class FakeTimers implements HoverTimers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; run: () => void }>();
  setTimeout(run: () => void, ms: number): number {
    const handle = this.next++;
    this.due.set(handle, { at: this.now + ms, run });
    return handle;
  }
  clearTimeout(handle: number): void {
    this.due.delete(handle);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const first = [...this.due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!first) break;
      this.due.delete(first[0]);
      this.now = first[1].at;
      first[1].run();
    }
    this.now = until;
  }
  get pending(): number {
    return this.due.size;
  }
}

describe('scheduleHover', () => {
  it('picks once per interval with the latest point, in a timer task rather than at once', () => {
    const timers = new FakeTimers();
    const picked: number[] = [];
    const hover = scheduleHover<number>((p) => picked.push(p), timers, 50);
    hover.moved(1);
    hover.moved(2);
    expect(picked).toEqual([]);
    timers.advance(49);
    hover.moved(3);
    expect(picked).toEqual([]);
    timers.advance(1);
    expect(picked).toEqual([3]);
    // a pointer that keeps moving still gets picks, one per interval
    for (let i = 4; i <= 13; i++) {
      hover.moved(i);
      timers.advance(10);
    }
    expect(picked).toEqual([3, 8, 13]);
    timers.advance(100);
    expect(picked).toEqual([3, 8, 13]);
    expect(timers.pending).toBe(0);
  });

  it('drops the pending pick when a button goes down or the map moves, and picks again after', () => {
    const timers = new FakeTimers();
    const picked: string[] = [];
    const hover = scheduleHover<string>((p) => picked.push(p), timers, 50);
    hover.moved('before the drag');
    timers.advance(20);
    hover.cancel();
    timers.advance(100);
    expect(picked).toEqual([]);
    expect(timers.pending).toBe(0);
    hover.moved('after the drag');
    timers.advance(50);
    expect(picked).toEqual(['after the drag']);
  });

  it('never picks after stop', () => {
    const timers = new FakeTimers();
    const picked: number[] = [];
    const hover = scheduleHover<number>((p) => picked.push(p), timers, 50);
    hover.moved(1);
    hover.stop();
    hover.moved(2);
    timers.advance(200);
    expect(picked).toEqual([]);
    expect(timers.pending).toBe(0);
  });
});
