/**
 * Merge the bundled styles into the one style the map starts with:
 *
 *   basemap.json layers (background, optional online raster, municipality outlines)
 *   → an invisible anchor the works overlay is drawn below
 *   → each system present in /api/layers, in taxonomy `order` (higher on top)
 *   → selection highlight layers on top of everything.
 *
 * The systems' layers all draw from one vector source, `networks` (decision 120): its TileJSON
 * `/tiles/networks.json?layers=<present systems>` gives tiles with a source-layer per system, so
 * the map keeps one tile pyramid, one tile request and one clipping mask per tile instead of one
 * per system. The per-system sources in styles/ (for other clients) are not used by the app.
 *
 * Source URLs are root-relative ("/tiles/x.json"); MapLibre fetches TileJSON only from absolute
 * URLs, so they are resolved against the page origin.
 */
import { getSystem, SYSTEMS, type SystemCode } from '@model/systems.ts';
import { NETWORKS_TILESET, networkLayersParam } from '@model/network-tiles.ts';
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { BasemapConfig } from '../api/types.ts';
import { createSelectionLayers } from './selection-layers.ts';
import type { StyleSources } from './style-catalog.ts';

export const RASTER_BASEMAP_SOURCE = 'basemap-raster';
/**
 * An invisible layer between the basemap and the networks. The interleaved works overlay is drawn
 * before it, so works stay under every network, also under systems added at runtime (an import)
 * below the lowest one present at start.
 */
export const WORKS_ANCHOR_LAYER = 'works-anchor';
export const RASTER_BASEMAP_LAYER = 'basemap-raster';
/** The one vector source of every system's layers. */
export const NETWORKS_SOURCE = NETWORKS_TILESET;

/** The TileJSON URL of the networks source for these systems (in drawing order). */
export function networksUrl(codes: readonly SystemCode[], origin: string): string {
  return resolveUrl(`/tiles/${NETWORKS_TILESET}.json?${networkLayersParam(codes)}`, origin);
}

/** A system's style layer drawn from the networks source (its source-layer stays the system's). */
function fromNetworks(layer: LayerSpecification, code: SystemCode): LayerSpecification {
  return 'source' in layer && layer.source === code ? ({ ...layer, source: NETWORKS_SOURCE } as LayerSpecification) : layer;
}

export interface BuildStyleOptions {
  /** Systems that have data (ids from /api/layers); others get no source at all. */
  present: readonly SystemCode[];
  /** Page origin, e.g. window.location.origin. */
  origin: string;
  /** Optional online raster basemap from /api/config. */
  rasterBasemap?: BasemapConfig | null;
}

/** "/tiles/a.json" → "<origin>/tiles/a.json"; absolute URLs stay. Keeps {z}/{x}/{y} unescaped. */
export function resolveUrl(url: string, origin: string): string {
  if (url.startsWith('/') && !url.startsWith('//')) return `${origin.replace(/\/$/, '')}${url}`;
  return url;
}

export function resolveSource(source: SourceSpecification, origin: string): SourceSpecification {
  const resolved = { ...source };
  if ('url' in resolved && typeof resolved.url === 'string') resolved.url = resolveUrl(resolved.url, origin);
  if ('tiles' in resolved && Array.isArray(resolved.tiles)) resolved.tiles = resolved.tiles.map((t) => resolveUrl(t, origin));
  return resolved;
}

function resolveSources(sources: StyleSpecification['sources'], origin: string): StyleSpecification['sources'] {
  return Object.fromEntries(Object.entries(sources).map(([id, s]) => [id, resolveSource(s, origin)]));
}

function rasterBasemapSource(config: BasemapConfig): SourceSpecification {
  return { type: 'raster', tiles: [...config.tiles], tileSize: 256, maxzoom: 19, attribution: config.attribution };
}

/** Put the raster right above the background layer(s), under the outlines and networks. */
function insertRasterLayer(layers: LayerSpecification[]): LayerSpecification[] {
  const raster: LayerSpecification = { id: RASTER_BASEMAP_LAYER, type: 'raster', source: RASTER_BASEMAP_SOURCE };
  const firstNonBackground = layers.findIndex((l) => l.type !== 'background');
  const at = firstNonBackground === -1 ? layers.length : firstNonBackground;
  return [...layers.slice(0, at), raster, ...layers.slice(at)];
}

/** Systems that are present and have a style, lowest `order` first. */
export function presentSystemsInOrder(present: readonly SystemCode[], styles: StyleSources['systems']): SystemCode[] {
  return [...SYSTEMS]
    .filter((s) => present.includes(s.code) && styles.has(s.code))
    .sort((a, b) => a.order - b.order)
    .map((s) => s.code);
}

export function buildStyle(inputs: StyleSources, options: BuildStyleOptions): StyleSpecification {
  const { basemap } = inputs;
  let sources = resolveSources(basemap.sources, options.origin);
  let layers = structuredClone(basemap.layers);
  if (options.rasterBasemap) {
    sources = { ...sources, [RASTER_BASEMAP_SOURCE]: rasterBasemapSource(options.rasterBasemap) };
    layers = insertRasterLayer(layers);
  }
  layers = [...layers, { id: WORKS_ANCHOR_LAYER, type: 'background', layout: { visibility: 'none' } }];
  const codes = presentSystemsInOrder(options.present, inputs.systems);
  const highlight: LayerSpecification[] = [];
  if (codes.length > 0) sources = { ...sources, [NETWORKS_SOURCE]: { type: 'vector', url: networksUrl(codes, options.origin) } };
  for (const code of codes) {
    const style = inputs.systems.get(code);
    if (!style) continue;
    layers = [...layers, ...structuredClone(style.layers).map((l) => fromNetworks(l, code))];
    highlight.push(...createSelectionLayers(code, getSystem(code).color));
  }
  return { ...structuredClone(basemap), name: 'Samenhang', sources, layers: [...layers, ...highlight] };
}

/** The style layers drawn for one system (`<code>-*`), the ones clicks are queried on. */
export function systemLayerIds(style: Pick<StyleSpecification, 'layers'>, code: SystemCode): string[] {
  return style.layers.filter((l) => l.id.startsWith(`${code}-`)).map((l) => l.id);
}
