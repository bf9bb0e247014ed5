/**
 * When the map works out what is under a resting pointer (decision 119). The pick asks MapLibre
 * for the rendered features in a small box, which decodes them from the tiles: 30-50 ms over dense
 * tiles under SwiftShader. Run in the animation frame, as before, it joined MapLibre's own frame in
 * one task (a long task at the start of every drag); here it runs in a task of its own, at most
 * once per `intervalMs` while the pointer moves (with the latest point), and never once a button is
 * pressed or the map moves: a drag or a zoom drops the pending pick.
 */
export interface HoverTimers {
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

export interface HoverSchedule<P> {
  /** The pointer moved to `point` with no button down. */
  moved(point: P): void;
  /** A button went down, the map began to move or the pointer left: drop the pending pick. */
  cancel(): void;
  stop(): void;
}

/** Time between picks while the pointer moves; short enough that the cursor follows the pointer. */
export const HOVER_INTERVAL_MS = 50;

export function scheduleHover<P>(pick: (point: P) => void, timers: HoverTimers, intervalMs = HOVER_INTERVAL_MS): HoverSchedule<P> {
  let pending: { point: P } | null = null;
  let timer: number | null = null;
  let stopped = false;
  const fire = (): void => {
    timer = null;
    const next = pending;
    pending = null;
    if (next && !stopped) pick(next.point);
  };
  const cancel = (): void => {
    pending = null;
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  return {
    moved(point) {
      if (stopped) return;
      pending = { point };
      // throttled, not debounced: a pointer that keeps moving still gets its hover
      timer ??= timers.setTimeout(fire, intervalMs);
    },
    cancel,
    stop() {
      stopped = true;
      cancel();
    },
  };
}
