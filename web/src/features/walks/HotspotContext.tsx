/**
 * The context of a hotspot (issue 7), as far as the facilitator may see it: the nearest assets
 * (system, owner, age, distance), the planned works nearby (title, owner, window, distance) and
 * their findings (the analysis feature's labels); "niets binnen N m" where there is nothing.
 */
import { getSystem, isSystemCode } from '@model/systems.ts';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client.ts';
import { describeError, isAbortError } from '../../api/client.ts';
import { getHotspotContext, type HotspotContext } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber, systemLabel } from '../../i18n/index.ts';
import { TYPE_KEYS } from '../analysis/explain.ts';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; context: HotspotContext };

export function HotspotContextBlock({ api, id }: { api: ApiClient; id: string }) {
  const { t, language } = useI18n();
  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    setState({ status: 'loading' });
    getHotspotContext(api, id, abort.signal).then(
      (context) => setState({ status: 'ready', context }),
      (err: unknown) => {
        if (!isAbortError(err)) setState({ status: 'error', message: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [api, id]);

  const system = (code: string): string => (isSystemCode(code) ? systemLabel(language, getSystem(code)) : code);
  const metres = (m: number): string => formatNumber(language, Math.round(m));
  const nothing = (radius: number) => <p className="muted">{t('hotspotContextNothing', { radius })}</p>;
  return (
    <div className="hotspot-context" id={`hotspot-context-body-${id}`} data-testid={`hotspot-context-body-${id}`} aria-busy={state.status === 'loading'}>
      {state.status === 'loading' && <p className="muted">{t('hotspotContextLoading')}</p>}
      {state.status === 'error' && <p className="walks-error" role="alert">{t('hotspotContextError')}: {state.message}</p>}
      {state.status === 'ready' && (() => {
        const { radius, assets, works, findings } = state.context;
        return (
          <>
            <h5>{t('hotspotContextAssets', { radius: radius.assets })}</h5>
            {assets.length === 0 ? nothing(radius.assets) : (
              <ul>
                {assets.map((a) => (
                  <li key={a.id}>
                    {t('hotspotAssetLine', {
                      system: system(a.system),
                      owner: a.owner ?? t('hotspotOwnerUnknown'),
                      age: a.ageYears === null ? t('hotspotAgeUnknown') : t('hotspotAge', { years: a.ageYears }),
                      distance: metres(a.distanceM),
                    })}
                  </li>
                ))}
              </ul>
            )}
            <h5>{t('hotspotContextWorks', { radius: radius.works })}</h5>
            {works.length === 0 ? nothing(radius.works) : (
              <ul>
                {works.map((w) => (
                  <li key={w.id}>
                    {t('hotspotWorkLine', {
                      title: w.title ?? `#${w.id}`, owner: w.owner ?? t('hotspotOwnerUnknown'),
                      start: w.preferredStart ?? '?', end: w.preferredEnd ?? '?', distance: metres(w.distanceM),
                    })}
                  </li>
                ))}
              </ul>
            )}
            {works.length > 0 && (
              <>
                <h5>{t('hotspotContextFindings')}</h5>
                {findings.length === 0 ? <p className="muted">{t('hotspotContextNoFindings')}</p> : (
                  <ul>
                    {findings.map((f) => (
                      <li key={f.id}>
                        <span className={`analysis-type type-${f.type}`}>{t(TYPE_KEYS[f.type])}</span>{' '}
                        <span className="muted">{f.works.map((w) => works.find((x) => x.id === w)?.title ?? `#${w}`).join(' + ')}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </>
        );
      })()}
    </div>
  );
}
