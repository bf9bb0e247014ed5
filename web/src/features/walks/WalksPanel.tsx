/**
 * The wijkschouw tab (issue 7) for the organising organisation's area managers, analysts and
 * administrators: its walks, a new walk, and the selected walk (WalkDetail) with its code, the
 * hotspots arriving live, their moderation and context, and the atelier.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/context.ts';
import type { WalksFeature } from './use-walks-feature.ts';
import { formatWalkDate, walkStatusText } from './walk-format.ts';
import { WalkDetail } from './WalkDetail.tsx';
import { WalkForm } from './WalkForm.tsx';
import './walks.css';

export function WalksPanel({ feature }: { feature: WalksFeature }) {
  const { t, language } = useI18n();
  const { walks } = feature;
  const [formOpen, setFormOpen] = useState(false);
  const { list } = walks;
  return (
    <section className="walks-panel" data-testid="walks-panel" aria-labelledby="walks-title" aria-busy={list.status === 'loading'}>
      <h2 id="walks-title" className="panel-title">{t('walksTitle')}</h2>
      {walks.selectedId !== null ? (
        <>
          <button type="button" className="link-button walks-back" data-testid="walk-back" onClick={() => walks.select(null)}>{t('walkBack')}</button>
          <WalkDetail feature={feature} />
        </>
      ) : (
        <>
          {formOpen ? (
            <WalkForm
              busy={walks.busy}
              route={feature.route}
              onCancel={() => setFormOpen(false)}
              onCreate={async (body) => {
                const problem = await walks.create(body);
                if (problem === null) {
                  feature.route.clear();
                  setFormOpen(false);
                }
                return problem;
              }}
            />
          ) : (
            <button type="button" className="walks-button primary" data-testid="walk-new" onClick={() => setFormOpen(true)}>
              <span aria-hidden="true">+</span> {t('walkNew')}
            </button>
          )}
          {list.status === 'loading' && <p className="muted">{t('walksLoading')}</p>}
          {list.status === 'error' && <p className="walks-error" role="alert">{t('walksError')}: {list.message}</p>}
          {list.status === 'ready' && list.walks.length === 0 && <p className="muted">{t('walksEmpty')}</p>}
          {list.status === 'ready' && list.walks.length > 0 && (
            <ul className="walk-list" aria-label={t('walksList')}>
              {list.walks.map((w) => (
                <li key={w.id}>
                  <button type="button" className="walk-item" data-testid={`walk-item-${w.id}`} onClick={() => walks.select(w.id)}>
                    <span className="walk-item-title">{w.title}</span>
                    <span className="muted">
                      {formatWalkDate(language, w.date)} · {t(w.hotspots === 1 ? 'walkItemHotspotsOne' : 'walkItemHotspots', { count: w.hotspots ?? 0 })} ·{' '}
                      <span className={`walk-status walk-status-${w.status}`}>{walkStatusText(t, w.status)}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
