/**
 * The time window: two native range inputs ("from" and "up to and including") in day steps over
 * the works' full period, each showing its date, and a button back to the whole period. The
 * keyboard works natively (arrows a day, Page Up/Down larger steps, Home/End the ends).
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { formatDay, type DayWindow } from './dates.ts';
import { moveHandle, sliderPositions } from './slider.ts';

export interface TimeSliderProps {
  /** The full period (all works); null when no work has a date. */
  range: DayWindow | null;
  /** The chosen window; null = the whole period, works without dates included. */
  window: DayWindow | null;
  onChange: (window: DayWindow | null) => void;
}

export function TimeSlider({ range, window, onChange }: TimeSliderProps) {
  const { language, t } = useI18n();
  const id = useId();
  if (range === null) {
    return (
      <div className="time-slider" data-testid="time-slider">
        <span className="muted">{t('timeNoDates')}</span>
      </div>
    );
  }
  const p = sliderPositions(range, window);
  const shown = window ?? range;
  const handle = (which: 'from' | 'to') => {
    const day = which === 'from' ? shown.from : shown.to;
    const text = formatDay(language, day);
    return (
      <label className="time-handle">
        <span className="time-handle-label">{t(which === 'from' ? 'timeFrom' : 'timeTo')}</span>
        <input
          type="range"
          min={0}
          max={p.max}
          step={1}
          value={which === 'from' ? p.from : p.to}
          data-testid={which === 'from' ? 'time-from' : 'time-to'}
          aria-valuetext={text}
          aria-describedby={`${id}-status`}
          onChange={(e) => onChange(moveHandle(range, window, which, Number(e.currentTarget.value)))}
        />
        <output className="time-date" data-testid={`${which === 'from' ? 'time-from' : 'time-to'}-date`}>
          {text}
        </output>
      </label>
    );
  };
  return (
    <div className="time-slider" role="group" aria-labelledby={`${id}-title`} data-testid="time-slider">
      <span id={`${id}-title`} className="visually-hidden">
        {t('timeSliderLabel')}
      </span>
      {handle('from')}
      {handle('to')}
      <span id={`${id}-status`} className="visually-hidden">
        {window === null ? t('timeAll') : ''}
      </span>
      <button type="button" className="small-button" data-testid="time-reset" disabled={window === null} title={t('timeResetLabel')} onClick={() => onChange(null)}>
        {t('timeReset')}
      </button>
    </div>
  );
}
