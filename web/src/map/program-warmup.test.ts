import { readFileSync, readdirSync } from 'node:fs';
import type { GeoJSONSourceSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { WARMUP_OPACITY, WARMUP_PREFIX, WARMUP_SOURCE, programSignature, warmUpPrograms, warmUpStyle, type WarmUpMap } from './program-warmup.ts';

const stylesDir = new URL('../../../styles/systems/', import.meta.url);
const systemLayers = (): LayerSpecification[] =>
  readdirSync(stylesDir).filter((f) => f.endsWith('.json')).flatMap((f) => (JSON.parse(readFileSync(new URL(f, stylesDir), 'utf8')) as StyleSpecification).layers);

describe('warmUpStyle', () => {
  it('draws one faded copy per program of the bundled network styles, each type once at least', () => {
    const layers = systemLayers();
    const { source, layers: copies } = warmUpStyle({ layers }, [5.9, 51.2]);
    expect(source.type).toBe('geojson');
    const types = new Set(copies.map((l) => l.type));
    expect(types).toEqual(new Set(['fill', 'line', 'circle']));
    // every network layer type with a fadeable opacity is covered by a copy with its signature
    const signatures = new Set(copies.map((l) => programSignature(l as Parameters<typeof programSignature>[0])));
    for (const l of layers) {
      if (l.type !== 'fill' && l.type !== 'line' && l.type !== 'circle') continue;
      const opacity = (l.paint as Record<string, unknown> | undefined)?.[`${l.type}-opacity`];
      if (Array.isArray(opacity) && JSON.stringify(opacity).includes('"get"')) continue;
      expect(signatures.has(programSignature(l))).toBe(true);
    }
    // far fewer copies than layers: fourteen systems share their programs
    expect(copies.length).toBeLessThan(layers.length / 4);
    for (const c of copies) {
      expect(c.id.startsWith(WARMUP_PREFIX)).toBe(true);
      expect((c as { source: string }).source).toBe(WARMUP_SOURCE);
      expect('minzoom' in c || 'filter' in c).toBe(false);
      const paint = c.paint as Record<string, unknown>;
      for (const [k, v] of Object.entries(paint)) if (k.endsWith('opacity')) expect(v).toBe(WARMUP_OPACITY);
    }
  });

  it('tells data-driven paint from constant and zoom-only paint', () => {
    const base = { id: 'a', type: 'line', source: 's' } as const;
    const constant = programSignature({ ...base, paint: { 'line-color': '#f00', 'line-width': 2 } });
    const zoomOnly = programSignature({ ...base, paint: { 'line-color': '#0f0', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 3] } });
    const byFeature = programSignature({ ...base, paint: { 'line-color': '#f00', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, ['coalesce', ['get', 'w'], 3]] } });
    expect(zoomOnly).toBe(constant);
    expect(byFeature).not.toBe(constant);
  });

  it('leaves out layers whose opacity is data-driven or that need sprite images', () => {
    const layers: LayerSpecification[] = [
      { id: 'd', type: 'fill', source: 's', paint: { 'fill-opacity': ['get', 'o'] } },
      { id: 'p', type: 'fill', source: 's', paint: { 'fill-pattern': 'hatch' } },
      { id: 'b', type: 'background', paint: { 'background-color': '#fff' } },
    ];
    expect(warmUpStyle({ layers }, [0, 0]).layers).toEqual([]);
  });
});

describe('warmUpPrograms', () => {
  it('adds the copies, takes them away at the next idle, and later draws only signatures not drawn before', () => {
    const sources = new Map<string, GeoJSONSourceSpecification>();
    const added: string[] = [];
    let idle: (() => void)[] = [];
    const map: WarmUpMap = {
      getCenter: () => ({ lng: 5.9, lat: 51.2 }),
      addSource: (id, s) => void sources.set(id, s),
      addLayer: (l) => void added.push(l.id),
      getLayer: (id) => (added.includes(id) ? {} : undefined),
      removeLayer: (id) => void added.splice(added.indexOf(id), 1),
      getSource: (id) => sources.get(id),
      removeSource: (id) => void sources.delete(id),
      once: (_e, f) => void idle.push(f),
    };
    const runIdle = (): void => {
      const fs = idle;
      idle = [];
      for (const f of fs) f();
    };
    const warmed = new Set<string>();
    const signatures = warmUpPrograms(map, systemLayers(), warmed);
    expect(signatures.length).toBe(added.length);
    expect(signatures.some((sig) => sig.startsWith('circle|'))).toBe(true);
    expect([...sources.keys()]).toEqual([`${WARMUP_SOURCE}-0`]);
    expect(added.every((id) => id.startsWith(WARMUP_PREFIX))).toBe(true);
    // a second batch while the first is still drawn gets a source of its own, and only what is new
    const later: LayerSpecification[] = [
      ...systemLayers(),
      { id: 'new', type: 'circle', source: 's', paint: { 'circle-color': ['get', 'kleur'] } },
    ];
    expect(warmUpPrograms(map, later, warmed)).toEqual(['circle|circle-color']);
    expect([...sources.keys()]).toEqual([`${WARMUP_SOURCE}-0`, `${WARMUP_SOURCE}-1`]);
    runIdle();
    expect(added).toEqual([]);
    expect(sources.size).toBe(0);
    expect(warmUpPrograms(map, later, warmed)).toEqual([]);
    expect(sources.size).toBe(0);
  });
});
