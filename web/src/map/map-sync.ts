/**
 * Keeping the map in step with app state, written against a small adapter
 * (the few Map / overlay methods used) so it can be tested without WebGL.
 */
import type { SystemCode } from '@model/systems.ts';
import type { FilterSpecification, StyleSpecification } from 'maplibre-gl';
import { SELECTION_PREFIX, selectionFilters } from '../layers/selection-layers.ts';
import { moratoriumLineWidth } from '../layers/moratoria-layer.ts';
import { workLineWidth } from '../layers/works-layer.ts';
import { type PickFeature, type ScreenProjector, pickLayer, pickOnScreen } from './screen-pick.ts';
import type { Selection } from '../state/selection.ts';
import { isSystemVisible, type VisibilityState } from '../state/visibility.ts';

export type ScreenBox = [[number, number], [number, number]];
/** What MapLibre tells of a rendered tile feature: its feature id, if any, and its properties. */
export interface RenderedFeature { id?: string | number | undefined; properties: Record<string, unknown> | null }

export interface MapAdapter extends ScreenProjector {
  setLayoutProperty(layerId: string, name: 'visibility', value: 'visible' | 'none'): void;
  setFilter(layerId: string, filter: FilterSpecification): void;
  queryRenderedFeatures(box: ScreenBox, options: { layers: string[] }): RenderedFeature[];
}

export interface SystemLayerIndex {
  /** Systems present in the style, bottom to top. */
  codes: SystemCode[];
  /** Per system: the drawn layers (`<code>-*`), which clicks query. */
  clickable: Map<SystemCode, string[]>;
  /** Per system: every layer to hide with it (drawn + highlight). */
  all: Map<SystemCode, string[]>;
}

export function indexSystemLayers(style: Pick<StyleSpecification, 'layers'>, codes: readonly SystemCode[]): SystemLayerIndex {
  const clickable = new Map<SystemCode, string[]>();
  const all = new Map<SystemCode, string[]>();
  for (const code of codes) {
    const drawn = style.layers.filter((l) => l.id.startsWith(`${code}-`)).map((l) => l.id);
    const highlight = style.layers.filter((l) => l.id.startsWith(`${SELECTION_PREFIX}${code}-`)).map((l) => l.id);
    clickable.set(code, drawn);
    all.set(code, [...drawn, ...highlight]);
  }
  return { codes: [...codes], clickable, all };
}

export function applyVisibility(map: MapAdapter, index: SystemLayerIndex, visibility: VisibilityState): void {
  for (const code of index.codes) {
    const value = isSystemVisible(visibility, code) ? 'visible' : 'none';
    for (const id of index.all.get(code) ?? []) map.setLayoutProperty(id, 'visibility', value);
  }
}

export function applySelection(map: MapAdapter, index: SystemLayerIndex, selection: Selection): void {
  const id = selection?.kind === 'asset' ? selection.id : null;
  for (const [layerId, filter] of selectionFilters(index.codes, id)) map.setFilter(layerId, filter);
}

const integerId = (raw: unknown): number | null => {
  const id = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof id === 'number' && Number.isInteger(id) ? id : null;
};

/**
 * The database id of a rendered network feature: the tile's feature id (the networks tileset's lean
 * encoding, decision 121), else an `id` property (a layer's full tiles); a number or a numeric string.
 * A merged or overview feature has neither.
 */
export function assetIdOf(feature: RenderedFeature): number | null {
  return integerId(feature.id) ?? integerId(feature.properties?.['id']);
}

export type MapPick = { kind: 'asset' | 'work' | 'moratorium'; id: number };

/** Half-size, in CSS pixels, of the box queried around a click: thin lines stay clickable. */
export const PICK_RADIUS_PX = 4;

/** The works and dig moratoria drawn now (empty when switched off), as the overlay draws them. */
export interface DrawnOverlays {
  works: readonly PickFeature[];
  moratoria: readonly PickFeature[];
}

/**
 * What is under a screen point: the topmost network feature, else a planned work, else a dig
 * moratorium (works are drawn above moratoria), else nothing. Works and moratoria are tested on
 * the CPU (screen-pick.ts), never by deck.gl's pixel read-back.
 */
export function pickAt(map: MapAdapter, index: SystemLayerIndex, point: { x: number; y: number }, drawn: DrawnOverlays): MapPick | null {
  const r = PICK_RADIUS_PX;
  const layers = [...index.clickable.values()].flat();
  if (layers.length > 0) {
    const box: ScreenBox = [[point.x - r, point.y - r], [point.x + r, point.y + r]];
    const first = map.queryRenderedFeatures(box, { layers })[0];
    const id = first ? assetIdOf(first) : null;
    if (id !== null) return { kind: 'asset', id };
  }
  const work = pickOnScreen(pickLayer(drawn.works, workLineWidth, 'works'), map, point, r);
  if (work !== null) return { kind: 'work', id: work };
  const moratorium = pickOnScreen(pickLayer(drawn.moratoria, moratoriumLineWidth, 'moratoria'), map, point, r);
  return moratorium === null ? null : { kind: 'moratorium', id: moratorium };
}
