/** Where the hotspot will go: GPS (with its accuracy) or placed by hand, and how to change that. */
import { useSchouwI18n } from './i18n.ts';
import type { ChosenPlace, PositionState } from './use-position.ts';

interface Props {
  position: PositionState;
  place: ChosenPlace | null;
  onUseGps: () => void;
  /** null until the map is ready */
  onPlaceCenter: (() => void) | null;
}

export function PositionBar({ position, place, onUseGps, onPlaceCenter }: Props) {
  const { t } = useSchouwI18n();
  let text: string;
  if (place?.manual) text = t('positionManual');
  else if (position.fix) text = t('positionGps', { accuracy: Math.round(position.fix.accuracy) });
  else if (position.status === 'denied') text = t('positionDenied');
  else if (position.status === 'unavailable') text = t('positionUnavailable');
  else text = t('positionWaiting');
  return (
    <div className="position-bar">
      <p className="position-text" data-testid="position-status" data-manual={place?.manual ? 'true' : 'false'} role="status">
        {text}
      </p>
      <div className="position-actions">
        {place?.manual && position.fix && (
          <button type="button" className="button secondary" data-testid="use-gps" onClick={onUseGps}>
            {t('useGps')}
          </button>
        )}
        <button type="button" className="button secondary" data-testid="place-center" disabled={!onPlaceCenter} onClick={() => onPlaceCenter?.()}>
          {t('placeCenter')}
        </button>
      </div>
      <MapLegend />
    </div>
  );
}

function MapLegend() {
  const { t } = useSchouwI18n();
  return (
    <details className="legend">
      <summary>{t('legendTitle')}</summary>
      <ul>
        <li>
          <span className="swatch swatch-position" aria-hidden="true" /> {t('legendYou')}
        </li>
        <li>
          <span className="swatch swatch-manual" aria-hidden="true" /> {t('legendManual')}
        </li>
        <li>
          <span className="swatch swatch-kans" aria-hidden="true" /> {t('kindKans')} · <span className="swatch swatch-knelpunt" aria-hidden="true" />{' '}
          {t('kindKnelpunt')} ({t('legendOwn')})
        </li>
        <li>
          <span className="swatch swatch-others" aria-hidden="true" /> {t('legendOthers')}
        </li>
        <li>
          <span className="swatch swatch-route" aria-hidden="true" /> {t('legendRoute')}
        </li>
      </ul>
    </details>
  );
}
