/**
 * A handle for end-to-end tests (not for users): the map, and whether it has
 * drawn its first complete frame with all layers added.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface SamenhangTestHook {
  map: MapLibreMap;
  ready: boolean;
}

declare global {
  interface Window {
    __samenhang?: SamenhangTestHook;
  }
}

export function exposeForTests(target: Window, map: MapLibreMap): SamenhangTestHook {
  const hook: SamenhangTestHook = { map, ready: false };
  target.__samenhang = hook;
  return hook;
}

export function clearTestHook(target: Window, hook: SamenhangTestHook): void {
  if (target.__samenhang === hook) delete target.__samenhang;
}
