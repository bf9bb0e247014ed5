/**
 * A new wijkschouw: title, date, the themes participants choose from (the default themes, all
 * checked) and optionally a route drawn on the map. The server checks the input; its message is
 * shown as it is.
 */
import { DEFAULT_WALK_THEMES } from '@model/walk.ts';
import { useId, useState, type FormEvent } from 'react';
import type { NewWalkBody } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { routeGeometry } from './route-draft.ts';
import type { RouteDrawing } from './use-route-drawing.ts';

export interface WalkFormProps {
  busy: boolean;
  /** Resolves to the server's message on failure, null when the walk was made. */
  onCreate: (body: NewWalkBody) => Promise<string | null>;
  onCancel: () => void;
  route: RouteDrawing;
}

const today = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function WalkForm({ busy, onCreate, onCancel, route }: WalkFormProps) {
  const { t } = useI18n();
  const id = useId();
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(today);
  const [checked, setChecked] = useState<readonly boolean[]>(() => DEFAULT_WALK_THEMES.map(() => true));
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(null);
    const themes = DEFAULT_WALK_THEMES.filter((_, i) => checked[i]);
    route.finish();
    const line = routeGeometry(route.draft);
    void onCreate({ title, date, themes, ...(line ? { route: line } : {}) }).then(setError);
  };
  const setAll = (value: boolean): void => setChecked(DEFAULT_WALK_THEMES.map(() => value));

  return (
    <form className="walk-form" data-testid="walk-form" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="walks-heading">{t('walkFormTitle')}</h3>
      <label className="walk-field">
        {t('walkFieldTitle')}
        <input type="text" value={title} required minLength={3} maxLength={200} data-testid="walk-title" onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="walk-field">
        {t('walkFieldDate')}
        <input type="date" value={date} required data-testid="walk-date" onChange={(e) => setDate(e.target.value)} />
      </label>
      <fieldset className="walk-themes">
        <legend>{t('walkFieldThemes')}</legend>
        <p className="walk-themes-all">
          <button type="button" className="link-button" onClick={() => setAll(true)}>{t('walkThemesAll')}</button> ·{' '}
          <button type="button" className="link-button" onClick={() => setAll(false)}>{t('walkThemesNone')}</button>
        </p>
        {DEFAULT_WALK_THEMES.map((theme, i) => (
          <label key={theme} className="check">
            <input
              type="checkbox" checked={checked[i] ?? false} data-testid={`walk-theme-${i}`}
              onChange={(e) => setChecked((c) => c.map((v, j) => (j === i ? e.target.checked : v)))}
            />{' '}
            {theme}
          </label>
        ))}
      </fieldset>
      <fieldset className="walk-route">
        <legend>{t('walkFieldRoute')}</legend>
        <p className="muted" role="status" data-testid="walk-route-status">
          {route.draft.points.length === 0 ? t('walkRouteNone') : t('walkRoutePoints', { count: route.draft.points.length })}
        </p>
        {route.draft.drawing ? (
          <>
            <p className="walk-route-hint">{t('walkRouteHint')}</p>
            <button type="button" className="small-button" data-testid="walk-route-finish" onClick={route.finish}>{t('walkRouteFinish')}</button>{' '}
            <button type="button" className="small-button" disabled={route.draft.points.length === 0} onClick={route.undo}>{t('walkRouteUndo')}</button>
          </>
        ) : (
          <>
            <button type="button" className="small-button" data-testid="walk-route-draw" onClick={route.start}>
              {route.draft.points.length === 0 ? t('walkRouteDraw') : t('walkRouteRedraw')}
            </button>{' '}
            {route.draft.points.length > 0 && <button type="button" className="small-button" onClick={route.clear}>{t('walkRouteClear')}</button>}
          </>
        )}
      </fieldset>
      {error !== null && <p className="error" role="alert" data-testid="walk-form-error">{error}</p>}
      <div className="walk-form-buttons">
        <button type="submit" className="primary-button" disabled={busy} data-testid="walk-create">{t('walkCreate')}</button>
        <button type="button" className="small-button" onClick={() => { route.clear(); onCancel(); }}>{t('walkCancel')}</button>
      </div>
    </form>
  );
}
