import { SYSTEM_CODES } from '@model/systems.ts';
import { describe, expect, it } from 'vitest';
import type { MeResponse } from '../../api/types.ts';
import type { AppAction } from '../../state/app-state.ts';
import { authTilesVersion, refreshAfterAuthChange } from './after-auth.ts';
import { signedOut } from './use-auth.ts';

describe('after signing in or out', () => {
  it('closes the detail card, reloads every tile source and refetches catalogue, datasets and works', async () => {
    const actions: AppAction[] = [];
    const calls: string[] = [];
    await refreshAfterAuthChange({
      reloadLayers: () => Promise.resolve(calls.push('layers')),
      reloadDatasets: () => Promise.resolve(calls.push('datasets')),
      reloadWorks: () => void calls.push('works'),
      dispatch: (a) => actions.push(a),
      now: () => 1700,
    });
    expect(actions).toEqual([
      { type: 'selection/clear' },
      { type: 'tiles/refresh', version: 'auth-1700', systems: SYSTEM_CODES },
    ]);
    expect(calls.sort()).toEqual(['datasets', 'layers', 'works']);
  });

  it('versions the tiles per change', () => {
    expect(authTilesVersion(1)).not.toBe(authTilesVersion(2));
  });

  it('keeps listing the demo accounts after signing out', () => {
    const demo = { accounts: [{ email: 'a@b.demo', password: 'pw', role: 'admin', organisation: 'Gemeente' }] };
    const me: MeResponse = { user: null, csrfToken: 't', demo };
    expect(signedOut({ status: 'ready', me })).toEqual({ user: null, csrfToken: null, demo });
    expect(signedOut({ status: 'checking' })).toEqual({ user: null, csrfToken: null, demo: null });
  });
});
