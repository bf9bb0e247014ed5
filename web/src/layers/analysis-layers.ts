/**
 * The analysis on the map (issue 6), as deck.gl layers over the works: the works of the finding
 * being looked at (a wide halo), arcs between the works of each bundle, and the squares coloured
 * by how often the ground opens in the horizon (as planned, or with the accepted combinations).
 */
import { ArcLayer, GeoJsonLayer } from '@deck.gl/layers';
import { centroid } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import type { ApiBundle, OpeningsAnswer } from '../api/analysis-endpoints.ts';
import { WORKS_ANCHOR_LAYER } from './build-style.ts';
import { interleaveBelow, type WorkGeoJson } from './works-layer.ts';

export const ANALYSIS_HIGHLIGHT_ID = 'analysis-highlight';
export const ANALYSIS_ARCS_ID = 'analysis-arcs';
export const ANALYSIS_OPENINGS_ID = 'analysis-openings';

/** Openings 1…5+ from pale yellow to deep red; the legend uses the same steps. */
export const OPENINGS_STEPS: readonly [number, [number, number, number]][] = [
  [1, [255, 237, 160]], [2, [254, 178, 76]], [3, [253, 141, 60]], [4, [240, 59, 32]], [5, [189, 0, 38]],
];

export function openingsColour(count: number): [number, number, number, number] {
  let colour = OPENINGS_STEPS[0]?.[1] ?? [255, 255, 255];
  for (const [min, c] of OPENINGS_STEPS) if (count >= min) colour = c;
  return [...colour, 170];
}

interface Arc { from: [number, number]; to: [number, number]; id: string }

/** One arc per pair of consecutive works of a bundle, between the works' centroids. */
export function bundleArcs(bundles: readonly ApiBundle[], works: readonly WorkGeoJson[]): Arc[] {
  const byId = new Map(works.map((w) => [w.properties.id, w]));
  const centre = (id: number): [number, number] | null => {
    const w = byId.get(id);
    if (!w?.geometry) return null;
    const c = centroid(w as Parameters<typeof centroid>[0]).geometry.coordinates;
    return [c[0] ?? 0, c[1] ?? 0];
  };
  const arcs: Arc[] = [];
  for (const b of bundles) {
    for (let i = 1; i < b.works.length; i++) {
      const from = centre(b.works[i - 1] ?? 0);
      const to = centre(b.works[i] ?? 0);
      if (from && to) arcs.push({ from, to, id: b.id });
    }
  }
  return arcs;
}

export interface AnalysisLayersProps {
  works: readonly WorkGeoJson[];
  highlight: readonly number[];
  bundles: readonly ApiBundle[] | null;
  openings: OpeningsAnswer | null;
  withAcceptedCombinations: boolean;
}

export function createAnalysisLayers({ works, highlight, bundles, openings, withAcceptedCombinations }: AnalysisLayersProps): object[] {
  const layers: object[] = [];
  if (openings) {
    const value = (f: Feature<Polygon, { openings: number; withAcceptedCombinations: number }>) => (withAcceptedCombinations ? f.properties.withAcceptedCombinations : f.properties.openings);
    layers.push(new GeoJsonLayer({
      id: ANALYSIS_OPENINGS_ID,
      // under the networks: the pipes and cables stay readable over the heat
      ...interleaveBelow(WORKS_ANCHOR_LAYER),
      data: { type: 'FeatureCollection', features: openings.features } as never,
      filled: true, stroked: false, pickable: false,
      getFillColor: (f: unknown) => openingsColour(value(f as Feature<Polygon, { openings: number; withAcceptedCombinations: number }>)),
      updateTriggers: { getFillColor: [withAcceptedCombinations] },
    }));
  }
  if (highlight.length > 0) {
    const set = new Set(highlight);
    layers.push(new GeoJsonLayer({
      id: ANALYSIS_HIGHLIGHT_ID,
      data: works.filter((w) => set.has(w.properties.id)) as never,
      stroked: true, filled: false, pickable: false,
      getLineColor: [255, 200, 0, 230], lineWidthUnits: 'pixels', getLineWidth: 10, lineCapRounded: true, lineJointRounded: true,
    }));
  }
  if (bundles && bundles.length > 0) {
    layers.push(new ArcLayer<Arc>({
      id: ANALYSIS_ARCS_ID,
      data: bundleArcs(bundles, works),
      getSourcePosition: (a) => a.from, getTargetPosition: (a) => a.to,
      getSourceColor: [0, 128, 128, 230], getTargetColor: [0, 180, 120, 230], getWidth: 3, getHeight: 0.6, greatCircle: false,
    }));
  }
  return layers;
}
