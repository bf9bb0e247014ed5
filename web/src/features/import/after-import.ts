/**
 * What follows a finished load, so the layer shows at once without a page reload: the layer
 * catalogue and the dataset list are fetched again, the tiles of the systems the dataset filled
 * are reloaded (new version in the TileJSON URL), and the map zooms to the imported features.
 */
import { isSystemCode, type SystemCode } from '@model/systems.ts';
import type { Bbox, DatasetInfo, ImportJob, LayersResponse } from '../../api/types.ts';
import { previewBbox } from '../../layers/import-preview-layers.ts';
import type { AppAction } from '../../state/app-state.ts';

export interface AfterImportDeps {
  reloadLayers: () => Promise<LayersResponse | null>;
  reloadDatasets: () => Promise<DatasetInfo[] | null>;
  dispatch: (action: AppAction) => void;
  now: () => number;
}

/**
 * The systems to reload: those the dataset lists; when it is not (yet) listed, every system in the
 * catalogue, since any of them may have received features.
 */
export function systemsToRefresh(job: ImportJob, datasets: readonly DatasetInfo[] | null, layers: LayersResponse | null): SystemCode[] {
  const id = job.report?.layer.datasetId;
  const dataset = id === undefined ? undefined : datasets?.find((d) => d.id === id);
  if (dataset && dataset.systems.length > 0) return dataset.systems.filter(isSystemCode);
  return layers?.layers.map((l) => l.id) ?? [];
}

/** `<dataset id>-<timestamp>`: distinct per load, also when a dataset is updated in place. */
export function tilesVersion(job: ImportJob, now: number): string {
  const id = job.report?.layer.datasetId;
  return id === undefined ? String(now) : `${id}-${now}`;
}

export async function refreshAfterImport(job: ImportJob, deps: AfterImportDeps): Promise<Bbox | null> {
  const [layers, datasets] = await Promise.all([deps.reloadLayers(), deps.reloadDatasets()]);
  deps.dispatch({ type: 'tiles/refresh', version: tilesVersion(job, deps.now()), systems: systemsToRefresh(job, datasets, layers) });
  const bbox = previewBbox(job.preview);
  if (bbox) deps.dispatch({ type: 'focus/bbox', bbox });
  return bbox;
}
