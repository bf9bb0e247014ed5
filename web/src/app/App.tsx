/**
 * The shell: header (title, search, language), side panel (layers) and the
 * map with the detail card. All state lives in one reducer of pure updaters.
 */
import { useEffect, useMemo, useReducer } from 'react';
import type { ApiClient } from '../api/client.ts';
import { DetailPanel } from '../features/detail/DetailPanel.tsx';
import { useDetail } from '../features/detail/use-detail.ts';
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
}

export function App({ api, storage, styles, origin }: AppProps) {
  const [state, dispatch] = useReducer(updateApp, storage, (s) => createInitialState(loadLanguage(s)));
  const i18n = useMemo(() => ({ language: state.language, t: createTranslate(state.language) }), [state.language]);
  const bootstrap = useBootstrap(api, dispatch);
  const works = useWorks(api, dispatch);
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
  return (
    <I18nContext value={i18n}>
      <div className="app">
        <header className="app-header">
          <h1 className="app-title">{t('appTitle')}</h1>
          <span className="app-subtitle">{t('appSubtitle')}</span>
          <SearchBox api={api} dispatch={dispatch} />
          <LanguageSwitch dispatch={dispatch} />
        </header>
        <aside className="side-panel">
          <LayerPanel
            layers={ready ? (bootstrap.layers?.layers ?? null) : null}
            loading={!ready}
            worksCount={ready ? (bootstrap.layers?.works.count ?? works.length) : works.length}
            visibility={state.visibility}
            dispatch={dispatch}
          />
        </aside>
        <main className="map-area">
          {ready ? (
            <MapArea bootstrap={bootstrap} styles={styles} origin={origin} works={works} state={state} dispatch={dispatch} />
          ) : (
            <p className="map-loading">{t('mapLoading')}</p>
          )}
          <DetailPanel detail={detail} onClose={() => dispatch({ type: 'selection/clear' })} />
          <NoticeBar notice={state.notice} dispatch={dispatch} />
        </main>
      </div>
    </I18nContext>
  );
}
