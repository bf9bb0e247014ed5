/**
 * One walk for its facilitator: title, date and status; the join code in large letters, the join
 * link (to copy) and its QR code; closing and reopening (If-Match; a stale walk is reloaded and
 * said so); its privacy settings (rounding, retention); the exports; the map legend; the hotspots arriving live; and the atelier.
 */
import { useEffect, useState } from 'react';
import { toDataURL } from 'qrcode';
import { walkExportUrl } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { HOTSPOT_COLOURS, ROUTE_COLOUR } from '../../layers/walk-layers.ts';
import { HotspotList } from './HotspotCard.tsx';
import { PairwiseSection } from './PairwiseSection.tsx';
import type { WalksFeature } from './use-walks-feature.ts';
import { WalkSettings } from './WalkSettings.tsx';
import { joinLink, spellCode } from './walk-logic.ts';
import { formatWalkDate, walkStatusText } from './walk-format.ts';

const rgb = (c: readonly number[]): string => `rgb(${c.slice(0, 3).join(',')})`;

function JoinBlock({ code }: { code: string }) {
  const { t } = useI18n();
  const link = joinLink(window.location.origin, code);
  const [qr, setQr] = useState<{ link: string; src: string } | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 480 }).then((src) => {
      if (live) setQr({ link, src });
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [link]);
  const copy = (): void => {
    setCopied(false);
    navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <div className="walk-join">
      <p className="walk-code-label muted" id="walk-code-label">{t('walkCodeLabel')}</p>
      <p className="walk-code" data-testid="walk-code" aria-labelledby="walk-code-label" aria-describedby="walk-code-spelt">{code}</p>
      <span className="visually-hidden" id="walk-code-spelt">{spellCode(code)}</span>
      <p className="walk-link-row">
        <span className="muted">{t('walkLinkLabel')}: </span>
        <a href={link} target="_blank" rel="noreferrer" data-testid="walk-link" className="walk-link">{link}</a>{' '}
        <button type="button" className="small-button" data-testid="walk-copy" onClick={copy}>{copied ? t('walkCopied') : t('walkCopy')}</button>
      </p>
      {qr?.link === link && <img className="walk-qr" src={qr.src} alt={t('walkQrAlt', { link })} data-testid="walk-qr" width={200} height={200} />}
    </div>
  );
}

function Legend() {
  const { t } = useI18n();
  const dot = (fill: readonly number[], ring: string, ringWidth = 1) => (
    <span className="walk-legend-dot" aria-hidden="true" style={{ background: rgb(fill), boxShadow: `0 0 0 ${ringWidth}px ${ring}${ringWidth > 1 ? ', 0 0 0 5px #1e1e1e' : ''}` }} />
  );
  return (
    <ul className="walk-legend" data-testid="walk-legend" aria-label={t('walkLegend')}>
      <li>{dot(HOTSPOT_COLOURS.kans, '#282828')} {t('hotspotKans')}</li>
      <li>{dot(HOTSPOT_COLOURS.knelpunt, '#282828')} {t('hotspotKnelpunt')}</li>
      <li>{dot(HOTSPOT_COLOURS.knelpunt, '#ffffff', 3)} {t('walkLegendPublished')}</li>
      <li>{dot(HOTSPOT_COLOURS.hidden, '#6e6e6e')} {t('walkLegendHidden')}</li>
      <li><span className="walk-legend-line" aria-hidden="true" style={{ background: rgb(ROUTE_COLOUR) }} /> {t('walkLegendRoute')}</li>
    </ul>
  );
}

export function WalkDetail({ feature }: { feature: WalksFeature }) {
  const { t, language } = useI18n();
  const { walks } = feature;
  const walk = walks.selected?.walk ?? null;
  if (!walk) {
    return walks.message?.kind === 'error'
      ? <p className="walks-error" role="alert">{walks.message.message}</p>
      : <p className="muted">{t('walksLoading')}</p>;
  }
  const closed = walk.status === 'closed';
  return (
    <div className="walk-detail" data-testid="walk-detail">
      <h3 className="walk-detail-title">{walk.title}</h3>
      <p className="muted">
        {formatWalkDate(language, walk.date)} · <span className={`walk-status walk-status-${walk.status}`} data-testid="walk-status">{walkStatusText(t, walk.status)}</span>
      </p>
      <JoinBlock code={walk.code} />
      <p className="walk-actions">
        <button
          type="button" className="walks-button" data-testid="walk-close" disabled={walks.busy}
          onClick={() => void walks.setStatus(closed ? 'open' : 'closed')}
        >
          {closed ? t('walkReopen') : t('walkClose')}
        </button>
      </p>
      <div role="status" aria-live="polite">
        {walks.message?.kind === 'stale' && <p className="walks-notice" data-testid="walk-stale">{t('walkStale')}</p>}
        {walks.message?.kind === 'error' && <p className="walks-error">{walks.message.message}</p>}
      </div>
      <WalkSettings walk={walk} walks={walks} />
      <p className="walk-export">
        <span className="muted">{t('walkExport')}: </span>
        <a href={walkExportUrl(walk.id, 'geojson')} download data-testid="walk-export-geojson">{t('walkExportGeojson')}</a> ·{' '}
        <a href={walkExportUrl(walk.id, 'csv')} download data-testid="walk-export-csv">{t('walkExportCsv')}</a>
      </p>
      <Legend />
      <HotspotList feature={feature} />
      <PairwiseSection feature={feature} walk={walk} />
    </div>
  );
}
