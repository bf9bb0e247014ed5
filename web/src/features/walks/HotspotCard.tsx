/**
 * The hotspots of a walk as they arrive (issue 7): the live state, the count, and one card per
 * hotspot — kind, theme, note, author, time, status, photo — with publish / hide (If-Match on the
 * version shown), its group, its comments and its context; on request the cards stand under one
 * heading per group. A click on the card (or its title button) flies the map to it.
 */
import { useMemo, useState, type MouseEvent } from 'react';
import { hotspotPhotoUrl, type Hotspot } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { HotspotContextBlock } from './HotspotContext.tsx';
import { HotspotClusterField, HotspotComments } from './HotspotStudio.tsx';
import type { LiveState } from './use-hotspots.ts';
import type { WalksFeature } from './use-walks-feature.ts';
import { formatReceived } from './walk-format.ts';
import { NO_CLUSTER_ID, clusterNames, groupByCluster } from './walk-groups.ts';
import './hotspots.css';

const LIVE_KEYS: Readonly<Record<LiveState, MessageKey>> = {
  off: 'walkLiveOff', connecting: 'walkLiveConnecting', live: 'walkLiveOn', reconnecting: 'walkLiveReconnecting',
};
const STATUS_KEYS: Readonly<Record<Hotspot['properties']['status'], MessageKey>> = {
  new: 'hotspotStatusNew', published: 'hotspotStatusPublished', hidden: 'hotspotStatusHidden',
};

interface CardProps {
  hotspot: Hotspot;
  focused: boolean;
  busy: boolean;
  onShow: (h: Hotspot) => void;
  onModerate: (h: Hotspot, status: Hotspot['properties']['status']) => void;
  onCluster: (h: Hotspot, cluster: string | null) => Promise<boolean>;
  clusterListId: string;
  api: WalksFeature['api'];
}

function HotspotCard({ hotspot: h, focused, busy, onShow, onModerate, onCluster, clusterListId, api }: CardProps) {
  const { t, language } = useI18n();
  const [context, setContext] = useState(false);
  const [comments, setComments] = useState(false);
  const p = h.properties;
  const id = p.id;
  const published = p.status === 'published';
  const hidden = p.status === 'hidden';
  // a click anywhere on the card but its controls shows the hotspot on the map
  const onCardClick = (e: MouseEvent<HTMLElement>): void => {
    if (!(e.target instanceof Element) || !e.target.closest('button, a, input, select, textarea, label, form, .hotspot-comments')) onShow(h);
  };
  return (
    <article className={`hotspot-card hotspot-${p.kind} hotspot-status-${p.status}${focused ? ' focused' : ''}`} data-testid={`hotspot-card-${id}`} onClick={onCardClick}>
      <header className="hotspot-head">
        <button type="button" className="hotspot-title" title={t('hotspotShow')} onClick={() => onShow(h)}>
          <span className={`hotspot-kind hotspot-kind-${p.kind}`}>{t(p.kind === 'kans' ? 'hotspotKans' : 'hotspotKnelpunt')}</span>{' '}
          <span className="hotspot-theme">{p.theme}</span>
        </button>
        <span className={`hotspot-status hotspot-status-label-${p.status}`}>{t(STATUS_KEYS[p.status])}</span>
      </header>
      {p.note !== '' && <p className="hotspot-note">{p.note}</p>}
      <div className="hotspot-body">
        {p.hasPhoto && <img className="hotspot-photo" src={hotspotPhotoUrl(id)} alt={t('hotspotPhotoAlt', { theme: p.theme })} loading="lazy" data-testid={`hotspot-photo-${id}`} />}
        <p className="hotspot-meta muted">
          {p.authorName ? t('hotspotBy', { name: p.authorName }) : t('hotspotAnonymous')}
          <br />
          {t('hotspotReceived', { time: formatReceived(language, p.receivedAt) })}
        </p>
      </div>
      <div className="hotspot-buttons">
        <button type="button" className="small-button" aria-pressed={published} disabled={busy} data-testid={`hotspot-publish-${id}`} onClick={() => onModerate(h, published ? 'new' : 'published')}>
          {published ? t('hotspotUnpublish') : t('hotspotPublish')}
        </button>
        <button type="button" className="small-button" aria-pressed={hidden} disabled={busy} data-testid={`hotspot-hide-${id}`} onClick={() => onModerate(h, hidden ? 'new' : 'hidden')}>
          {hidden ? t('hotspotUnhide') : t('hotspotHide')}
        </button>
        <button
          type="button" className="small-button" aria-expanded={comments} aria-controls={`hotspot-comments-body-${id}`} data-testid={`hotspot-comments-${id}`}
          onClick={() => setComments((c) => !c)}
        >
          {t('hotspotComments')}
        </button>
        <button
          type="button" className="small-button" aria-expanded={context} aria-controls={`hotspot-context-body-${id}`} data-testid={`hotspot-context-${id}`}
          onClick={() => setContext((c) => !c)}
        >
          {t('hotspotContext')}
        </button>
      </div>
      <HotspotClusterField hotspot={h} busy={busy} listId={clusterListId} onSave={onCluster} />
      {comments && <HotspotComments api={api} id={id} />}
      {context && <HotspotContextBlock api={api} id={id} />}
    </article>
  );
}

