/**
 * The map: created once per mount from the merged style, then kept in step
 * with app state (visibility, selection, works, camera requests) by effects.
 * After an import, systems that appeared are added and refreshed ones reloaded
 * in place (style-sync.ts); the import preview is drawn on top while reviewing.
 */
import type { SystemCode } from '@model/systems.ts';
import type * as maplibregl from 'maplibre-gl';
import type { LayerSpecification, PaddingOptions, StyleSpecification } from 'maplibre-gl';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Bbox, PreviewCollection } from '../api/types.ts';
import { useI18n } from '../i18n/context.ts';
import type { Language } from '../i18n/index.ts';
import { createMoratoriaLayers, type MoratoriumGeoJson } from '../layers/moratoria-layer.ts';
import { createWorksLayers, type WorkGeoJson, type WorksColouring } from '../layers/works-layer.ts';
import { NETWORKS_SOURCE, WORKS_ANCHOR_LAYER } from '../layers/build-style.ts';
import { PREVIEW_PREFIX } from '../layers/import-preview-layers.ts';
import type { Focus, TilesRevision } from '../state/app-state.ts';
import type { Selection } from '../state/selection.ts';
import type { MapCamera } from '../state/url-state.ts';
import type { VisibilityState } from '../state/visibility.ts';
import { createMap, type CreatedMap } from './create-map.ts';
import { scheduleHover } from './hover-schedule.ts';
import { applySelection, applyVisibility, indexSystemLayers, pickAt, type MapPick, type SystemLayerIndex } from './map-sync.ts';
import { applyPreview, applyStyleAdditions, planStyleAdditions, refreshTileSources, retargetSources, type StyleAdapter } from './style-sync.ts';
import { clearTestHook, exposeForTests, type SamenhangTestHook } from './test-hook.ts';
import { warmUpPrograms } from './program-warmup.ts';

export interface MapViewProps {
  /** Merged style (basemap + present systems): the map's style at mount; later only what is new in it is added. */
  style: StyleSpecification;
  /** Systems with data, as in /api/layers. */
  present: readonly SystemCode[];
  /** Request to reload the tiles of some systems (after an import). */
  tiles: TilesRevision;
  /** Features of a file being imported, drawn on top; null = none. */
  preview: PreviewCollection | null;
  /** Initial view; read once, at mount. */
  extent: Bbox | null;
  /** Initial view from a shared link, instead of the extent; read once, at mount. */
  camera?: MapCamera | null | undefined;
  /** The works to draw (already filtered by the works view). */
  works: readonly WorkGeoJson[];
  /** Colours of the works (per owner or system); absent = one default colour. */
  worksColouring?: WorksColouring | undefined;
  /** The dig moratoria to draw (already filtered by the time window); absent = none. */
  moratoria?: readonly MoratoriumGeoJson[] | undefined;
  visibility: VisibilityState;
  selection: Selection;
  focus: Focus;
  /** True while the detail card covers the right side of the map. */
  detailOpen: boolean;
  /** True while the (wider) import dialog covers the right side of the map. */
  importOpen: boolean;
  onPick: (pick: MapPick) => void;
  /** Called with the map once it has loaded, and with null when it is removed (unmount). */
  onMap?: ((map: maplibregl.Map | null) => void) | undefined;
  /** While true (drawing a geometry), map clicks pick/select nothing and the hover cursor is left alone. */
  drawing?: boolean | undefined;
  /** More deck.gl layers drawn over the works (the analysis: highlight, arcs, openings). */
  extraLayers?: readonly object[] | undefined;
}

interface Live extends MapViewProps {
  language: Language;
}

interface Mounted extends CreatedMap {
  index: SystemLayerIndex;
  loaded: boolean;
  hook: SamenhangTestHook;
  /** The work or moratorium under the pointer, drawn lightened. */
  hovered: MapPick | null;
  /** Program signatures the shader warm-up has drawn (program-warmup.ts). */
  warmed: Set<string>;
}

