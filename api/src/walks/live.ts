/**
 * The live feed of a walk (issue 7 §4): a hotspot that arrives or changes is announced to the
 * facilitator screens of that walk. In memory, per API process (one process serves a deployment,
 * decision 20); the Server-Sent Events stream resumes after a reconnect from the hotspot's `seq`
 * (Last-Event-ID), read back from the database, so nothing is missed while a screen was away.
 */
import { EventEmitter } from 'node:events';

export interface WalkEvents {
  changed(walkId: number, hotspotId: string): void;
  subscribe(walkId: number, listener: (hotspotId: string) => void): () => void;
}

export function walkEvents(): WalkEvents {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    changed: (walkId, hotspotId) => {
      bus.emit(`walk:${walkId}`, hotspotId);
    },
    subscribe: (walkId, listener) => {
      bus.on(`walk:${walkId}`, listener);
      return () => bus.off(`walk:${walkId}`, listener);
    },
  };
}
