/**
 * Everything the analysis tab needs, composed for App: the findings and bundles, the view options,
 * the what-if of the selected work, the openings per square for the map view (fetched again when
 * the map stops moving), the labels of the works, and the deck.gl layers it adds to the map.
 */
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useState, type Dispatch } from 'react';
import { getOpenings, type OpeningsAnswer } from '../../api/analysis-endpoints.ts';
import type { ApiClient } from '../../api/client.ts';
import type { Bbox } from '../../api/types.ts';
import { createAnalysisLayers } from '../../layers/analysis-layers.ts';
import type { WorkGeoJson } from '../../layers/works-layer.ts';
import type { AppAction } from '../../state/app-state.ts';
import type { Selection } from '../../state/selection.ts';
import { geometryBbox } from '../works/geometry-bbox.ts';
import { INITIAL_ANALYSIS_VIEW, type AnalysisViewOptions } from './AnalysisPanel.tsx';
import type { WorkLabels } from './explain.ts';
import { useAnalysis, useWhatIf } from './use-analysis.ts';

const boundsOf = (map: maplibregl.Map | null): Bbox | null => {
  const b = map?.getBounds();
  return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
};

function useOpenings(api: ApiClient, map: maplibregl.Map | null, enabled: boolean, revision: number): OpeningsAnswer | null {
  const [answer, setAnswer] = useState<OpeningsAnswer | null>(null);
  const [moved, setMoved] = useState(0);
  useEffect(() => {
    if (!map || !enabled) return undefined;
    const onMove = (): void => setMoved((n) => n + 1);
    map.on('moveend', onMove);
    return () => {
      map.off('moveend', onMove);
    };
  }, [map, enabled]);
  useEffect(() => {
    const bbox = boundsOf(map);
    if (!enabled || !bbox) {
      setAnswer(null);
      return undefined;
    }
    const abort = new AbortController();
    getOpenings(api, bbox, '2026-01-01', '2032-12-31', abort.signal).then(setAnswer, () => setAnswer(null));
    return () => abort.abort();
  }, [api, map, enabled, revision, moved]);
  return answer;
}

export interface AnalysisFeatureDeps {
  api: ApiClient;
  dispatch: Dispatch<AppAction>;
  map: maplibregl.Map | null;
  works: readonly WorkGeoJson[];
  selection: Selection;
  /** The analysis tab is open: only then is anything fetched or drawn. */
  active: boolean;
  /** Changes after every change of the plan. */
  revision: number;
}

export function useAnalysisFeature({ api, dispatch, map, works, selection, active, revision }: AnalysisFeatureDeps) {
  const [view, setView] = useState<AnalysisViewOptions>(INITIAL_ANALYSIS_VIEW);
  const onView = useCallback((change: Partial<AnalysisViewOptions>) => setView((v) => ({ ...v, ...change })), []);
  const analysis = useAnalysis(api, dispatch, active, revision);
  const openings = useOpenings(api, map, active && view.openings, revision);
  const selectedWork = selection?.kind === 'work' ? selection.id : null;
  const viewBbox = useCallback(() => boundsOf(map), [map]);
  const whatIf = useWhatIf(api, active ? selectedWork : null, viewBbox, revision);
  const labels: WorkLabels = useMemo(
    () => new Map(works.map((w) => [w.properties.id, { title: String(w.properties.title ?? `#${w.properties.id}`), owner: (w.properties.ownerName as string | null | undefined) ?? null }])),
    [works],
  );
  const bundles = analysis.data.status === 'ready' ? analysis.data.bundles : null;
  const extraLayers = useMemo(
    () => (active ? createAnalysisLayers({ works, highlight: view.highlight, bundles: view.arcs ? bundles : null, openings, withAcceptedCombinations: view.withAcceptedCombinations }) : []),
    [active, works, view.highlight, view.arcs, view.withAcceptedCombinations, bundles, openings],
  );
  const onShow = useCallback((ids: readonly number[]) => {
    setView((v) => ({ ...v, highlight: [...ids] }));
    const first = ids[0];
    if (first !== undefined) dispatch({ type: 'selection/select', kind: 'work', id: first });
    const boxes = ids.map((id) => geometryBbox(works.find((w) => w.properties.id === id)?.geometry)).filter((b): b is Bbox => b !== null);
    if (boxes.length > 0) {
      dispatch({ type: 'focus/bbox', bbox: [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))] });
    }
  }, [dispatch, works]);
  const selectedTitle = selectedWork === null ? null : (labels.get(selectedWork)?.title ?? `#${selectedWork}`);
  return { view, onView, analysis, whatIf, labels, extraLayers, onShow, selectedTitle };
}
