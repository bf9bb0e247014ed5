/**
 * The live feed of a walk (issue 7 §4): a hotspot that arrives or changes is announced to the
 * facilitator screens of that walk, on every API process (issue 9 §4). A change made through this
 * process is announced here at once; every change, through any process, also reaches each
 * process's change listener as NOTIFY samenhang_walks '<walk id>' (a trigger on hotspot, migration
 * 019). An announcement carries nothing but the walk: each Server-Sent Events stream then reads
 * what is new after its last `seq` from the database (decision 62), so an announcement heard twice
 * sends nothing twice, and a reconnect (Last-Event-ID) resumes from the table.
 *
 * While the listener is down the followed walks are re-read every `pollMs` and once more when it
 * is back, so a screen on another process misses nothing, it only hears it later.
 */
import { EventEmitter } from 'node:events';
import { WALK_CHANNEL, type ChangeTarget } from '../db/change-listener.ts';

export interface WalkEvents {
  /** a hotspot of the walk changed through this process */
  changed(walkId: number, hotspotId: string): void;
  /** `listener`: something of the walk may be new (read it from the database) */
  subscribe(walkId: number, listener: () => void): () => void;
  /** for the change listener (db/change-listener.ts): changes made through any process */
  readonly notices: ChangeTarget;
}

export function walkEvents(pollMs = 2000): WalkEvents {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const followed = new Map<number, number>(); // walk → number of listeners
  let live = false;
  let poll: NodeJS.Timeout | null = null;
  const announce = (walkId: number): void => {
    bus.emit(`walk:${walkId}`);
  };
  const announceAll = (): void => {
    for (const w of followed.keys()) announce(w);
  };
  const stopPolling = (): void => {
    if (poll !== null) clearInterval(poll);
    poll = null;
  };
  const ensurePolling = (): void => {
    if (live || poll !== null || followed.size === 0) return;
    poll = setInterval(() => (live || followed.size === 0 ? stopPolling() : announceAll()), pollMs);
    poll.unref();
  };
  return {
    changed: (walkId) => announce(walkId),
    subscribe: (walkId, listener) => {
      bus.on(`walk:${walkId}`, listener);
      followed.set(walkId, (followed.get(walkId) ?? 0) + 1);
      ensurePolling();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        bus.off(`walk:${walkId}`, listener);
        const n = (followed.get(walkId) ?? 1) - 1;
        if (n > 0) followed.set(walkId, n);
        else followed.delete(walkId);
      };
    },
    notices: {
      channel: WALK_CHANNEL,
      connected: () => {
        live = true;
        stopPolling();
        announceAll(); // what arrived while nobody listened
      },
      disconnected: () => {
        live = false;
        ensurePolling();
      },
      changed: (payload) => {
        const walkId = Number(payload);
        if (Number.isInteger(walkId) && walkId > 0) announce(walkId);
      },
    },
  };
}
