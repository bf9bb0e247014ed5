/**
 * Bringing a running map up to date after an import, without a page reload and without
 * setStyle (which would drop the interleaved deck.gl works layer):
 *
 * - systems that appeared get their source and layers from the bundled style, each layer
 *   inserted before the next layer of the merged style that the map already has, so the
 *   taxonomy order (and the highlight layers on top) hold;
 * - a source whose URL changed other than in its version (the networks source when the systems
 *   present change, decision 120) gets the new URL;
 * - when systems got new features, the networks source gets its TileJSON URL re-set with
 *   `?v=<version>`, which makes MapLibre fetch the TileJSON again (new bounds) and its tiles;
 * - the import preview (a GeoJSON source) is put on top, or taken away.
 *
 * Written against a small adapter so the planning is unit-tested without WebGL.
 */
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { PreviewCollection } from '../api/types.ts';
import { createPreviewLayers, createPreviewSource, PREVIEW_SOURCE } from '../layers/import-preview-layers.ts';

export interface StyleAdapter {
  getLayer(id: string): unknown;
  getSource(id: string): unknown;
  getLayersOrder(): string[];
  addSource(id: string, source: SourceSpecification): void;
  addLayer(layer: LayerSpecification, beforeId?: string): void;
  removeLayer(id: string): void;
  removeSource(id: string): void;
}

export interface StyleAdditions {
  sources: [string, SourceSpecification][];
  layers: { layer: LayerSpecification; beforeId: string | undefined }[];
}

/**
 * What to add so the map holds every source and layer of `target`. A missing layer goes before
 * the next layer of `target` the map already has; after the last one it goes below `keepOnTop`
 * (the preview), if that is on the map.
 */
export function planStyleAdditions(
  mapLayers: readonly string[],
  hasSource: (id: string) => boolean,
  target: Pick<StyleSpecification, 'sources' | 'layers'>,
  keepOnTop: readonly string[] = [],
): StyleAdditions {
  const existing = new Set(mapLayers);
  const top = keepOnTop.find((id) => existing.has(id));
  const sources = Object.entries(target.sources).filter(([id]) => !hasSource(id));
  const layers: StyleAdditions['layers'] = [];
  target.layers.forEach((layer, i) => {
    if (existing.has(layer.id)) return;
    const next = target.layers.slice(i + 1).find((l) => existing.has(l.id));
    layers.push({ layer, beforeId: next?.id ?? top });
  });
  return { sources, layers };
}

export function applyStyleAdditions(map: StyleAdapter, additions: StyleAdditions): void {
  for (const [id, source] of additions.sources) map.addSource(id, source);
  for (const { layer, beforeId } of additions.layers) map.addLayer(layer, beforeId);
}

/** The URL with its `v` query parameter set (added or replaced); keeps {z}/{x}/{y} as they are. */
export function withVersion(url: string, version: string): string {
  const rest = withoutVersion(url);
  return `${rest}${rest.includes('?') ? '&' : '?'}v=${encodeURIComponent(version)}`;
}

/** The URL without its `v` query parameter. */
export function withoutVersion(url: string): string {
  const [path = '', query = ''] = url.split('?', 2);
  const params = query.split('&').filter((p) => p !== '' && !p.startsWith('v='));
  return params.length === 0 ? path : `${path}?${params.join('&')}`;
}

interface UrlSource {
  url?: string;
  setUrl(url: string): unknown;
}

function isUrlSource(source: unknown): source is UrlSource {
  return typeof source === 'object' && source !== null && 'setUrl' in source && typeof source.setUrl === 'function';
}

/** Re-set the TileJSON URL of each source with a new version, so new features show. */
export function refreshTileSources(map: Pick<StyleAdapter, 'getSource'>, sourceIds: readonly string[], version: string): string[] {
  const refreshed: string[] = [];
  for (const id of sourceIds) {
    const source = map.getSource(id);
    if (!isUrlSource(source) || typeof source.url !== 'string' || source.url === '') continue;
    source.setUrl(withVersion(source.url, version));
    refreshed.push(id);
  }
  return refreshed;
}

/**
 * Re-set the URL of each source of `target` that the map has under another URL (versions aside):
 * the networks source when systems came or went. Returns the ids re-set.
 */
export function retargetSources(map: Pick<StyleAdapter, 'getSource'>, target: Pick<StyleSpecification, 'sources'>): string[] {
  const changed: string[] = [];
  for (const [id, spec] of Object.entries(target.sources)) {
    const source = map.getSource(id);
    if (!('url' in spec) || typeof spec.url !== 'string' || !isUrlSource(source) || typeof source.url !== 'string') continue;
    if (withoutVersion(source.url) === withoutVersion(spec.url)) continue;
    source.setUrl(spec.url);
    changed.push(id);
  }
  return changed;
}

/** Show the preview on top of everything (replacing an earlier one), or remove it (null). */
export function applyPreview(map: StyleAdapter, preview: PreviewCollection | null): void {
  const layers = createPreviewLayers();
  for (const layer of layers) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
  if (map.getSource(PREVIEW_SOURCE)) map.removeSource(PREVIEW_SOURCE);
  if (preview === null) return;
  map.addSource(PREVIEW_SOURCE, createPreviewSource(preview));
  for (const layer of layers) map.addLayer(layer);
}
