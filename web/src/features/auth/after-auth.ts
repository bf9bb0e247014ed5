/**
 * What follows a sign-in or a sign-out: what the user may see has changed, so everything on
 * screen is fetched again. The detail card closes (its object may be out of sight now), the
 * catalogue, the imported datasets and the works are reloaded, and every vector tile source on
 * the map gets a new version in its TileJSON URL, so MapLibre fetches TileJSON (bounds) and tiles
 * again — now with the new session cookie.
 */
import { SYSTEM_CODES } from '@model/systems.ts';
import type { AppAction } from '../../state/app-state.ts';

export interface AfterAuthDeps {
  reloadLayers: () => Promise<unknown>;
  reloadDatasets: () => Promise<unknown>;
  reloadWorks: () => void;
  dispatch: (action: AppAction) => void;
  now: () => number;
}

/** `auth-<timestamp>`: distinct per change, so a sign-out right after a sign-in reloads again. */
export function authTilesVersion(now: number): string {
  return `auth-${now}`;
}

export async function refreshAfterAuthChange(deps: AfterAuthDeps): Promise<void> {
  deps.dispatch({ type: 'selection/clear' });
  // Every system, not only those in the catalogue: a system that just went out of sight still
  // has its source on the map, and its tiles must be fetched again (empty now). Systems without
  // a source on the map are skipped by the map.
  deps.dispatch({ type: 'tiles/refresh', version: authTilesVersion(deps.now()), systems: SYSTEM_CODES });
  deps.reloadWorks();
  await Promise.all([deps.reloadLayers(), deps.reloadDatasets()]);
}
