/**
 * The shell: header (title, search, import, language, sign-in), side panel (layers,
 * imported layers) and the map with the detail card and the import dialog.
 * All state lives in one reducer of pure updaters (the import flow has its own).
 * Signing in or out refetches everything shown, since what the user may see changed.
 */
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { refreshAfterAuthChange } from '../features/auth/after-auth.ts';
import { AuthControls } from '../features/auth/AuthControls.tsx';
import { useAuth } from '../features/auth/use-auth.ts';
import { DetailPanel } from '../features/detail/DetailPanel.tsx';
import { useDetail } from '../features/detail/use-detail.ts';
import { DatasetList } from '../features/import/DatasetList.tsx';
import { DropOverlay } from '../features/import/DropOverlay.tsx';
import { ImportButton } from '../features/import/ImportButton.tsx';
import { ImportDialog } from '../features/import/ImportDialog.tsx';
import type { EventSourceLike } from '../features/import/job-stream.ts';
import { useImportFeature } from '../features/import/use-import-feature.ts';
import { LayerPanel } from '../features/layers/LayerPanel.tsx';
import { SearchBox } from '../features/search/SearchBox.tsx';
import { I18nContext } from '../i18n/context.ts';
import { createTranslate } from '../i18n/index.ts';
import type { StyleSources } from '../layers/style-catalog.ts';
import { createInitialState, updateApp } from '../state/app-state.ts';
import { loadLanguage, saveLanguage } from '../state/language.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { MapArea } from './MapArea.tsx';
import { NoticeBar } from './NoticeBar.tsx';
import { useBootstrap } from './use-bootstrap.ts';
import { useWorks } from './use-works.ts';
import './app.css';

export interface AppProps {
  api: ApiClient;
  /** localStorage, or null where it is unavailable. */
  storage: Storage | null;
  styles: StyleSources;
  /** Page origin, to make the style's /tiles URLs absolute. */
  origin: string;
  /** Opens a Server-Sent Events stream (import progress); null = poll instead. */
  openEvents: ((url: string) => EventSourceLike) | null;
}

export function App({ api, storage, styles, origin, openEvents }: AppProps) {
  const [state, dispatch] = useReducer(updateApp, storage, (s) => createInitialState(loadLanguage(s)));
  const i18n = useMemo(() => ({ language: state.language, t: createTranslate(state.language) }), [state.language]);
  const [bootstrap, reloadLayers] = useBootstrap(api, dispatch);
  const imports = useImportFeature({ api, openEvents, dispatch, reloadLayers });
  const { importer } = imports;
  const [worksRevision, setWorksRevision] = useState(0);
  const works = useWorks(api, dispatch, worksRevision);
  const reloadDatasets = imports.datasets.reload;
  const onAuthChange = useCallback(() => {
    const reloadWorks = (): void => setWorksRevision((r) => r + 1);
    return refreshAfterAuthChange({ reloadLayers, reloadDatasets, reloadWorks, dispatch, now: () => Date.now() });
  }, [reloadLayers, reloadDatasets]);
  const auth = useAuth({ api, dispatch, onChange: onAuthChange });
  const detail = useDetail(api, state.selection, dispatch);

  useEffect(() => {
    saveLanguage(storage, state.language);
    document.documentElement.lang = state.language;
  }, [storage, state.language]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') dispatch({ type: 'selection/clear' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const { t } = i18n;
  const ready = bootstrap.status === 'ready';
  // importing layers is for analysts and administrators (the server decides; this only hides the button)
  const role = auth.state.status === 'ready' ? auth.state.me.user?.role : undefined;
  const canImport = role === 'analyst' || role === 'admin';
  return (
    <I18nContext value={i18n}>
      <div className="app">
        <header className="app-header">
          <h1 className="app-title">{t('appTitle')}</h1>
          <span className="app-subtitle">{t('appSubtitle')}</span>
          <SearchBox api={api} dispatch={dispatch} />
          {canImport && <ImportButton busy={imports.busy} onFile={imports.onFile} />}
          <LanguageSwitch dispatch={dispatch} />
          <AuthControls auth={auth} api={api} />
        </header>
        <aside className="side-panel">
          <LayerPanel
            layers={ready ? (bootstrap.layers?.layers ?? null) : null}
            loading={!ready}
            worksCount={ready ? (bootstrap.layers?.works.count ?? works.length) : works.length}
            visibility={state.visibility}
            dispatch={dispatch}
          >
            <DatasetList state={imports.datasets.state} exportUrl={api.datasetExportUrl} />
          </LayerPanel>
        </aside>
        <main className="map-area" {...imports.drop.handlers}>
          {ready ? (
            <MapArea
              bootstrap={bootstrap}
              styles={styles}
              origin={origin}
              works={works}
              state={state}
              dispatch={dispatch}
              preview={imports.preview}
              importOpen={importer.flow.step !== 'idle'}
            />
          ) : (
            <p className="map-loading">{t('mapLoading')}</p>
          )}
          <DetailPanel detail={detail} onClose={() => dispatch({ type: 'selection/clear' })} />
          {importer.flow.step !== 'idle' && (
            <ImportDialog
              flow={importer.flow}
              organisations={imports.organisations}
              dispatch={importer.dispatch}
              onSubmit={importer.submit}
              onCancel={importer.cancel}
              onClose={importer.close}
              onReanalyse={importer.reanalyse}
            />
          )}
          {imports.drop.dragging && <DropOverlay busy={imports.busy} />}
          <NoticeBar notice={state.notice} dispatch={dispatch} />
        </main>
      </div>
    </I18nContext>
  );
}
