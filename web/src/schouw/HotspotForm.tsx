/**
 * A new hotspot: kans or knelpunt, a theme of the walk, a note and an optional photo (made smaller
 * on the phone). Save is possible once there is a place, a kind and a theme.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useSchouwI18n, type SchouwKey } from './i18n.ts';
import { resizePhoto, type ResizeEnv } from './resize.ts';
import { HOTSPOT_KINDS, type HotspotKind } from './types.ts';
import type { ChosenPlace } from './use-position.ts';

export const NOTE_MAX = 2000;

export interface NewHotspot {
  kind: HotspotKind;
  theme: string;
  note: string;
  photo: Blob | null;
}

interface Props {
  themes: readonly string[];
  place: ChosenPlace | null;
  closed: boolean;
  saveStatus: string | null;
  resizeEnv: ResizeEnv;
  createUrl: (blob: Blob) => string;
  revokeUrl: (url: string) => void;
  /** Resolves when the hotspot is in the outbox; rejects with the storage's error. */
  onSave: (hotspot: NewHotspot) => Promise<void>;
}

const KIND_LABEL: Readonly<Record<HotspotKind, SchouwKey>> = { kans: 'kindKans', knelpunt: 'kindKnelpunt' };

function missingHint(place: ChosenPlace | null, kind: HotspotKind | null, theme: string): SchouwKey | null {
  if (!place) return 'needPosition';
  if (!kind) return 'needKind';
  if (theme === '') return 'needTheme';
  return null;
}

export function HotspotForm({ themes, place, closed, saveStatus, resizeEnv, createUrl, revokeUrl, onSave }: Props) {
  const { t } = useSchouwI18n();
  const ids = useId();
  const [kind, setKind] = useState<HotspotKind | null>(null);
  const [theme, setTheme] = useState(themes.length === 1 ? (themes[0] ?? '') : '');
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [photoState, setPhotoState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const [photoUrl, setPhotoUrl] = useState<string | null>(null);

  useEffect(() => {
    if (!photo) return undefined;
    const url = createUrl(photo);
    setPhotoUrl(url);
    return () => {
      revokeUrl(url);
      setPhotoUrl(null);
    };
  }, [photo, createUrl, revokeUrl]);

  const validTheme = themes.includes(theme) ? theme : '';
  const hint = missingHint(place, kind, validTheme);
  const canSave = hint === null && !closed && !saving && photoState !== 'busy';

  async function choosePhoto(file: File | undefined): Promise<void> {
    setPhoto(null);
    if (!file) {
      setPhotoState('idle');
      return;
    }
    setPhotoState('busy');
    try {
      setPhoto(await resizePhoto(file, resizeEnv));
      setPhotoState('idle');
    } catch (error) {
      console.warn('[schouw] photo', error);
      setPhotoState('failed');
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  function clearPhoto(): void {
    setPhoto(null);
    setPhotoState('idle');
    if (fileInput.current) fileInput.current.value = '';
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!canSave || !kind) return;
    setSaving(true);
    setSaveError(null);
    try {
      await onSave({ kind, theme: validTheme, note: note.trim(), photo });
      setKind(null);
      setTheme(themes.length === 1 ? (themes[0] ?? '') : '');
      setNote('');
      clearPhoto();
    } catch (error) {
      setSaveError(t('saveFailed', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="hotspot-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('formTitle')}</h2>
      <fieldset className="kinds">
        <legend>{t('kindLegend')}</legend>
        {HOTSPOT_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={`kind kind-${k}`}
            data-testid={`kind-${k}`}
            aria-pressed={kind === k}
            disabled={closed}
            onClick={() => setKind(kind === k ? null : k)}
          >
            <span aria-hidden="true" className="kind-mark">
              {kind === k ? '✓' : k === 'kans' ? '+' : '!'}
            </span>
            {t(KIND_LABEL[k])}
          </button>
        ))}
      </fieldset>

      <label htmlFor={`${ids}-theme`}>{t('theme')}</label>
      <select id={`${ids}-theme`} data-testid="theme-select" value={validTheme} disabled={closed} onChange={(e) => setTheme(e.target.value)}>
        <option value="" disabled>
          {t('themeChoose')}
        </option>
        {themes.map((th) => (
          <option key={th} value={th}>
            {th}
          </option>
        ))}
      </select>

      <label htmlFor={`${ids}-note`}>{t('note')}</label>
      <textarea
        id={`${ids}-note`}
        data-testid="note"
        rows={3}
        maxLength={NOTE_MAX}
        placeholder={t('notePlaceholder')}
        value={note}
        disabled={closed}
        onChange={(e) => setNote(e.target.value)}
      />

      <div className="photo">
        <label className="button secondary photo-pick" htmlFor={`${ids}-photo`}>
          {t('photo')}
        </label>
        <input
          ref={fileInput}
          id={`${ids}-photo`}
          className="visually-hidden"
          data-testid="photo-input"
          type="file"
          accept="image/*"
          capture="environment"
          disabled={closed}
          onChange={(e) => void choosePhoto(e.target.files?.[0])}
        />
        {photoState === 'busy' && <p role="status">{t('photoBusy')}</p>}
        {photoState === 'failed' && <p role="alert" className="error">{t('photoFailed')}</p>}
        {photoUrl && (
          <div className="photo-preview">
            <img src={photoUrl} alt={t('photoAlt')} />
            <button type="button" className="button secondary" onClick={clearPhoto}>
              {t('photoRemove')}
            </button>
          </div>
        )}
      </div>

      <button type="submit" className="button primary save" data-testid="save-hotspot" disabled={!canSave} aria-describedby={`${ids}-hint`}>
        {t('save')}
      </button>
      <p id={`${ids}-hint`} className="hint">
        {!closed && hint ? t(hint) : ''}
      </p>
      <p className="save-status" data-testid="save-status" role="status" aria-live="polite">
        {saveError ?? saveStatus ?? ''}
      </p>
    </form>
  );
}
