import { SYSTEMS, type SystemCode } from '@model/systems.ts';
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import basemapJson from '../../../styles/basemap.json';
import type { PreviewCollection } from '../api/types.ts';
import { buildStyle, NETWORKS_SOURCE, WORKS_ANCHOR_LAYER } from '../layers/build-style.ts';
import { PREVIEW_SOURCE } from '../layers/import-preview-layers.ts';
import { toStyleSources } from '../layers/style-catalog.ts';
import { applyPreview, applyStyleAdditions, planStyleAdditions, refreshTileSources, retargetSources, withoutVersion, withVersion, type StyleAdapter } from './style-sync.ts';

const systemModules = import.meta.glob<unknown>('../../../styles/systems/*.json', { eager: true, import: 'default' });
const sources = toStyleSources(basemapJson, systemModules);
const origin = 'http://localhost:8080';
const styleWith = (present: SystemCode[]) => buildStyle(sources, { present, origin });

/** Keeps the layer order and sources like MapLibre does, for the methods used. */
class FakeStyleMap implements StyleAdapter {
  order: string[];
  sources = new Map<string, SourceSpecification & { setUrl?: (u: string) => void }>();
  urls: string[] = [];
  constructor(layers: readonly LayerSpecification[], srcs: Record<string, SourceSpecification>) {
    this.order = layers.map((l) => l.id);
    for (const [id, s] of Object.entries(srcs)) this.addSource(id, s);
  }
  getLayer(id: string): unknown {
    return this.order.includes(id) ? { id } : undefined;
  }
  getSource(id: string): unknown {
    return this.sources.get(id);
  }
  getLayersOrder(): string[] {
    return [...this.order];
  }
  addSource(id: string, source: SourceSpecification): void {
    if (this.sources.has(id)) throw new Error(`source ${id} exists`);
    const live: SourceSpecification & { setUrl?: (u: string) => void } = { ...source };
    live.setUrl = (u: string) => {
      this.urls.push(`${id} ${u}`);
      if ('url' in live) live.url = u; // as MapLibre's VectorTileSource
    };
    this.sources.set(id, live);
  }
  addLayer(layer: LayerSpecification, beforeId?: string): void {
    if (this.order.includes(layer.id)) throw new Error(`layer ${layer.id} exists`);
    const at = beforeId === undefined ? this.order.length : this.order.indexOf(beforeId);
    if (at === -1) throw new Error(`no layer ${beforeId ?? ''}`);
    this.order.splice(at, 0, layer.id);
  }
  removeLayer(id: string): void {
    this.order = this.order.filter((l) => l !== id);
  }
  removeSource(id: string): void {
    this.sources.delete(id);
  }
}

const preview: PreviewCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [5, 52] }, properties: { __index: 1 } }] };

