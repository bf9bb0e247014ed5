import { SYSTEMS } from '@model/systems.ts';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { WORKS_LEGEND_COLOR } from './works-layer.ts';
import { createPreviewLayers, createPreviewSource, PREVIEW_COLOR, PREVIEW_SOURCE, previewBbox } from './import-preview-layers.ts';

describe('preview layers', () => {
  it('form a valid style', () => {
    const style = {
      version: 8 as const,
      sources: { [PREVIEW_SOURCE]: createPreviewSource({ type: 'FeatureCollection', features: [] }) },
      layers: createPreviewLayers(),
    };
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('use a colour no system and not the works use', () => {
    const used = [...SYSTEMS.map((s) => s.color.toLowerCase()), WORKS_LEGEND_COLOR.toLowerCase()];
    expect(used).not.toContain(PREVIEW_COLOR.toLowerCase());
  });
});

describe('previewBbox', () => {
  it('spans all coordinates of all geometry types, skipping null geometries', () => {
    expect(
      previewBbox({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [5.9, 51.3] }, properties: null },
          { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[[[6.0, 51.0], [6.1, 51.0], [6.1, 51.2], [6.0, 51.0]]]] }, properties: {} },
          { type: 'Feature', geometry: { type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[5.5, 51.4], [5.6, 51.5]] }] }, properties: {} },
          { type: 'Feature', geometry: null, properties: {} },
        ],
      }),
    ).toEqual([5.5, 51.0, 6.1, 51.5]);
  });

  it('is null without coordinates', () => {
    expect(previewBbox(null)).toBeNull();
    expect(previewBbox({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
});