/** Compile the programs of these layers now (decision 105); the test hook lists what was drawn. */
function warmUpLayers(mounted: Mounted, layers: readonly LayerSpecification[]): void {
  mounted.hook.warmedUp.push(...warmUpPrograms(mounted.map, layers, mounted.warmed));
}

const NO_MORATORIA: readonly MoratoriumGeoJson[] = [];
const NO_WORKS: readonly WorkGeoJson[] = [];

/** The deck.gl overlay, bottom to top: the moratoria, then the works (both below the anchor layer). */
function syncWorks(mounted: Mounted, p: Live): void {
  const selectedId = (kind: 'work' | 'moratorium'): number | null => (p.selection?.kind === kind ? p.selection.id : null);
  const hoveredId = (kind: 'work' | 'moratorium'): number | null => (mounted.hovered?.kind === kind ? mounted.hovered.id : null);
  const moratoria = p.moratoria ?? NO_MORATORIA;
  const layers = [
    ...createMoratoriaLayers({
      features: moratoria, visible: p.visibility.moratoria, selectedId: selectedId('moratorium'), hoveredId: hoveredId('moratorium'), beforeId: WORKS_ANCHOR_LAYER,
    }),
    ...createWorksLayers({
      features: p.works, visible: p.visibility.works, selectedId: selectedId('work'), hoveredId: hoveredId('work'), colouring: p.worksColouring, beforeId: WORKS_ANCHOR_LAYER,
    }),
    ...(p.extraLayers ?? []),
  ];
  mounted.overlay.setProps({ layers: layers as never });
  mounted.hook.overlayLayers = layers.map((l) => String((l as { id?: unknown }).id));
  mounted.hook.worksShown = p.visibility.works ? p.works.map((f) => f.properties.id) : [];
  mounted.hook.moratoriaShown = p.visibility.moratoria ? moratoria.map((f) => f.properties.id) : [];
}

const previewLayerIds = (map: StyleAdapter): string[] => map.getLayersOrder().filter((id) => id.startsWith(PREVIEW_PREFIX));

/**
 * Add the systems that are in the style but not yet on the map (below the preview), then re-index
 * the layers and re-apply visibility and selection. The works stay below the anchor layer, which
 * the new networks go above.
 */
function syncCatalogue(mounted: Mounted, p: Live): void {
  const map: StyleAdapter = mounted.map;
  retargetSources(map, p.style);
  const additions = planStyleAdditions(map.getLayersOrder(), (id) => map.getSource(id) !== undefined, p.style, previewLayerIds(map));
  applyStyleAdditions(map, additions);
  // networks that came with a sign-in or an import: their programs now, not on the first zoom that draws them
  if (additions.layers.length > 0) warmUpLayers(mounted, additions.layers.map((a) => a.layer));
  mounted.index = indexSystemLayers(p.style, p.present);
  applyVisibility(mounted.map, mounted.index, p.visibility);
  applySelection(mounted.map, mounted.index, p.selection);
}

