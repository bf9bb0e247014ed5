/** styles/ is the one source of truth for how systems look: valid MapLibre styles, model colours. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../api/src/model/systems.ts';

const STYLES = path.resolve(import.meta.dirname, '..', '..', 'styles');
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

interface Layer {
  id: string;
  type: string;
  source?: string;
  paint?: Record<string, unknown>;
}

describe('styles/', () => {
  it('the basemap is a valid MapLibre style without remote resources', () => {
    const style = read(path.join(STYLES, 'basemap.json'));
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('there is exactly one style per vital system', () => {
    const files = readdirSync(path.join(STYLES, 'systems')).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(SYSTEMS.map((s) => `${s.code}.json`).sort());
  });

  for (const system of SYSTEMS) {
    it(`${system.code}: valid, one source, drawn in the model colour ${system.color}`, () => {
      const style = read(path.join(STYLES, 'systems', `${system.code}.json`));
      expect(validateStyleMin(style as never)).toEqual([]);
      expect(Object.keys(style.sources as object)).toEqual([system.code]);
      const layers = style.layers as Layer[];
      expect(layers.length).toBeGreaterThan(0);
      for (const layer of layers) {
        expect(layer.id.startsWith(`${system.code}-`)).toBe(true);
        const colour = layer.paint?.[`${layer.type}-color`];
        expect(colour, `${layer.id} colour`).toBe(system.color);
      }
      expect(layers.map((l) => l.type)).toEqual(expect.arrayContaining(['line', 'circle']));
    });
  }
});
