/** Shown over the map while a file is dragged over it. */
import { useI18n } from '../../i18n/context.ts';

export function DropOverlay({ busy }: { busy: boolean }) {
  const { t } = useI18n();
  return (
    <div className={busy ? 'drop-overlay busy' : 'drop-overlay'} data-testid="import-drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <p className="drop-overlay-title">{busy ? t('importDropBusy') : t('importDropHint')}</p>
        {!busy && <p className="drop-overlay-sub">{t('importDropFormats')}</p>}
      </div>
    </div>
  );
}
