/**
 * Highlight for the selected asset: one small stack of layers per system
 * source, drawn above all networks, filtered on the asset's database id.
 * Lines get a black casing and a white halo around their own colour, points a
 * black ring, polygons a black outline.
 */
import type { SystemCode } from '@model/systems.ts';
import { NETWORKS_TILESET } from '@model/network-tiles.ts';
import type { FilterSpecification, LayerSpecification } from 'maplibre-gl';

export const SELECTION_PREFIX = 'selection-';

type SelectionPart = 'casing' | 'halo' | 'core' | 'point';

const PART_GEOMETRIES: Readonly<Record<SelectionPart, readonly string[]>> = {
  casing: ['LineString', 'Polygon'],
  halo: ['LineString'],
  core: ['LineString'],
  point: ['Point'],
};

const PARTS = Object.keys(PART_GEOMETRIES) as SelectionPart[];

export function selectionLayerId(code: SystemCode, part: SelectionPart): string {
  return `${SELECTION_PREFIX}${code}-${part}`;
}

/**
 * Filter for one highlight part: the feature whose tile feature id is the selected asset (the map
 * draws the networks tileset, whose lean encoding carries the asset id as feature id only, decision
 * 121). Ids are compared as text so the match does not depend on how the tile encoder typed them.
 * No selection matches nothing; features without an id (the low-zoom overview's cells and merged
 * lines, a tile's merged layers) never match: their id is no number.
 */
export function selectionFilter(part: SelectionPart, id: number | null): FilterSpecification {
  if (id === null) return false;
  return [
    'all',
    ['in', ['geometry-type'], ['literal', [...PART_GEOMETRIES[part]]]],
    ['==', ['to-string', ['id']], String(id)],
  ];
}

const byZoom = (z12: number, z18: number): ['interpolate', ['linear'], ['zoom'], number, number, number, number] => [
  'interpolate',
  ['linear'],
  ['zoom'],
  12,
  z12,
  18,
  z18,
];

export function createSelectionLayers(code: SystemCode, color: string): LayerSpecification[] {
  const base = { source: NETWORKS_TILESET, 'source-layer': code } as const;
  const round = { 'line-cap': 'round', 'line-join': 'round' } as const;
  return [
    { id: selectionLayerId(code, 'casing'), type: 'line', ...base, filter: selectionFilter('casing', null), layout: round, paint: { 'line-color': '#000000', 'line-width': byZoom(7, 12) } },
    { id: selectionLayerId(code, 'halo'), type: 'line', ...base, filter: selectionFilter('halo', null), layout: round, paint: { 'line-color': '#ffffff', 'line-width': byZoom(4, 8) } },
    { id: selectionLayerId(code, 'core'), type: 'line', ...base, filter: selectionFilter('core', null), layout: round, paint: { 'line-color': color, 'line-width': byZoom(2, 5) } },
    {
      id: selectionLayerId(code, 'point'),
      type: 'circle',
      ...base,
      filter: selectionFilter('point', null),
      paint: { 'circle-color': color, 'circle-radius': byZoom(6, 9), 'circle-stroke-color': '#000000', 'circle-stroke-width': 3 },
    },
  ];
}

/** [layer id, filter] for every highlight layer of the given systems. */
export function selectionFilters(codes: readonly SystemCode[], id: number | null): [string, FilterSpecification][] {
  return codes.flatMap((code) => PARTS.map((part): [string, FilterSpecification] => [selectionLayerId(code, part), selectionFilter(part, id)]));
}
