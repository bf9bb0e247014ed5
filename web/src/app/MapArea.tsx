/**
 * Builds the merged style once the layer catalogue is known, and hands it to the map; when the
 * catalogue grows (an import), the map adds what is new in the style.
 */
import { useMemo, type Dispatch } from 'react';
import { buildStyle } from '../layers/build-style.ts';
import type { StyleSources } from '../layers/style-catalog.ts';
import type { PreviewCollection } from '../api/types.ts';
import type { MoratoriumGeoJson } from '../layers/moratoria-layer.ts';
import type { WorkGeoJson, WorksColouring } from '../layers/works-layer.ts';
import { MapView, type MapViewProps } from '../map/MapView.tsx';
import type { AppAction, AppState } from '../state/app-state.ts';
import type { MapCamera } from '../state/url-state.ts';
import type { Bootstrap } from './use-bootstrap.ts';

export interface MapAreaProps {
  bootstrap: Extract<Bootstrap, { status: 'ready' }>;
  styles: StyleSources;
  origin: string;
  /** The works to draw (filtered by the works view). */
  works: readonly WorkGeoJson[];
  worksColouring?: WorksColouring | undefined;
  /** The dig moratoria to draw (in the time window). */
  moratoria?: readonly MoratoriumGeoJson[] | undefined;
  state: AppState;
  dispatch: Dispatch<AppAction>;
  /** Features of the file being imported, drawn on top. */
  preview: PreviewCollection | null;
  importOpen: boolean;
  /** Passed on to MapView: the map once loaded (null when removed). */
  onMap?: MapViewProps['onMap'];
  /** Passed on to MapView: while drawing, clicks select nothing. */
  drawing?: boolean | undefined;
  /** Passed on to MapView: the analysis layers over the works. */
  extraLayers?: readonly object[] | undefined;
  /** Passed on to MapView: the first view from a shared link (null = fit to the data). */
  camera?: MapCamera | null | undefined;
}

export function MapArea({ bootstrap, styles, origin, works, worksColouring, moratoria, state, dispatch, preview, importOpen, onMap, drawing, extraLayers, camera }: MapAreaProps) {
  const present = useMemo(() => bootstrap.layers?.layers.map((l) => l.id) ?? [], [bootstrap]);
  const style = useMemo(
    () => buildStyle(styles, { present, origin, rasterBasemap: bootstrap.config?.basemap ?? null }),
    [styles, present, origin, bootstrap],
  );
  return (
    <MapView
      style={style}
      present={present}
      extent={bootstrap.layers?.extent ?? null}
      camera={camera}
      works={works}
      worksColouring={worksColouring}
      moratoria={moratoria}
      visibility={state.visibility}
      selection={state.selection}
      focus={state.focus}
      tiles={state.tiles}
      preview={preview}
      detailOpen={state.selection !== null}
      importOpen={importOpen}
      onPick={(pick) => dispatch({ type: 'selection/select', kind: pick.kind, id: pick.id })}
      onMap={onMap}
      drawing={drawing}
      extraLayers={extraLayers}
    />
  );
}
