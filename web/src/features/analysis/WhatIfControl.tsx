/**
 * The live what-if of the selected work: a slider shifts it by whole months (−36…+36; arrow keys
 * a month, Page Up/Down a year) and the findings that appear or disappear are listed at once,
 * recomputed in the browser with the server's rules.
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { TYPE_KEYS } from './explain.ts';
import type { WhatIfState } from './use-analysis.ts';

export function WhatIfControl({ title, state }: { title: string | null; state: WhatIfState }) {
  const { t, language } = useI18n();
  const id = useId();
  if (title === null) return <p className="muted what-if-hint">{t('whatIfHint')}</p>;
  const r = state.result;
  return (
    <fieldset className="what-if" data-testid="what-if">
      <legend>{t('whatIfTitle', { title })}</legend>
      <label htmlFor={id}>{t('whatIfShift')}</label>
      <input
        id={id} type="range" min={-36} max={36} step={1} value={state.months} data-testid="what-if-months"
        aria-valuetext={t('whatIfMonths', { months: state.months })} disabled={state.loading}
        onChange={(e) => state.setMonths(Number(e.currentTarget.value))}
      />
      <output data-testid="what-if-value">{t('whatIfMonths', { months: state.months })}</output>
      {state.loading && <p className="muted">{t('whatIfLoading')}</p>}
      {r && (
        <div className="what-if-result" aria-live="polite" data-testid="what-if-result">
          {r.appeared.length === 0 && r.gone.length === 0 ? (
            <p className="muted">{t('whatIfUnchanged')}</p>
          ) : (
            <>
              <p data-testid="what-if-appeared">
                <strong>{t('whatIfAppeared', { count: r.appeared.length })}</strong> {r.appeared.map((f) => t(TYPE_KEYS[f.type])).join(', ')}
              </p>
              <p data-testid="what-if-gone">
                <strong>{t('whatIfGone', { count: r.gone.length })}</strong> {r.gone.map((f) => t(TYPE_KEYS[f.type])).join(', ')}
              </p>
            </>
          )}
          <p className="muted">{t('whatIfMs', { ms: new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 1 }).format(r.ms) })}</p>
        </div>
      )}
    </fieldset>
  );
}
