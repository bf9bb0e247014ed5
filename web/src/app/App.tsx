/**
 * The shell: header (title, search, import, language, sign-in), side panel (layers, imported
 * layers, works filters), the map with the detail card and the import dialog, and the works
 * timeline under the map. All state lives in one reducer of pure updaters (the import flow and
 * the works view have their own). Signing in or out refetches everything shown, since what the
 * user may see changed. The shareable part (view, layers, filters, time, tab, selection) is
 * mirrored in the URL's hash (use-url-state.ts).
 */
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
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
import { AnalysisPanel } from '../features/analysis/AnalysisPanel.tsx';
import { RulesDialog } from '../features/analysis/RulesDialog.tsx';
import { useAnalysisFeature } from '../features/analysis/use-analysis-feature.ts';
import { useWalksFeature } from '../features/walks/use-walks-feature.ts';
import { WalksPanel } from '../features/walks/WalksPanel.tsx';
import { LayerPanel } from '../features/layers/LayerPanel.tsx';
import { MoratoriumEditor } from '../features/work-edit/MoratoriumEditor.tsx';
import { NewMoratoriumButton, NewWorkButton } from '../features/work-edit/NewWorkButton.tsx';
import { UndoToast } from '../features/work-edit/UndoToast.tsx';
import { useWorkEditor } from '../features/work-edit/use-work-editor.ts';
import { WorkEditor } from '../features/work-edit/WorkEditor.tsx';
import { geometryBbox } from '../features/works/geometry-bbox.ts';
import { useWorksView } from '../features/works/use-works-view.ts';
import { WorksFilters } from '../features/works/WorksFilters.tsx';
import { WorksTimeline } from '../features/works/WorksTimeline.tsx';
import { SearchBox } from '../features/search/SearchBox.tsx';
import { I18nContext } from '../i18n/context.ts';
import { createTranslate } from '../i18n/index.ts';
import type { StyleSources } from '../layers/style-catalog.ts';
import { createInitialState, updateApp } from '../state/app-state.ts';
import type { SideTab } from '../state/url-state.ts';
import { CopyLinkButton } from '../features/share/CopyLinkButton.tsx';
import { ReportButton } from '../features/report/ReportDialog.tsx';
import { ExportButton } from '../features/export/ExportDialog.tsx';
import { loadLanguage, saveLanguage } from '../state/language.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { MapArea } from './MapArea.tsx';
import { readStartState, useUrlState } from './use-url-state.ts';
import { NoticeBar } from './NoticeBar.tsx';
import { useBootstrap } from './use-bootstrap.ts';
import { useMoratoria, useWorks } from './use-works.ts';
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
  // a shared link (issue 8): read once; visibility, filter and tab start from it, the rest follows
  const [start] = useState(readStartState);
  const [state, dispatch] = useReducer(updateApp, storage, (s) => ({ ...createInitialState(loadLanguage(s)), visibility: start.visibility }));
  const i18n = useMemo(() => ({ language: state.language, t: createTranslate(state.language) }), [state.language]);
  const [bootstrap, reloadLayers] = useBootstrap(api, dispatch);
  const imports = useImportFeature({ api, openEvents, dispatch, reloadLayers });
  const { importer } = imports;
  const [worksRevision, setWorksRevision] = useState(0);
  const { works, reload: reloadWorks, loaded: worksLoaded } = useWorks(api, dispatch, worksRevision);
  const { moratoria, reload: reloadMoratoria, loaded: moratoriaLoaded } = useMoratoria(api, dispatch, worksRevision);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const worksView = useWorksView(works, moratoria, start.filter);
  const reloadDatasets = imports.datasets.reload;
  const onAuthChange = useCallback(() => {
    const reloadWorks = (): void => setWorksRevision((r) => r + 1);
    return refreshAfterAuthChange({ reloadLayers, reloadDatasets, reloadWorks, dispatch, now: () => Date.now() });
  }, [reloadLayers, reloadDatasets]);
  const auth = useAuth({ api, dispatch, onChange: onAuthChange });
  const detail = useDetail(api, state.selection, dispatch, moratoria);
  const me = auth.state.status === 'ready' ? (auth.state.me.user ?? null) : null;
  const [planRevision, setPlanRevision] = useState(0);
  const onEdited = useCallback(() => {
    reloadWorks();
    reloadMoratoria();
    setPlanRevision((r) => r + 1);
  }, [reloadWorks, reloadMoratoria]);
  const [chosenTab, setSideTab] = useState<SideTab>(start.tab);
  const [rulesOpen, setRulesOpen] = useState(false);
  const editor = useWorkEditor({ api, map, me, dispatch, onChanged: onEdited, selection: state.selection, snapTo: works });
  // the wijkschouw is for the partners who may plan works (the server decides; signing out leaves the tab)
  const canWalk = editor.canEdit;
  const sideTab = chosenTab === 'walks' && !canWalk ? 'layers' : chosenTab;
  const analysis = useAnalysisFeature({ api, dispatch, map, works, selection: state.selection, active: sideTab === 'analysis', revision: planRevision + worksRevision });
  const walks = useWalksFeature({ api, dispatch, active: sideTab === 'walks', map });
  const share = useUrlState({ start, map, visibility: state.visibility, selection: state.selection, worksView, worksLoaded, moratoria, moratoriaLoaded, tab: sideTab, api, dispatch });
  const extraLayers = useMemo(() => [...analysis.extraLayers, ...walks.extraLayers], [analysis.extraLayers, walks.extraLayers]);
  // Escape while drawing ends the drawing (terra-draw), not the selection
  const drawingRef = useRef(editor.drawing);
  drawingRef.current = editor.drawing;
  const selectWork = useCallback(
    (id: number) => {
      dispatch({ type: 'selection/select', kind: 'work', id });
      const bbox = geometryBbox(works.find((w) => w.properties.id === id)?.geometry);
      if (bbox) dispatch({ type: 'focus/bbox', bbox });
    },
    [works],
  );

  useEffect(() => {
    saveLanguage(storage, state.language);
    document.documentElement.lang = state.language;
  }, [storage, state.language]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !drawingRef.current) dispatch({ type: 'selection/clear' });
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
          <NewWorkButton editor={editor} />
          <NewMoratoriumButton editor={editor} />
          <ExportButton api={api} map={map} layers={ready ? (bootstrap.layers?.layers ?? null) : null} visibility={state.visibility} me={me} />
          <CopyLinkButton getUrl={share.linkUrl} />
          <ReportButton api={api} map={map} role={role} />
          <LanguageSwitch dispatch={dispatch} />
          <AuthControls auth={auth} api={api} />
        </header>
        <aside className="side-panel">
          <div className="side-tabs" role="tablist" aria-label={t('sidePanelTabs')}>
            <button type="button" role="tab" id="tab-layers" aria-selected={sideTab === 'layers'} aria-controls="side-layers" data-testid="tab-layers" onClick={() => setSideTab('layers')}>
              {t('tabLayers')}
            </button>
            <button type="button" role="tab" id="tab-analysis" aria-selected={sideTab === 'analysis'} aria-controls="side-analysis" data-testid="tab-analysis" onClick={() => setSideTab('analysis')}>
              {t('tabAnalysis')}
            </button>
            {canWalk && (
              <button type="button" role="tab" id="tab-walks" aria-selected={sideTab === 'walks'} aria-controls="side-walks" data-testid="tab-walks" onClick={() => setSideTab('walks')}>
                {t('tabWalks')}
              </button>
            )}
          </div>
          {sideTab === 'walks' && (
            <div role="tabpanel" id="side-walks" aria-labelledby="tab-walks">
              <WalksPanel feature={walks} />
            </div>
          )}
          {sideTab === 'analysis' && (
            <div role="tabpanel" id="side-analysis" aria-labelledby="tab-analysis">
              <AnalysisPanel
                analysis={analysis.analysis}
                labels={analysis.labels}
                view={analysis.view}
                onView={analysis.onView}
                onShow={analysis.onShow}
                canDecide={role === 'area_manager' || role === 'admin'}
                isAdmin={role === 'admin'}
                onOpenRules={() => setRulesOpen(true)}
                whatIf={analysis.whatIf}
                selectedTitle={analysis.selectedTitle}
              />
            </div>
          )}
          <div role="tabpanel" id="side-layers" aria-labelledby="tab-layers" hidden={sideTab !== 'layers'}>
          <LayerPanel
            layers={ready ? (bootstrap.layers?.layers ?? null) : null}
            loading={!ready}
            worksCount={works.length}
            moratoriaCount={moratoria.length}
            visibility={state.visibility}
            dispatch={dispatch}
          >
            <DatasetList state={imports.datasets.state} exportUrl={api.datasetExportUrl} />
          </LayerPanel>
          <WorksFilters view={worksView} />
          </div>
        </aside>
        <main className="map-area" {...imports.drop.handlers}>
          {ready ? (
            <MapArea
              bootstrap={bootstrap}
              styles={styles}
              origin={origin}
              works={worksView.shown}
              worksColouring={worksView.colouring}
              moratoria={worksView.moratoriaShown}
              state={state}
              dispatch={dispatch}
              preview={imports.preview}
              importOpen={importer.flow.step !== 'idle'}
              onMap={setMap}
              drawing={editor.drawing || walks.drawing}
              extraLayers={extraLayers}
              camera={start.camera}
            />
          ) : (
            <p className="map-loading">{t('mapLoading')}</p>
          )}
          <DetailPanel
            detail={detail}
            onClose={() => dispatch({ type: 'selection/clear' })}
            onEditWork={editor.canEdit ? editor.startEdit : undefined}
            onDeleteWork={editor.canEdit ? (id) => void editor.remove(id) : undefined}
            onEditMoratorium={editor.canEdit ? editor.startEditMoratorium : undefined}
            onDeleteMoratorium={editor.canEdit ? (id) => void editor.removeMoratorium(id) : undefined}
            editableOwner={editor.canEdit ? (me?.organisation.slug ?? null) : undefined}
          />
          <WorkEditor editor={editor} />
          <MoratoriumEditor editor={editor} />
          <UndoToast undo={editor.undo} />
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
          {rulesOpen && <RulesDialog api={api} onClose={() => setRulesOpen(false)} onSaved={() => setPlanRevision((r) => r + 1)} />}
        </main>
        <WorksTimeline view={worksView} selectedId={state.selection?.kind === 'work' ? state.selection.id : null} onSelect={selectWork} />
      </div>
    </I18nContext>
  );
}
