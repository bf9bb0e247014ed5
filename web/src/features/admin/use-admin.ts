/**
 * What every section of the administration panel shares: loading its list (again after a change),
 * and running a change with the outcome reported to the panel's message line.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isAbortError, type ApiClient } from '../../api/client.ts';
import type { CurrentUser } from '../../api/types.ts';
import { adminErrorOf, type AdminAction, type AdminError, type AdminFailure } from './admin-errors.ts';

/** How a section tells the panel what happened; the panel shows one message at a time. */
export interface Notify {
  fail(action: AdminAction, error: AdminError): void;
  done(message: string): void;
  clear(): void;
}

export interface SectionProps {
  api: ApiClient;
  user: CurrentUser;
  /** The failure on display, to mark the fields it is about. */
  failure: AdminFailure | null;
  notify: Notify;
}

export type Loaded<T> = { status: 'loading' } | { status: 'failed' } | { status: 'ready'; data: T };

export interface UseLoaded<T> {
  state: Loaded<T>;
  /** Fetch again (keeps showing the current list meanwhile). */
  reload: () => void;
  /** Change the list as the server just did, without asking it. */
  update: (change: (data: T) => T) => void;
}

/** Loads a list when the section opens; `load` must be stable (useCallback). */
export function useLoaded<T>(load: (signal: AbortSignal) => Promise<T>, notify: Notify): UseLoaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal).then(
      (data) => setState({ status: 'ready', data }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        notify.fail('load', adminErrorOf(err, 'load'));
        setState((s) => (s.status === 'ready' ? s : { status: 'failed' }));
      },
    );
    return () => abort.abort();
  }, [load, notify, revision]);
  const reload = useCallback(() => {
    setState((s) => (s.status === 'failed' ? { status: 'loading' } : s));
    setRevision((r) => r + 1);
  }, []);
  const update = useCallback((change: (data: T) => T) => setState((s) => (s.status === 'ready' ? { status: 'ready', data: change(s.data) } : s)), []);
  return useMemo(() => ({ state, reload, update }), [state, reload, update]);
}

export interface Runner {
  /** Key of the change in flight (e.g. `role-5`), null when none: its controls are disabled. */
  busy: string | null;
  /**
   * Runs a change: the message of `work` is reported when it succeeds; on failure `undo` puts back
   * what was changed ahead of the answer, and a "not found" reloads the list. Resolves with the
   * error, null on success.
   */
  run: (key: string, action: AdminAction, work: () => Promise<string>, undo?: () => void) => Promise<AdminError | null>;
}

export function useRunner(notify: Notify, reload: () => void): Runner {
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(
    async (key: string, action: AdminAction, work: () => Promise<string>, undo?: () => void): Promise<AdminError | null> => {
      setBusy(key);
      notify.clear();
      try {
        notify.done(await work());
        return null;
      } catch (err) {
        undo?.();
        const error = adminErrorOf(err, action);
        notify.fail(action, error);
        if (error.kind === 'notFound') reload();
        return error;
      } finally {
        setBusy(null);
      }
    },
    [notify, reload],
  );
  return { busy, run };
}

/** The first field with a problem, to put the cursor in. */
export function focusField(id: string | undefined): void {
  if (id === undefined) return;
  const el = document.getElementById(id);
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.focus();
}
