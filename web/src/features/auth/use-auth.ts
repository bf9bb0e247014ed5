/**
 * Who is signed in: asked once at start-up (GET /api/auth/me), so a returning user with a session
 * cookie is recognised; then changed by signing in and out. After every change `onChange` runs,
 * which makes the app fetch again what it shows (see after-auth.ts); the header shows the new
 * user once that is done, so it changes together with the view.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import type { MeResponse } from '../../api/types.ts';
import type { AppAction } from '../../state/app-state.ts';

export type AuthState = { status: 'checking' } | { status: 'ready'; me: MeResponse };

export interface UseAuth {
  state: AuthState;
  /** Rejects with the ApiError of a refusal (wrong password, code required, too many attempts). */
  signIn: (email: string, password: string, totp?: string) => Promise<void>;
  /** Failures become a notice; the state then follows what the server says. */
  signOut: () => Promise<void>;
  /**
   * Reads who is signed in again, after the account itself changed (e.g. its second factor was
   * turned on). Never rejects: when asking fails, the state stays as it is.
   */
  refresh: () => Promise<void>;
}

export interface AuthDeps {
  api: ApiClient;
  dispatch: Dispatch<AppAction>;
  /** Runs after the signed-in user changed; resolves when the view has been refreshed. */
  onChange: () => Promise<void>;
}

const NOBODY: MeResponse = { user: null, csrfToken: null, demo: null };

/** Signed out: nobody, but the demo accounts stay listed (the logout answer has no body). */
export function signedOut(previous: AuthState): MeResponse {
  return { ...NOBODY, demo: previous.status === 'ready' ? previous.me.demo : null };
}

const userId = (state: AuthState): number | undefined => (state.status === 'ready' ? state.me.user?.id : undefined);

export function useAuth({ api, dispatch, onChange }: AuthDeps): UseAuth {
  const [state, setState] = useState<AuthState>({ status: 'checking' });
  const current = useRef(state);
  const apply = useCallback((next: AuthState) => {
    current.current = next;
    setState(next);
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    api.getMe(abort.signal).then(
      (me) => apply({ status: 'ready', me }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        dispatch({ type: 'notice/show', key: 'errorAuth', detail: describeError(err) });
        apply({ status: 'ready', me: NOBODY });
      },
    );
    return () => abort.abort();
  }, [api, dispatch, apply]);

  const changed = useCallback(
    async (me: MeResponse) => {
      await onChange().catch(() => undefined);
      apply({ status: 'ready', me });
    },
    [apply, onChange],
  );

  const signIn = useCallback(
    async (email: string, password: string, totp?: string) => {
      await changed(await api.login(email, password, totp));
    },
    [api, changed],
  );

  /** Takes the server's word for who is signed in; the view is refreshed only when that is someone else. */
  const reread = useCallback(
    async (before: AuthState) => {
      const me = await api.getMe().catch(() => null);
      if (me === null) return;
      if (me.user?.id === userId(before)) apply({ status: 'ready', me });
      else await changed(me);
    },
    [api, apply, changed],
  );

  const signOut = useCallback(async () => {
    const before = current.current;
    try {
      await api.logout();
    } catch (err) {
      dispatch({ type: 'notice/show', key: 'errorSignout', detail: describeError(err) });
      // The session may be gone all the same (expired).
      await reread(before);
      return;
    }
    await changed(signedOut(before));
  }, [api, changed, dispatch, reread]);

  const refresh = useCallback(() => reread(current.current), [reread]);

  return { state, signIn, signOut, refresh };
}
