/** My hotspots of this walk: those still on the phone (wacht / mislukt) and those the server has. */
import type { ListEntry } from './entries.ts';
import { useSchouwI18n } from './i18n.ts';

interface Props {
  entries: readonly ListEntry[];
  onDelete: (id: string) => void;
  onRetry: (id: string) => void;
}

export function HotspotList({ entries, onDelete, onRetry }: Props) {
  const { t } = useSchouwI18n();
  return (
    <section className="my-hotspots" aria-labelledby="my-hotspots-title">
      <h2 id="my-hotspots-title">{t('listTitle')}</h2>
      {entries.length === 0 && <p className="muted">{t('listEmpty')}</p>}
      <ul data-testid="my-hotspots">
        {entries.map((e) => (
          <li key={e.id} data-testid={`hotspot-${e.id}`} className={`hotspot state-${e.state.kind}`}>
            <p className="hotspot-head">
              <span className={`badge badge-${e.kind}`}>{t(e.kind === 'kans' ? 'kindKans' : 'kindKnelpunt')}</span>
              <span className="hotspot-theme">{e.theme}</span>
            </p>
            <p className="hotspot-note">{e.note === '' ? t('noNote') : e.note}</p>
            <p className="hotspot-state" data-state={e.state.kind}>
              {e.state.kind === 'waiting' && t('stateWaiting')}
              {e.state.kind === 'sent' && t('stateSent')}
              {e.state.kind === 'failed' && t('stateFailed', { message: e.state.message })}
              {e.hasPhoto && <span className="muted"> · {t('withPhoto')}</span>}
            </p>
            {e.state.kind === 'failed' && (
              <p className="hotspot-actions">
                <button type="button" className="button secondary" onClick={() => onRetry(e.id)}>
                  {t('retryItem')}
                </button>
                <button
                  type="button"
                  className="button danger"
                  aria-label={t('deleteItemLabel', { note: e.note === '' ? e.theme : e.note.slice(0, 40) })}
                  onClick={() => onDelete(e.id)}
                >
                  {t('deleteItem')}
                </button>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