function mountMap(container: HTMLElement, live: { current: Live }, slot: { current: Mounted | null }): () => void {
  const initial = live.current;
  const created = createMap({ container, style: initial.style, extent: initial.extent, camera: initial.camera, language: initial.language });
  const hook = exposeForTests(window, created.map);
  hook.pacing = created.pacing;
  const mounted: Mounted = { ...created, index: indexSystemLayers(initial.style, initial.present), loaded: false, hook, hovered: null, warmed: new Set<string>() };
  const { map, overlay } = mounted;
  const pick = (point: { x: number; y: number }): MapPick | null => {
    const p = live.current;
    const drawn = { works: p.visibility.works ? p.works : NO_WORKS, moratoria: p.visibility.moratoria ? (p.moratoria ?? NO_MORATORIA) : NO_MORATORIA };
    return pickAt(map, mounted.index, point, drawn);
  };
  const hover = (hit: MapPick | null): void => {
    const next = hit?.kind === 'work' || hit?.kind === 'moratorium' ? hit : null;
    if (next?.kind === mounted.hovered?.kind && next?.id === mounted.hovered?.id) return;
    mounted.hovered = next;
    mounted.hook.hovered = next ? `${next.kind}:${next.id}` : null;
    if (mounted.loaded) syncWorks(mounted, live.current);
  };
  // compile every layer type's program as soon as the style is there (before the first tiles keep
  // the GPU busy), not on the first zoom that needs it
  const warmUp = (): void => {
    warmUpLayers(mounted, map.getStyle().layers);
  };
  if (map.isStyleLoaded()) warmUp();
  else map.once('style.load', warmUp);
  map.on('load', () => {
    mounted.loaded = true;
    // Interleaved deck layers are inserted into the style, so only once it has loaded.
    syncWorks(mounted, live.current);
    // The catalogue may have grown (and a preview appeared) before the style had loaded.
    syncCatalogue(mounted, live.current);
    if (live.current.preview) applyPreview(map, live.current.preview);
    map.once('idle', () => {
      hook.ready = true;
    });
    live.current.onMap?.(map);
  });
  map.on('click', (e) => {
    if (live.current.drawing) return;
    const hit = pick(e.point);
    if (hit) live.current.onPick(hit);
  });
  // the hover pick runs in a task of its own, throttled, and a press or a move drops it
  const hovering = scheduleHover<{ x: number; y: number }>((point) => {
    if (!mounted.loaded || live.current.drawing || map.isMoving()) return;
    const hit = pick(point);
    map.getCanvas().style.cursor = hit ? 'pointer' : '';
    hover(hit);
  }, window);
  map.on('mousemove', (e) => {
    // no hover while a button is down (a drag pans the map)
    if (e.originalEvent.buttons !== 0) hovering.cancel();
    else hovering.moved(e.point);
  });
  map.on('mousedown', () => hovering.cancel());
  map.on('movestart', () => hovering.cancel());
  map.getCanvas().addEventListener('mouseleave', () => {
    hovering.cancel();
    hover(null);
  });
  slot.current = mounted;
  return () => {
    hovering.stop();
    slot.current = null;
    live.current.onMap?.(null);
    clearTestHook(window, hook);
    overlay.finalize();
    mounted.pacing.stop();
    map.remove();
  };
}

function focusPadding(detailOpen: boolean, importOpen: boolean, width: number): PaddingOptions {
  const card = importOpen ? 520 : detailOpen ? 380 : 0;
  const side = width > 900 && card > 0 ? card : 60;
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

  const { visibility, selection, works, worksColouring, moratoria, focus, style, present, tiles, preview, extraLayers } = props;
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
  }, [works, worksColouring, moratoria, visibility.works, visibility.moratoria, selection, extraLayers]);
  useEffect(() => {
    const m = mountedRef.current;
    if (!focus || !m) return;
    const padding = focusPadding(live.current.detailOpen, live.current.importOpen, m.map.getContainer().clientWidth);
    m.map.fitBounds(focus.bbox, { padding, maxZoom: 19, duration: 900 });
  }, [focus]);

  useEffect(() => {
    const m = mountedRef.current;
    if (m?.loaded) syncCatalogue(m, live.current);
  }, [style, present]);
  useEffect(() => {
    const m = mountedRef.current;
    if (m?.loaded && tiles && tiles.systems.length > 0) refreshTileSources(m.map, [NETWORKS_SOURCE], tiles.version);
  }, [tiles]);
  useEffect(() => {
    const m = mountedRef.current;
    if (m?.loaded) applyPreview(m.map, preview);
  }, [preview]);

  return <div ref={containerRef} className="map" role="region" aria-label={t('mapLabel')} />;
}
