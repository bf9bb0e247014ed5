import { afterEach, describe, expect, it, vi } from 'vitest';
import { WALK_CHANNEL } from '../db/change-listener.ts';
import { walkEvents } from './live.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the walk live feed', () => {
  it('announces a change made here and a NOTIFY from any process, to that walk only', () => {
    const events = walkEvents();
    events.notices.connected();
    const seen: string[] = [];
    events.subscribe(7, () => seen.push('7'));
    events.subscribe(8, () => seen.push('8'));
    events.changed(7, 'h1');
    events.notices.changed('8');
    events.notices.changed('not a walk');
    expect(seen).toEqual(['7', '8']);
    expect(events.notices.channel).toBe(WALK_CHANNEL);
  });

  it('reads the followed walks every pollMs while the listener is down, and once more when it is back', () => {
    vi.useFakeTimers();
    const events = walkEvents(1000);
    let heard = 0;
    const stop = events.subscribe(3, () => heard++);
    events.notices.disconnected();
    vi.advanceTimersByTime(2500);
    expect(heard).toBe(2);
    events.notices.connected();
    expect(heard).toBe(3);
    vi.advanceTimersByTime(5000);
    expect(heard).toBe(3);
    stop();
    stop(); // twice is harmless
    events.notices.changed('3');
    expect(heard).toBe(3);
  });
});
