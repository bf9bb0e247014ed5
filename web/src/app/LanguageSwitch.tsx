/** NL/EN switch: one button that flips the language; the active one is marked. */
import type { Dispatch } from 'react';
import { useI18n } from '../i18n/context.ts';
import { LANGUAGES } from '../i18n/index.ts';
import type { AppAction } from '../state/app-state.ts';

export function LanguageSwitch({ dispatch }: { dispatch: Dispatch<AppAction> }) {
  const { language, t } = useI18n();
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      data-lang={language}
      aria-label={t('langSwitchLabel')}
      title={t('langSwitchLabel')}
      onClick={() => dispatch({ type: 'language/toggle' })}
    >
      {LANGUAGES.map((lang) => (
        <span key={lang} className={lang === language ? 'lang active' : 'lang'} aria-hidden="true">
          {lang.toUpperCase()}
        </span>
      ))}
    </button>
  );
}
