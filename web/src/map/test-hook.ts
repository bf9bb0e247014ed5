/**
 * A handle for end-to-end tests (not for users): the map, whether it has drawn its first complete
 * frame with all layers added, and which works and dig moratoria are drawn after filtering.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { FramePacing } from './gpu-pacing.ts';

export interface SamenhangTestHook {
  map: MapLibreMap;
  ready: boolean;
  /** Ids of the works drawn now (after the works view's filters; empty while the works are switched off). */
  worksShown: number[];
  /** Ids of the dig moratoria drawn now (in the time window; empty while switched off). */
  moratoriaShown: number[];
  /** Ids of the deck.gl layers on the map now (works, moratoria, analysis). */
  overlayLayers: string[];
  /** The work or moratorium under the pointer (`work:12`), drawn lightened; null = none. */
  hovered: string | null;
  /** Program signatures drawn by the shader warm-up when the map loaded (program-warmup.ts). */
  warmedUp: string[];
  /** Frames put off because the GPU had not finished the one before (gpu-pacing.ts). */
  pacing: FramePacing | null;
}

declare global {
  interface Window {
    __samenhang?: SamenhangTestHook;
  }
}

export function exposeForTests(target: Window, map: MapLibreMap): SamenhangTestHook {
  const hook: SamenhangTestHook = { map, ready: false, worksShown: [], moratoriaShown: [], overlayLayers: [], hovered: null, warmedUp: [], pacing: null };
  target.__samenhang = hook;
  return hook;
}

export function clearTestHook(target: Window, hook: SamenhangTestHook): void {
  if (target.__samenhang === hook) delete target.__samenhang;
}
