/**
 * A walk's privacy settings (issue 7): how far published places are rounded for other
 * participants (metres, 0–1000) and how long after closing the participants' names are kept
 * (months, 1–120). Saved with If-Match on the walk's ETag; a 412 reloads the walk and the walk's
 * panel says so.
 */
import { useState, type FormEvent } from 'react';
import type { Walk } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import type { Walks } from './use-walks.ts';
import { RETENTION_RANGE, ROUNDING_RANGE, checkWalkSettings } from './walk-groups.ts';

interface Draft { version: number; rounding: string; retention: string }

const fromWalk = (walk: Walk): Draft => ({
  version: walk.version,
  rounding: walk.roundingM === undefined ? '' : String(walk.roundingM),
  retention: walk.retentionMonths === undefined ? '' : String(walk.retentionMonths),
});

export function WalkSettings({ walk, walks }: { walk: Walk; walks: Walks }) {
  const { t } = useI18n();
  // what is typed belongs to the version it was typed on: a newer version (saved, or reloaded after a 412) shows the server's values
  const [typed, setTyped] = useState<Draft | null>(null);
  const [invalid, setInvalid] = useState<'rounding' | 'retention' | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const draft = typed?.version === walk.version ? typed : fromWalk(walk);
  const edit = (change: Partial<Omit<Draft, 'version'>>): void => {
    setSaved(null);
    setInvalid(null);
    setTyped({ ...draft, ...change });
  };
  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const checked = checkWalkSettings(draft.rounding, draft.retention);
    if (!checked.ok) {
      setInvalid(checked.field);
      return;
    }
    setInvalid(null);
    void walks.saveSettings({ roundingM: checked.roundingM, retentionMonths: checked.retentionMonths }).then((ok) => {
      setSaved(ok ? walk.version + 1 : null);
      if (ok) setTyped(null);
    });
  };
  return (
    <form className="walk-settings" data-testid="walk-settings" onSubmit={submit} noValidate aria-labelledby="walk-settings-title">
      <h4 className="walks-heading" id="walk-settings-title">{t('walkSettings')}</h4>
      <div className="walk-setting">
        <label htmlFor="walk-rounding">{t('walkRounding')}</label>
        <input
          id="walk-rounding" data-testid="walk-rounding" type="number" inputMode="numeric" step={1} min={ROUNDING_RANGE.min} max={ROUNDING_RANGE.max}
          value={draft.rounding} aria-describedby="walk-rounding-help" aria-invalid={invalid === 'rounding'}
          onChange={(e) => edit({ rounding: e.target.value })}
        />
        <p className="walk-setting-help muted" id="walk-rounding-help">{t('walkRoundingHelp')}</p>
        {invalid === 'rounding' && <p className="walks-error" role="alert">{t('walkRoundingInvalid')}</p>}
      </div>
      <div className="walk-setting">
        <label htmlFor="walk-retention">{t('walkRetention')}</label>
        <input
          id="walk-retention" data-testid="walk-retention" type="number" inputMode="numeric" step={1} min={RETENTION_RANGE.min} max={RETENTION_RANGE.max}
          value={draft.retention} aria-describedby="walk-retention-help" aria-invalid={invalid === 'retention'}
          onChange={(e) => edit({ retention: e.target.value })}
        />
        <p className="walk-setting-help muted" id="walk-retention-help">{t('walkRetentionHelp')}</p>
        {invalid === 'retention' && <p className="walks-error" role="alert">{t('walkRetentionInvalid')}</p>}
      </div>
      <p className="walk-settings-actions">
        <button type="submit" className="walks-button" data-testid="walk-settings-save" disabled={walks.busy}>{t('walkSettingsSave')}</button>{' '}
        <span role="status">{saved === walk.version ? t('walkSettingsSaved') : ''}</span>
      </p>
    </form>
  );
}
