/**
 * A wijkschouw on the map (issue 7), as deck.gl layers over the works: the walk's area and route
 * (`walk-route`) and its hotspots (`walk-hotspots`, over a dark halo under the published ones): kansen green, knelpunten red-orange, a
 * published one with a white ring, a hidden one greyed; the hotspot looked at last is larger.
 * The legend in the panel uses the same colours (HOTSPOT_COLOURS).
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Hotspot, WalkGeometry } from '../api/walk-endpoints.ts';

export const WALK_HOTSPOTS_ID = 'walk-hotspots';
export const WALK_ROUTE_ID = 'walk-route';
export const WALK_HALO_ID = 'walk-hotspots-halo';

type Rgba = [number, number, number, number];

export const HOTSPOT_COLOURS: Readonly<Record<'kans' | 'knelpunt' | 'hidden', Rgba>> = {
  kans: [26, 152, 80, 235],
  knelpunt: [230, 85, 13, 235],
  hidden: [150, 150, 150, 130],
};
export const ROUTE_COLOUR: Rgba = [29, 79, 145, 220];

export const hotspotFill = (h: Hotspot): Rgba => (h.properties.status === 'hidden' ? HOTSPOT_COLOURS.hidden : HOTSPOT_COLOURS[h.properties.kind]);
export const hotspotRing = (h: Hotspot): Rgba => (h.properties.status === 'published' ? [255, 255, 255, 255] : h.properties.status === 'hidden' ? [110, 110, 110, 160] : [40, 40, 40, 200]);

export interface WalkLayersProps {
  hotspots: readonly Hotspot[];
  route: WalkGeometry | null;
  area: WalkGeometry | null;
  /** The hotspot looked at last (drawn larger); null when none. */
  focused: string | null;
}

export function createWalkLayers({ hotspots, route, area, focused }: WalkLayersProps): object[] {
  const layers: object[] = [];
  const shapes = [area, route].filter((g): g is WalkGeometry => g !== null);
  if (shapes.length > 0) {
    layers.push(new GeoJsonLayer({
      id: WALK_ROUTE_ID,
      data: { type: 'FeatureCollection', features: shapes.map((geometry) => ({ type: 'Feature', geometry, properties: {} })) } as never,
      filled: true, stroked: true, pickable: false,
      getFillColor: [29, 79, 145, 25], getLineColor: ROUTE_COLOUR,
      lineWidthUnits: 'pixels', getLineWidth: 4, lineCapRounded: true, lineJointRounded: true,
    }));
  }
  // hidden ones first, so that what counts is drawn on top
  // a dark halo under the published ones, so that their white ring shows on a light basemap too
  const radius = (h: Hotspot): number => (h.properties.id === focused ? 11 : 7);
  layers.push(new ScatterplotLayer<Hotspot>({
    id: WALK_HALO_ID,
    data: hotspots.filter((h) => h.properties.status === 'published'),
    getPosition: (h) => [h.geometry.coordinates[0] ?? 0, h.geometry.coordinates[1] ?? 0],
    getFillColor: [30, 30, 30, 200],
    getRadius: (h) => radius(h) + 4,
    radiusUnits: 'pixels', stroked: false, filled: true, pickable: false,
    updateTriggers: { getRadius: [focused] },
  }));
  const ordered = [...hotspots].sort((a, b) => Number(b.properties.status === 'hidden') - Number(a.properties.status === 'hidden'));
  layers.push(new ScatterplotLayer<Hotspot>({
    id: WALK_HOTSPOTS_ID,
    data: ordered,
    getPosition: (h) => [h.geometry.coordinates[0] ?? 0, h.geometry.coordinates[1] ?? 0],
    getFillColor: hotspotFill,
    getLineColor: hotspotRing,
    getRadius: radius,
    getLineWidth: (h) => (h.properties.status === 'published' ? 3 : 1),
    radiusUnits: 'pixels', lineWidthUnits: 'pixels', stroked: true, filled: true, pickable: false,
    updateTriggers: { getRadius: [focused] },
  }));
  return layers;
}
