/**
 * The wijkschouw participant page: join with the walk's code (once per walk: the device token is
 * kept), then the walk. A remembered walk opens at once from what the phone kept, so the page also
 * works without a connection; the server is asked in the background.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { WalkApiError } from './api.ts';
import type { SchouwDeps } from './deps.ts';
import { loadLanguage, saveLanguage, SchouwI18nContext, schouwTranslate, useSchouwI18n, type Language } from './i18n.ts';
import { JoinScreen } from './JoinScreen.tsx';
import { codeFromLocation, forgetToken, initialScreen, loadToken, saveCachedWalk, saveToken, walkPath, type Screen } from './session.ts';
import type { JoinResponse } from './types.ts';
import { WalkScreen } from './WalkScreen.tsx';

function LanguageButtons({ onChange }: { onChange: (language: Language) => void }) {
  const { t, language } = useSchouwI18n();
  return (
    <div className="lang" role="group" aria-label={t('langGroup')}>
      {(['nl', 'en'] as const).map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          data-testid={`lang-${lang}`}
          aria-pressed={language === lang}
          aria-label={t(lang === 'nl' ? 'langNl' : 'langEn')}
          onClick={() => onChange(lang)}
        >
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

export function SchouwApp({ deps }: { deps: SchouwDeps }) {
  const { storage, api, history } = deps;
  const [language, setLanguage] = useState<Language>(() => loadLanguage(storage));
  const [screen, setScreen] = useState<Screen>(() => initialScreen(deps));
  const [attempt, setAttempt] = useState(0);
  const i18n = useMemo(() => ({ language, t: schouwTranslate(language) }), [language]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${i18n.t('pageTitle')} · Samenhang`;
  }, [language, i18n]);

  const chooseLanguage = (next: Language): void => {
    setLanguage(next);
    saveLanguage(storage, next);
  };

  // Keep the address at /schouw/<CODE>: a reload then opens this walk (also from the service worker's cache).
  const code = screen.code;
  useEffect(() => {
    if (screen.kind !== 'walk' || !history) return;
    if (codeFromLocation(deps.location.pathname, deps.location.search) !== code) history.replaceState(null, '', walkPath(code));
  }, [screen.kind, code, history, deps.location]);

  const tokenFor = useCallback((c: string) => loadToken(storage, c), [storage]);
  const onUnauthorized = useCallback(
    (c: string) => {
      forgetToken(storage, c);
      setScreen((now) => (now.code === c && now.kind !== 'join' ? { kind: 'join', code: c, notice: 'joinAgain' } : now));
    },
    [storage],
  );

  // Ask the server who we are: a fresh walk (themes, status), or 401 → join again.
  const hasToken = screen.kind === 'walk' || screen.kind === 'loading';
  useEffect(() => {
    if (!hasToken) return undefined;
    const token = loadToken(storage, code);
    if (token === null) return undefined;
    let live = true;
    api.me(token).then(
      (me) => {
        if (!live) return;
        saveCachedWalk(storage, code, me.walk);
        setScreen((now) => (now.code === code && now.kind !== 'join' ? { kind: 'walk', code, walk: me.walk } : now));
      },
      (error: unknown) => {
        if (!live) return;
        if (error instanceof WalkApiError && error.status === 401) onUnauthorized(code);
        else setScreen((now) => (now.kind === 'loading' && now.code === code ? { kind: 'offline', code } : now));
      },
    );
    return () => {
      live = false;
    };
  }, [api, storage, code, hasToken, attempt, onUnauthorized]);

  const onJoined = (joinedCode: string, joined: JoinResponse): void => {
    saveToken(storage, joinedCode, joined.token);
    saveCachedWalk(storage, joinedCode, joined.walk);
    setScreen({ kind: 'walk', code: joinedCode, walk: joined.walk });
  };

  const { t } = i18n;
  return (
    <SchouwI18nContext.Provider value={i18n}>
      <header className="schouw-header">
        <p className="brand">
          <strong>{t('pageTitle')}</strong> <span className="muted">Samenhang</span>
        </p>
        <LanguageButtons onChange={chooseLanguage} />
      </header>
      {screen.kind === 'join' && (
        <JoinScreen api={api} initialCode={screen.code} notice={screen.notice ? t(screen.notice) : null} onJoined={onJoined} />
      )}
      {screen.kind === 'loading' && (
        <main className="center" role="status">
          {t('loading')}
        </main>
      )}
      {screen.kind === 'offline' && (
        <main className="center">
          <p role="alert">{t('offlineUnknown')}</p>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setScreen({ kind: 'loading', code });
              setAttempt((n) => n + 1);
            }}
          >
            {t('retry')}
          </button>
        </main>
      )}
      {screen.kind === 'walk' && (
        <WalkScreen key={code} deps={deps} code={code} walk={screen.walk} tokenFor={tokenFor} onUnauthorized={onUnauthorized} />
      )}
    </SchouwI18nContext.Provider>
  );
}
