/**
 * The map: created once per mount from the merged style, then kept in step
 * with app state (visibility, selection, works, camera requests) by effects.
 */
import type { SystemCode } from '@model/systems.ts';
import type { PaddingOptions, StyleSpecification } from 'maplibre-gl';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Bbox } from '../api/types.ts';
import { useI18n } from '../i18n/context.ts';
import type { Language } from '../i18n/index.ts';
import { createWorksLayers, type WorkGeoJson } from '../layers/works-layer.ts';
import type { Focus } from '../state/app-state.ts';
import type { Selection } from '../state/selection.ts';
import type { VisibilityState } from '../state/visibility.ts';
import { createMap, type CreatedMap } from './create-map.ts';
import { applySelection, applyVisibility, indexSystemLayers, pickAt, type MapPick, type SystemLayerIndex } from './map-sync.ts';
import { clearTestHook, exposeForTests } from './test-hook.ts';

export interface MapViewProps {
  /** Merged style (basemap + present systems); read once, at mount. */
  style: StyleSpecification;
  /** Systems with data, as in /api/layers; read once, at mount. */
  present: readonly SystemCode[];
  /** Initial view; read once, at mount. */
  extent: Bbox | null;
  works: readonly WorkGeoJson[];
  visibility: VisibilityState;
  selection: Selection;
  focus: Focus;
  /** True while the detail card covers the right side of the map. */
  detailOpen: boolean;
  onPick: (pick: MapPick) => void;
}

interface Live extends MapViewProps {
  language: Language;
}

interface Mounted extends CreatedMap {
  index: SystemLayerIndex;
  loaded: boolean;
  /** Works are drawn inside the MapLibre stack, below the first network layer, so cables stay on top. */
  worksBeforeId: string | undefined;
}

function firstSystemLayerId(style: StyleSpecification, present: readonly SystemCode[]): string | undefined {
  return style.layers.find((l) => present.some((code) => l.id.startsWith(`${code}-`)))?.id;
}

function syncWorks(mounted: Mounted, p: Live): void {
  const selectedId = p.selection?.kind === 'work' ? p.selection.id : null;
  mounted.overlay.setProps({ layers: createWorksLayers({ features: p.works, visible: p.visibility.works, selectedId, beforeId: mounted.worksBeforeId }) });
}

function mountMap(container: HTMLElement, live: { current: Live }, slot: { current: Mounted | null }): () => void {
  const initial = live.current;
  const created = createMap({ container, style: initial.style, extent: initial.extent, language: initial.language });
  const mounted: Mounted = { ...created, index: indexSystemLayers(initial.style, initial.present), loaded: false,
    worksBeforeId: firstSystemLayerId(initial.style, initial.present) };
  const { map, overlay, index } = mounted;
  const hook = exposeForTests(window, map);
  map.on('load', () => {
    mounted.loaded = true;
    // Interleaved deck layers are inserted into the style, so only once it has loaded.
    syncWorks(mounted, live.current);
    applyVisibility(map, index, live.current.visibility);
    applySelection(map, index, live.current.selection);
    map.once('idle', () => {
      hook.ready = true;
    });
  });
  map.on('click', (e) => {
    const pick = pickAt(map, overlay, index, e.point, live.current.visibility.works);
    if (pick) live.current.onPick(pick);
  });
  let frame = 0;
  map.on('mousemove', (e) => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (!mounted.loaded) return;
      const hit = pickAt(map, overlay, index, e.point, live.current.visibility.works);
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
  });
  slot.current = mounted;
  return () => {
    cancelAnimationFrame(frame);
    slot.current = null;
    clearTestHook(window, hook);
    overlay.finalize();
    map.remove();
  };
}

function focusPadding(detailOpen: boolean, width: number): PaddingOptions {
  const side = width > 900 && detailOpen ? 380 : 60;
  return { top: 60, bottom: 60, left: 60, right: side };
}

export function MapView(props: MapViewProps) {
  const { language, t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const live = useRef<Live>({ ...props, language });
  const mountedRef = useRef<Mounted | null>(null);
  useLayoutEffect(() => {
    live.current = { ...props, language };
  });

  useEffect(() => {
    const container = containerRef.current;
    return container ? mountMap(container, live, mountedRef) : undefined;
  }, []);

  const { visibility, selection, works, focus } = props;
  // Before the style has loaded, the 'load' handler applies the latest state instead.
  useEffect(() => {
    const m = mountedRef.current;
    if (m?.loaded) applyVisibility(m.map, m.index, visibility);
  }, [visibility]);
  useEffect(() => {
    const m = mountedRef.current;
    if (m?.loaded) applySelection(m.map, m.index, selection);
  }, [selection]);
  useEffect(() => {
    const m = mountedRef.current;
    if (m?.loaded) syncWorks(m, live.current);
  }, [works, visibility.works, selection]);
  useEffect(() => {
    const m = mountedRef.current;
    if (!focus || !m) return;
    const padding = focusPadding(live.current.detailOpen, m.map.getContainer().clientWidth);
    m.map.fitBounds(focus.bbox, { padding, maxZoom: 19, duration: 900 });
  }, [focus]);

  return <div ref={containerRef} className="map" role="region" aria-label={t('mapLabel')} />;
}
