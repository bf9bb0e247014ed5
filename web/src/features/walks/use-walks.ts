/**
 * The organisation's walks (issue 7): the list (loaded when the tab opens), the selected walk with
 * its ETag (from GET /api/walks/:id; closing or reopening and its privacy settings send it as
 * If-Match, and a 412 loads the walk again and says so), and creating a walk (which then becomes the selected one).
 */
import { useCallback, useEffect, useState } from 'react';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import {
  createWalk, getWalk, listWalks, patchWalk, type NewWalkBody, type Walk, type WalkChangeBody, type WalkWithTag,
} from '../../api/walk-endpoints.ts';
import { saveOrReload } from './save-or-reload.ts';

export type WalkList = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; walks: Walk[] };

/** What the selected walk's panel says after a change: stale (someone else changed it; reloaded) or an error. */
export type WalkMessage = { kind: 'stale' } | { kind: 'error'; message: string } | null;

export interface Walks {
  list: WalkList;
  selectedId: number | null;
  selected: WalkWithTag | null;
  select: (id: number | null) => void;
  /** Create a walk; resolves to the server's message on failure, null on success. */
  create: (body: NewWalkBody) => Promise<string | null>;
  setStatus: (status: 'open' | 'closed') => Promise<void>;
  /** Save the rounding of published places (m) and the retention term (months). Resolves to true when saved. */
  saveSettings: (settings: { roundingM: number; retentionMonths: number }) => Promise<boolean>;
  busy: boolean;
  message: WalkMessage;
}

export function useWalks(api: ApiClient, active: boolean): Walks {
  const [list, setList] = useState<WalkList>({ status: 'loading' });
  const [revision, setRevision] = useState(0);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [selected, setSelected] = useState<WalkWithTag | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<WalkMessage>(null);
  const reloadList = useCallback(() => setRevision((r) => r + 1), []);

  useEffect(() => {
    if (!active) return undefined;
    const abort = new AbortController();
    listWalks(api, abort.signal).then(
      (walks) => setList({ status: 'ready', walks }),
      (err: unknown) => {
        if (!isAbortError(err)) setList({ status: 'error', message: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [api, active, revision]);

  useEffect(() => {
    if (!active || selectedId === null) return undefined;
    const abort = new AbortController();
    getWalk(api, selectedId, abort.signal).then(setSelected, (err: unknown) => {
      if (!isAbortError(err)) setMessage({ kind: 'error', message: describeError(err) });
    });
    return () => abort.abort();
  }, [api, active, selectedId]);

  const select = useCallback((id: number | null) => {
    setMessage(null);
    setSelected((s) => (s?.walk.id === id ? s : null));
    setSelectedId(id);
  }, []);

  const create = useCallback(async (body: NewWalkBody): Promise<string | null> => {
    setBusy(true);
    try {
      const made = await createWalk(api, body);
      setMessage(null);
      setSelected(made);
      setSelectedId(made.walk.id);
      reloadList();
      return null;
    } catch (err) {
      return describeError(err);
    } finally {
      setBusy(false);
    }
  }, [api, reloadList]);

  const change = useCallback(async (body: WalkChangeBody): Promise<boolean> => {
    if (!selected) return false;
    setBusy(true);
    setMessage(null);
    const id = selected.walk.id;
    const ok = await saveOrReload(async () => setSelected(await patchWalk(api, id, body, selected.etag)), {
      reload: async () => setSelected(await getWalk(api, id)),
      onStale: () => setMessage({ kind: 'stale' }),
      onError: (message) => setMessage({ kind: 'error', message }),
    });
    setBusy(false);
    reloadList();
    return ok;
  }, [api, selected, reloadList]);
  const setStatus = useCallback(async (status: 'open' | 'closed'): Promise<void> => {
    await change({ status });
  }, [change]);
  const saveSettings = useCallback((settings: { roundingM: number; retentionMonths: number }): Promise<boolean> => change(settings), [change]);

  return { list, selectedId, selected: selected?.walk.id === selectedId ? selected : null, select, create, setStatus, saveSettings, busy, message };
}
