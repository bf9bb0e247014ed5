/**
 * The hotspots of the selected walk, live (issue 7): the list (GET /api/walks/:id/hotspots), then
 * the Server-Sent Events stream (/api/walks/:id/events, same origin, the session cookie
 * authenticates). The browser reconnects by itself and resumes with Last-Event-ID; when the stream
 * is closed for good (an HTTP error) it is opened again after a pause, resuming after the last
 * event seen. Every time the stream (re)opens the list is read again, so nothing that arrived in
 * between is missed; everything is merged by id and version (mergeHotspots). Moderation and
 * grouping send If-Match with the version shown; a 412 reloads the list and says so.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import {
  getHotspots, parseHotspotEvent, patchHotspot, walkEventsUrl, type Hotspot, type HotspotChangeBody, type HotspotStatus,
} from '../../api/walk-endpoints.ts';
import { saveOrReload } from './save-or-reload.ts';
import { lastSeq, mergeHotspots } from './walk-logic.ts';

/** The part of EventSource used here. */
export interface HotspotStream {
  addEventListener(type: string, listener: (event: { data?: unknown; lastEventId?: string }) => void): void;
  close(): void;
  readonly readyState: number;
}
export type OpenStream = (url: string) => HotspotStream;

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

const CLOSED = 2;
const REOPEN_MS = 3000;
const POLL_MS = 10_000;

export const browserStream: OpenStream | null = typeof EventSource === 'undefined' ? null : (url) => new EventSource(url);

export interface HotspotMessage { kind: 'stale' | 'error'; message: string }

export interface Hotspots {
  hotspots: readonly Hotspot[];
  loaded: boolean;
  error: string | null;
  live: LiveState;
  busy: string | null;
  message: HotspotMessage | null;
  moderate: (h: Hotspot, status: HotspotStatus) => Promise<void>;
  /** Put a hotspot in a group of the studio (null: none). Resolves to true when saved. */
  setCluster: (h: Hotspot, cluster: string | null) => Promise<boolean>;
}

export function useHotspots(api: ApiClient, walkId: number | null, active: boolean, openStream: OpenStream | null = browserStream): Hotspots {
  const [hotspots, setHotspots] = useState<readonly Hotspot[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveState>('off');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<HotspotMessage | null>(null);
  const shownFor = useRef<number | null>(null);
  const merge = useCallback((arriving: readonly Hotspot[]) => setHotspots((current) => mergeHotspots(current, arriving)), []);

  useEffect(() => {
    if (shownFor.current !== walkId) {
      shownFor.current = walkId;
      setHotspots([]);
      setLoaded(false);
      setMessage(null);
    }
    if (!active || walkId === null) {
      setLive('off');
      return undefined;
    }
    const abort = new AbortController();
    let source: HotspotStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: number | null = null;
    let stopped = false;

    const refresh = (): void => {
      getHotspots(api, walkId, abort.signal).then(
        (list) => {
          if (stopped) return;
          const seq = lastSeq(list);
          if (seq !== null) last = Math.max(last ?? 0, seq);
          merge(list);
          setLoaded(true);
          setError(null);
        },
        (err: unknown) => {
          if (!stopped && !isAbortError(err)) setError(describeError(err));
        },
      );
    };
    const connect = (): void => {
      if (!openStream || stopped) return;
      const s = openStream(walkEventsUrl(walkId, last));
      source = s;
      s.addEventListener('open', () => {
        setLive('live');
        refresh();
      });
      s.addEventListener('hotspot', (e) => {
        const h = parseHotspotEvent(e.data);
        const id = Number(e.lastEventId);
        if (Number.isFinite(id) && id > 0) last = Math.max(last ?? 0, id);
        if (h) merge([h]);
      });
      s.addEventListener('error', () => {
        if (stopped) return;
        setLive('reconnecting');
        if (s.readyState === CLOSED) {
          s.close();
          timer = setTimeout(connect, REOPEN_MS);
        }
      });
    };

    refresh();
    let poll: ReturnType<typeof setInterval> | null = null;
    if (openStream) {
      setLive('connecting');
      connect();
    } else {
      setLive('off');
      poll = setInterval(refresh, POLL_MS);
    }
    return () => {
      stopped = true;
      abort.abort();
      source?.close();
      if (timer !== null) clearTimeout(timer);
      if (poll !== null) clearInterval(poll);
    };
  }, [api, walkId, active, openStream, merge]);

  const change = useCallback(async (h: Hotspot, body: HotspotChangeBody): Promise<boolean> => {
    const id = h.properties.id;
    setBusy(id);
    setMessage(null);
    const ok = await saveOrReload(async () => merge([await patchHotspot(api, id, h.properties.version, body)]), {
      reload: walkId === null ? null : async () => merge(await getHotspots(api, walkId)),
      onStale: (err) => setMessage({ kind: 'stale', message: err.message }),
      onError: (message) => setMessage({ kind: 'error', message }),
    });
    setBusy(null);
    return ok;
  }, [api, walkId, merge]);
  const moderate = useCallback(async (h: Hotspot, status: HotspotStatus): Promise<void> => {
    await change(h, { status });
  }, [change]);
  const setCluster = useCallback((h: Hotspot, cluster: string | null): Promise<boolean> => change(h, { cluster }), [change]);

  return { hotspots, loaded, error, live, busy, message, moderate, setCluster };
}
