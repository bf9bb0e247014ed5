/**
 * The atelier (issue 7): pairwise sessions of a walk, from its themes or from the published
 * knelpunten. The open session shows the next pair as two large buttons and a tie (also ← / → / =
 * while the session has focus), the number of choices, and the ranking with its uncertainty.
 */
import type { KeyboardEvent } from 'react';
import type { Walk } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { RankingChart } from './RankingChart.tsx';
import type { WalksFeature } from './use-walks-feature.ts';
import { hotspotPairItems, truncate } from './walk-logic.ts';
import './pairwise.css';

const KEY_CHOICES: Readonly<Record<string, 'a' | 'b' | 'tie'>> = { ArrowLeft: 'a', ArrowRight: 'b', '=': 'tie' };

export function PairwiseSection({ feature, walk }: { feature: WalksFeature; walk: Walk }) {
  const { t } = useI18n();
  const { pairwise } = feature;
  const items = hotspotPairItems(feature.hotspots.hotspots);
  const current = pairwise.current;
  const pair = current?.next ?? null;
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const choice = KEY_CHOICES[e.key];
    if (!choice || !pair || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target instanceof Element && e.target.closest('input, select, textarea')) return;
    e.preventDefault();
    void pairwise.choose(choice);
  };
  return (
    <section className="pairwise" data-testid="pairwise" aria-labelledby="pairwise-title">
      <h4 className="walks-heading" id="pairwise-title">{t('pairwiseTitle')}</h4>
      <div className="pairwise-new">
        <button
          type="button" className="small-button" data-testid="pairwise-new-themes" disabled={pairwise.busy || walk.themes.length < 2}
          onClick={() => void pairwise.create({ title: truncate(t('pairwiseThemesSessionTitle', { title: walk.title }), 200), from: 'themes' })}
        >
          {t('pairwiseNewThemes')}
        </button>
        <button
          type="button" className="small-button" data-testid="pairwise-new-hotspots" disabled={pairwise.busy || items.length < 2}
          title={items.length < 2 ? t('pairwiseNeedTwo') : undefined}
          onClick={() => void pairwise.create({ title: truncate(t('pairwiseHotspotsSessionTitle', { title: walk.title }), 200), items })}
        >
          {t('pairwiseNewHotspots', { count: items.length })}
        </button>
      </div>
      {pairwise.error !== null && <p className="walks-error" role="alert">{pairwise.error}</p>}
      {pairwise.sessions.length > 1 && (
        <label className="walk-field">
          {t('pairwiseSession')}
          <select value={current?.session.id ?? ''} data-testid="pairwise-session" onChange={(e) => pairwise.show(Number(e.target.value))}>
            {pairwise.sessions.map((v) => (
              <option key={v.session.id} value={v.session.id}>{v.session.title}</option>
            ))}
          </select>
        </label>
      )}
      {!current && pairwise.sessions.length === 0 && <p className="muted">{t('pairwiseEmpty')}</p>}
      {current && (
        <div className="pairwise-session" tabIndex={0} role="group" aria-label={current.session.title} aria-keyshortcuts="ArrowLeft ArrowRight =" onKeyDown={onKey} data-testid="pairwise-session-box">
          <p className="pairwise-session-title">
            <strong>{current.session.title}</strong>{' '}
            <span className="muted" data-testid="pairwise-count" aria-live="polite">{t('pairwiseCount', { count: current.choices })}</span>
          </p>
          {pair ? (
            <>
              <p className="pairwise-question">{t('pairwiseQuestion')}</p>
              <div className="pairwise-pair">
                <button type="button" className="pairwise-choice" aria-disabled={pairwise.busy} data-testid="pairwise-choose-a" aria-keyshortcuts="ArrowLeft" onClick={() => void pairwise.choose('a')}>
                  {pair[0].label}
                </button>
                <button type="button" className="pairwise-choice" aria-disabled={pairwise.busy} data-testid="pairwise-choose-b" aria-keyshortcuts="ArrowRight" onClick={() => void pairwise.choose('b')}>
                  {pair[1].label}
                </button>
              </div>
              <button type="button" className="small-button pairwise-tie" aria-disabled={pairwise.busy} data-testid="pairwise-tie" aria-keyshortcuts="=" onClick={() => void pairwise.choose('tie')}>
                {t('pairwiseTie')}
              </button>
              <p className="muted pairwise-keys">{t('pairwiseKeys')}</p>
            </>
          ) : (
            <p className="muted">{t('pairwiseDone')}</p>
          )}
          <RankingChart view={current} />
        </div>
      )}
    </section>
  );
}