describe('adding systems that appeared after an import', () => {
  it('gives the running map exactly the layer order of a freshly built style', () => {
    const before = styleWith(['gas_ld', 'verlichting']);
    const map = new FakeStyleMap(before.layers, before.sources);
    const after = styleWith(['gas_ld', 'verlichting', 'drinkwater', 'telecom', 'mobiliteit']);
    applyStyleAdditions(map, planStyleAdditions(map.getLayersOrder(), (id) => map.getSource(id) !== undefined, after));
    expect(map.getLayersOrder()).toEqual(after.layers.map((l) => l.id));
    expect([...map.sources.keys()].sort()).toEqual(Object.keys(after.sources).sort());
  });

  it('keeps the preview and foreign (deck.gl) layers where they are, networks below the preview', () => {
    const before = styleWith(['gas_ld']);
    const map = new FakeStyleMap(before.layers, before.sources);
    map.addLayer({ id: 'deck-works', type: 'background' }, 'gas_ld-fill');
    applyPreview(map, preview);
    const after = styleWith(['gas_ld', 'warmte']);
    const plan = planStyleAdditions(map.getLayersOrder(), (id) => map.getSource(id) !== undefined, after, ['import-preview-fill']);
    applyStyleAdditions(map, plan);
    const order = map.getLayersOrder();
    expect(order.indexOf('deck-works')).toBe(order.indexOf('gas_ld-fill') - 1);
    expect(order.indexOf('warmte-line')).toBeGreaterThan(order.indexOf('gas_ld-line'));
    expect(order.indexOf('selection-warmte-point')).toBeLessThan(order.indexOf('import-preview-fill'));
    expect(order.at(-1)).toBe('import-preview-point');
  });

  it('puts a system lower than all present ones above the works anchor, so works stay under every network', () => {
    const before = styleWith(['gas_ld']);
    const map = new FakeStyleMap(before.layers, before.sources);
    map.addLayer({ id: 'deck-works', type: 'background' }, WORKS_ANCHOR_LAYER);
    const after = styleWith(['gas_ld', 'riool_vrijverval']);
    applyStyleAdditions(map, planStyleAdditions(map.getLayersOrder(), (id) => map.getSource(id) !== undefined, after));
    const order = map.getLayersOrder();
    expect(order.indexOf('deck-works')).toBe(order.indexOf(WORKS_ANCHOR_LAYER) - 1);
    expect(order.indexOf(WORKS_ANCHOR_LAYER)).toBeLessThan(order.indexOf('riool_vrijverval-fill'));
  });

  it('plans nothing when nothing is new', () => {
    const style = styleWith(['gas_ld']);
    const map = new FakeStyleMap(style.layers, style.sources);
    expect(planStyleAdditions(map.getLayersOrder(), (id) => map.getSource(id) !== undefined, style)).toEqual({ sources: [], layers: [] });
  });

  it('covers every system', () => {
    const all = styleWith(SYSTEMS.map((s) => s.code));
    const map = new FakeStyleMap(styleWith([]).layers, styleWith([]).sources);
    applyStyleAdditions(map, planStyleAdditions(map.getLayersOrder(), (id) => map.getSource(id) !== undefined, all));
    expect(map.getLayersOrder()).toEqual(all.layers.map((l) => l.id));
  });
});

describe('refreshing tiles', () => {
  it('sets or replaces the version parameter', () => {
    expect(withVersion('http://h/tiles/gas_ld.json', '7-1')).toBe('http://h/tiles/gas_ld.json?v=7-1');
    expect(withVersion('http://h/tiles/gas_ld.json?v=3&x=1', '7-2')).toBe('http://h/tiles/gas_ld.json?x=1&v=7-2');
  });

  it('removes the version parameter only', () => {
    expect(withoutVersion('http://h/tiles/networks.json?layers=a,b&v=7-2')).toBe('http://h/tiles/networks.json?layers=a,b');
    expect(withoutVersion('http://h/tiles/gas_ld.json?v=3')).toBe('http://h/tiles/gas_ld.json');
  });

  it('re-sets the TileJSON url of the given sources only, skipping unknown ones', () => {
    const style = styleWith(['gas_ld', 'drinkwater']);
    const map = new FakeStyleMap(style.layers, style.sources);
    expect(refreshTileSources(map, [NETWORKS_SOURCE, 'kabel'], '9-5')).toEqual([NETWORKS_SOURCE]);
    expect(map.urls).toEqual([`${NETWORKS_SOURCE} http://localhost:8080/tiles/networks.json?layers=drinkwater,gas_ld&v=9-5`]);
  });

  it('gives the networks source the new systems when they change, not when only the version differs', () => {
    const map = new FakeStyleMap(styleWith(['gas_ld']).layers, styleWith(['gas_ld']).sources);
    refreshTileSources(map, [NETWORKS_SOURCE], '1');
    map.urls = [];
    expect(retargetSources(map, styleWith(['gas_ld']))).toEqual([]);
    expect(map.urls).toEqual([]);
    expect(retargetSources(map, styleWith(['gas_ld', 'telecom']))).toEqual([NETWORKS_SOURCE]);
    expect(map.urls).toEqual([`${NETWORKS_SOURCE} http://localhost:8080/tiles/networks.json?layers=gas_ld,telecom`]);
  });
});

describe('applyPreview', () => {
  it('adds the preview on top, replaces it, and removes it', () => {
    const style = styleWith(['gas_ld']);
    const map = new FakeStyleMap(style.layers, style.sources);
    applyPreview(map, preview);
    applyPreview(map, preview);
    expect(map.getLayersOrder().filter((id) => id.startsWith('import-preview-'))).toHaveLength(4);
    expect(map.getSource(PREVIEW_SOURCE)).toBeDefined();
    applyPreview(map, null);
    expect(map.getLayersOrder().some((id) => id.startsWith('import-preview-'))).toBe(false);
    expect(map.getSource(PREVIEW_SOURCE)).toBeUndefined();
  });
});
