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
      <SettingField
        name="rounding" range={ROUNDING_RANGE} value={draft.rounding} invalid={invalid === 'rounding'} onChange={(rounding) => edit({ rounding })}
        label={t('walkRounding')} help={t('walkRoundingHelp')} problem={t('walkRoundingInvalid')}
      />
      <SettingField
        name="retention" range={RETENTION_RANGE} value={draft.retention} invalid={invalid === 'retention'} onChange={(retention) => edit({ retention })}
        label={t('walkRetention')} help={t('walkRetentionHelp')} problem={t('walkRetentionInvalid')}
      />
      <p className="walk-settings-actions">
        <button type="submit" className="walks-button" data-testid="walk-settings-save" disabled={walks.busy}>{t('walkSettingsSave')}</button>{' '}
        <span role="status">{saved === walk.version ? t('walkSettingsSaved') : ''}</span>
      </p>
    </form>
  );
}

interface SettingFieldProps {
  name: 'rounding' | 'retention';
  range: { min: number; max: number };
  value: string;
  invalid: boolean;
  onChange: (value: string) => void;
  label: string;
  help: string;
  problem: string;
}

/** One whole-number setting with its help text and, when the check failed, what is wrong. */
function SettingField({ name, range, value, invalid, onChange, label, help, problem }: SettingFieldProps) {
  const id = `walk-${name}`;
  return (
    <div className="walk-setting">
      <label htmlFor={id}>{label}</label>
      <input
        id={id} data-testid={id} type="number" inputMode="numeric" step={1} min={range.min} max={range.max}
        value={value} aria-describedby={`${id}-help`} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)}
      />
      <p className="walk-setting-help muted" id={`${id}-help`}>{help}</p>
      {invalid && <p className="walks-error" role="alert">{problem}</p>}
    </div>
  );
}
