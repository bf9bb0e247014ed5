/**
 * The atelier's pairwise sessions of the selected walk (issue 7): the sessions (the newest one is
 * shown), creating one from the walk's themes or from hotspots, and a choice (a, b or a tie) with
 * an id made here, so that a repeated post is stored once; the answer holds the new ranking and the
 * next pair.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import { createPairwise, listPairwise, postChoice, type NewSessionBody, type PairwiseView } from '../../api/walk-endpoints.ts';

export interface Pairwise {
  sessions: readonly PairwiseView[];
  current: PairwiseView | null;
  show: (sessionId: number) => void;
  create: (body: NewSessionBody) => Promise<void>;
  choose: (choice: 'a' | 'b' | 'tie') => Promise<void>;
  busy: boolean;
  error: string | null;
}

const newId = (): string => crypto.randomUUID();

export function usePairwise(api: ApiClient, walkId: number | null, active: boolean): Pairwise {
  const [state, setState] = useState<{ walkId: number | null; sessions: readonly PairwiseView[]; currentId: number | null }>({ walkId: null, sessions: [], currentId: null });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // one request at a time: a second click (or key) while one is on its way is ignored
  const inFlight = useRef(false);

  useEffect(() => {
    setError(null);
    if (!active || walkId === null) return undefined;
    const abort = new AbortController();
    listPairwise(api, walkId, abort.signal).then(
      (sessions) => setState((s) => ({ walkId, sessions, currentId: s.walkId === walkId && s.currentId !== null ? s.currentId : (sessions.at(-1)?.session.id ?? null) })),
      (err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      },
    );
    return () => abort.abort();
  }, [api, walkId, active]);

  const put = useCallback((view: PairwiseView) => {
    setState((s) => {
      const others = s.sessions.filter((v) => v.session.id !== view.session.id);
      return { walkId: view.session.walkId, sessions: [...others, view].sort((a, b) => a.session.id - b.session.id), currentId: view.session.id };
    });
  }, []);

  const run = useCallback(async (work: () => Promise<PairwiseView>): Promise<void> => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      put(await work());
    } catch (err) {
      setError(describeError(err));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, [put]);

  const sessions = state.walkId === walkId ? state.sessions : [];
  const current = sessions.find((v) => v.session.id === state.currentId) ?? null;

  const create = useCallback(async (body: NewSessionBody) => {
    if (walkId !== null) await run(() => createPairwise(api, walkId, body));
  }, [api, walkId, run]);

  const choose = useCallback(async (choice: 'a' | 'b' | 'tie') => {
    const pair = current?.next;
    if (!current || !pair) return;
    await run(() => postChoice(api, current.session.id, { id: newId(), a: pair[0].id, b: pair[1].id, choice }));
  }, [api, current, run]);

  const show = useCallback((sessionId: number) => setState((s) => ({ ...s, currentId: sessionId })), []);

  return { sessions, current, show, create, choose, busy, error };
}
