/**
 * Everything the shell needs for importing, in one place: the flow, the file drop on the map,
 * the owner list, the imported datasets, and the refresh of layers and tiles after a load.
 */
import { useCallback, useMemo, useState, type Dispatch } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { Bbox, ImportJob, LayersResponse, PreviewCollection } from '../../api/types.ts';
import type { AppAction } from '../../state/app-state.ts';
import { refreshAfterImport } from './after-import.ts';
import { isBusy } from './import-flow.ts';
import type { EventSourceLike } from './job-stream.ts';
import { useDatasets, type UseDatasets } from './use-datasets.ts';
import { useFileDrop, usePreventStrayDrops, type FileDrop } from './use-file-drop.ts';
import { useImport, type UseImport } from './use-import.ts';
import { useOrganisations, type OrganisationsState } from './use-organisations.ts';

export interface ImportFeatureDeps {
  api: ApiClient;
  openEvents: ((url: string) => EventSourceLike) | null;
  dispatch: Dispatch<AppAction>;
  reloadLayers: () => Promise<LayersResponse | null>;
}

export interface ImportFeature {
  importer: UseImport;
  datasets: UseDatasets;
  organisations: OrganisationsState;
  drop: FileDrop;
  /** Start an import, or say that one is already running. */
  onFile: (file: File) => void;
  busy: boolean;
  /** What the map draws as preview while the dialog is open. */
  preview: PreviewCollection | null;
}

export function useImportFeature({ api, openEvents, dispatch, reloadLayers }: ImportFeatureDeps): ImportFeature {
  const datasets = useDatasets(api);
  const { reload: reloadDatasets } = datasets;
  const onLoaded = useCallback(
    (job: ImportJob) => {
      void refreshAfterImport(job, { reloadLayers, reloadDatasets, dispatch, now: () => Date.now() });
    },
    [reloadLayers, reloadDatasets, dispatch],
  );
  const onFocus = useCallback((bbox: Bbox) => dispatch({ type: 'focus/bbox', bbox }), [dispatch]);
  const deps = useMemo(() => ({ api, openEvents, onLoaded, onFocus }), [api, openEvents, onLoaded, onFocus]);
  const importer = useImport(deps);
  const { flow, start } = importer;
  const organisations = useOrganisations(api, flow.step === 'review');

  const onFile = useCallback(
    (file: File) => {
      if (!start(file)) dispatch({ type: 'notice/show', key: 'importBusyNotice', detail: file.name });
    },
    [start, dispatch],
  );
  const drop = useFileDrop(onFile);
  usePreventStrayDrops();

  const previewing = flow.step === 'review' || flow.step === 'loading' || flow.step === 'report';
  const preview = useStablePreview(previewing ? flow.job : null);
  return { importer, datasets, organisations, drop, onFile, busy: isBusy(flow), preview };
}

/**
 * The preview of the job on screen, the same object for as long as the job is: every progress
 * event brings a fresh copy of the job, and the map should not redraw the preview for each.
 */
function useStablePreview(job: ImportJob | null): PreviewCollection | null {
  const [kept, setKept] = useState<{ id: string; preview: PreviewCollection } | null>(null);
  const fresh = job?.preview ?? null;
  const stale = job === null || fresh === null ? kept !== null : kept?.id !== job.id;
  if (stale) setKept(job === null || fresh === null ? null : { id: job.id, preview: fresh });
  return job !== null && kept?.id === job.id ? kept.preview : fresh;
}
