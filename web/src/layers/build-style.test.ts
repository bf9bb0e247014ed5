import { SYSTEMS, type SystemCode } from '@model/systems.ts';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import basemapJson from '../../../styles/basemap.json';
import { buildStyle, NETWORKS_SOURCE, RASTER_BASEMAP_LAYER, resolveUrl, systemLayerIds } from './build-style.ts';
import { selectionFilters } from './selection-layers.ts';
import { toStyleSources } from './style-catalog.ts';

// The real styles from the repo, the same files the app bundles.
const systemModules = import.meta.glob<unknown>('../../../styles/systems/*.json', { eager: true, import: 'default' });
const sources = toStyleSources(basemapJson, systemModules);
const origin = 'http://localhost:8080';

function paintOf(layer: LayerSpecification): Record<string, unknown> {
  return 'paint' in layer && layer.paint ? { ...layer.paint } : {};
}

describe('styles/', () => {
  it('has a style for every system, in the system colour', () => {
    expect([...sources.systems.keys()].sort()).toEqual(SYSTEMS.map((s) => s.code).sort());
    for (const system of SYSTEMS) {
      const style = sources.systems.get(system.code);
      expect(style, system.code).toBeDefined();
      const layers = style?.layers ?? [];
      expect(layers.map((l) => l.type).sort()).toEqual(['circle', 'fill', 'fill', 'line']);
      // below z14 the tiles hold overview cells (cell = true): drawn by -density only, never by -fill
      const density = layers.find((l) => l.id === `${system.code}-density`) as { filter?: unknown; maxzoom?: number } | undefined;
      expect(density?.filter, system.code).toEqual(['==', ['get', 'cell'], true]);
      expect(density?.maxzoom).toBe(14);
      expect(JSON.stringify((layers.find((l) => l.id === `${system.code}-fill`) as { filter?: unknown }).filter)).toContain('"!=",["get","cell"],true');
      for (const layer of layers) {
        expect(layer.id.startsWith(`${system.code}-`)).toBe(true);
        const paint = paintOf(layer);
        const color = paint['line-color'] ?? paint['circle-color'] ?? paint['fill-color'];
        expect(color, layer.id).toBe(system.color);
      }
    }
  });
});

describe('buildStyle', () => {
  const present: SystemCode[] = ['verlichting', 'drinkwater', 'riool_vrijverval'];
  const style = buildStyle(sources, { present, origin });

  it('produces a valid style', () => {
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('adds only present systems, basemap first, then by taxonomy order, highlights last', () => {
    expect(Object.keys(style.sources).sort()).toEqual(['gemeenten', NETWORKS_SOURCE]);
    const ids = style.layers.map((l) => l.id);
    expect(ids[0]).toBe('background');
    const firstIndex = (prefix: string): number => ids.findIndex((id) => id.startsWith(prefix));
    expect(firstIndex('gemeenten-')).toBeLessThan(firstIndex('riool_vrijverval-'));
    expect(firstIndex('riool_vrijverval-')).toBeLessThan(firstIndex('drinkwater-'));
    expect(firstIndex('drinkwater-')).toBeLessThan(firstIndex('verlichting-'));
    expect(firstIndex('verlichting-')).toBeLessThan(firstIndex('selection-'));
    expect(ids.some((id) => id.startsWith('gas_ld-'))).toBe(false);
  });

  it('draws every system from the one networks source, a source-layer per system in drawing order', () => {
    const networks = style.sources[NETWORKS_SOURCE];
    expect(networks && 'url' in networks ? networks.url : null).toBe('http://localhost:8080/tiles/networks.json?layers=riool_vrijverval,drinkwater,verlichting');
    const systemLayers = style.layers.filter((l) => present.some((code) => l.id.startsWith(`${code}-`) || l.id.startsWith(`selection-${code}-`)));
    expect(systemLayers.length).toBe(present.length * 8);
    for (const l of systemLayers) {
      expect('source' in l ? l.source : null, l.id).toBe(NETWORKS_SOURCE);
      const code = present.find((c) => l.id.startsWith(`${c}-`) || l.id.startsWith(`selection-${c}-`));
      expect('source-layer' in l ? l['source-layer'] : null, l.id).toBe(code);
    }
  });

  it('has no networks source when no system is present', () => {
    const empty = buildStyle(sources, { present: [], origin });
    expect(Object.keys(empty.sources)).toEqual(['gemeenten']);
    expect(validateStyleMin(empty)).toEqual([]);
  });

  it('resolves relative TileJSON urls against the origin', () => {
    const gemeenten = style.sources['gemeenten'];
    expect(gemeenten && 'url' in gemeenten ? gemeenten.url : null).toBe('http://localhost:8080/tiles/gemeenten.json');
  });

  it('does not mutate the bundled styles', () => {
    const basemapSource = sources.basemap.sources['gemeenten'];
    expect(basemapSource && 'url' in basemapSource ? basemapSource.url : null).toBe('/tiles/gemeenten.json');
  });

  it('puts an online raster basemap just above the background', () => {
    const withRaster = buildStyle(sources, {
      present,
      origin,
      rasterBasemap: { tiles: ['https://example.test/{z}/{x}/{y}.png'], attribution: 'Kadaster' },
    });
    expect(validateStyleMin(withRaster)).toEqual([]);
    expect(withRaster.layers[1]?.id).toBe(RASTER_BASEMAP_LAYER);
  });

  it('lists the clickable layers of one system', () => {
    expect(systemLayerIds(style, 'drinkwater').sort()).toEqual(['drinkwater-density', 'drinkwater-fill', 'drinkwater-line', 'drinkwater-point']);
  });

  it('has a highlight filter per present system that stays valid with an id', () => {
    const filters = selectionFilters(present, 42);
    expect(filters).toHaveLength(present.length * 4);
    const ids = new Set(style.layers.map((l) => l.id));
    for (const [id] of filters) expect(ids.has(id), id).toBe(true);
    const selected = { ...style, layers: style.layers.map((l) => {
      const match = filters.find(([id]) => id === l.id);
      return match && l.type !== 'background' ? { ...l, filter: match[1] } : l;
    }) };
    expect(validateStyleMin(selected)).toEqual([]);
  });
});

describe('resolveUrl', () => {
  it('keeps absolute urls and tile templates intact', () => {
    expect(resolveUrl('https://a.test/x.json', origin)).toBe('https://a.test/x.json');
    expect(resolveUrl('/tiles/a/{z}/{x}/{y}.mvt', `${origin}/`)).toBe('http://localhost:8080/tiles/a/{z}/{x}/{y}.mvt');
    expect(resolveUrl('//cdn.test/x', origin)).toBe('//cdn.test/x');
  });
});