export function HotspotList({ feature }: { feature: WalksFeature }) {
  const { t } = useI18n();
  const { hotspots: state, focused, show, api } = feature;
  const { hotspots, live } = state;
  const [grouped, setGrouped] = useState(false);
  const names = useMemo(() => clusterNames(hotspots), [hotspots]);
  const groups = useMemo(() => (grouped ? groupByCluster(hotspots) : []), [grouped, hotspots]);
  const listId = 'walk-cluster-options';
  const card = (h: Hotspot) => (
    <HotspotCard
      key={h.properties.id} hotspot={h} focused={focused === h.properties.id} busy={state.busy === h.properties.id}
      onShow={show} onModerate={(x, status) => void state.moderate(x, status)} onCluster={state.setCluster} clusterListId={listId} api={api}
    />
  );
  return (
    <section className="walk-hotspots" aria-labelledby="walk-hotspots-title">
      <h4 className="walks-heading walk-hotspots-head" id="walk-hotspots-title">
        {t('walkHotspots')} <span className="walk-count" data-testid="walk-hotspot-count">{hotspots.length}</span>
      </h4>
      <p className={`walk-live walk-live-${live}`} data-testid="walk-live" role="status" title={t('walkLiveTitle')}>
        <span className="walk-live-dot" aria-hidden="true" /> {t(LIVE_KEYS[live])}
      </p>
      <div role="status" aria-live="polite">
        {state.message?.kind === 'stale' && <p className="walks-notice" data-testid="hotspot-stale">{t('hotspotStale')}</p>}
        {state.message?.kind === 'error' && <p className="walks-error">{state.message.message}</p>}
      </div>
      {state.error !== null && <p className="walks-error" role="alert">{t('walkHotspotsError')}: {state.error}</p>}
      {!state.loaded && state.error === null && <p className="muted">{t('walkHotspotsLoading')}</p>}
      {state.loaded && hotspots.length === 0 && <p className="muted">{t('walkHotspotsEmpty')}</p>}
      <datalist id={listId}>
        {names.map((n) => <option key={n} value={n} />)}
      </datalist>
      {hotspots.length > 0 && (
        <p className="walk-group-toggle">
          <button type="button" className="small-button" aria-pressed={grouped} data-testid="walk-group-by-cluster" onClick={() => setGrouped((g) => !g)}>
            {t('walkGroupByCluster')}
          </button>
        </p>
      )}
      {grouped ? groups.map((g, i) => (
        <section key={g.name ?? `\u0000${NO_CLUSTER_ID}`} className="walk-group" data-testid={`walk-group-${g.name ?? NO_CLUSTER_ID}`} aria-labelledby={`walk-group-title-${i}`}>
          <h5 className="walk-group-title" id={`walk-group-title-${i}`}>
            {g.name ?? t('walkGroupNone')} <span className="muted">({t(g.hotspots.length === 1 ? 'walkGroupCountOne' : 'walkGroupCount', { count: g.hotspots.length })})</span>
          </h5>
          <div className="hotspot-list">{g.hotspots.map(card)}</div>
        </section>
      )) : <div className="hotspot-list">{hotspots.map(card)}</div>}
    </section>
  );
}
