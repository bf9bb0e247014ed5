/** Join a walk with its 6-character code and an optional name; no account. */
import { useId, useState, type FormEvent } from 'react';
import { WalkApiError, type WalkApi } from './api.ts';
import { useSchouwI18n } from './i18n.ts';
import { isWalkCode, normaliseCode } from './session.ts';
import type { JoinResponse } from './types.ts';

interface Props {
  api: WalkApi;
  initialCode: string;
  /** A notice above the form, e.g. that the phone must join again. */
  notice: string | null;
  onJoined: (code: string, joined: JoinResponse) => void;
}

export function JoinScreen({ api, initialCode, notice, onJoined }: Props) {
  const { t } = useSchouwI18n();
  const ids = useId();
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const normalised = normaliseCode(code);
    if (!isWalkCode(normalised)) {
      setError(t('joinCodeInvalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const joined = await api.join(normalised, name);
      onJoined(normalised, joined);
    } catch (e) {
      if (e instanceof WalkApiError && e.status === 0) setError(t('joinNetwork'));
      else if (e instanceof WalkApiError) setError(e.message || t('joinFailed', { status: e.status }));
      else setError(t('joinFailed', { status: '?' }));
      setBusy(false);
    }
  }

  return (
    <main className="join">
      <h1>{t('joinTitle')}</h1>
      {notice && <p className="notice">{notice}</p>}
      <p>{t('joinIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={`${ids}-code`}>{t('joinCode')}</label>
        <input
          id={`${ids}-code`}
          data-testid="join-code"
          className="code-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          inputMode="text"
          maxLength={12}
          required
          aria-invalid={error !== null}
          aria-describedby={error ? `${ids}-error` : undefined}
        />
        <label htmlFor={`${ids}-name`}>{t('joinName')}</label>
        <input id={`${ids}-name`} data-testid="join-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" maxLength={80} />
        <button type="submit" className="button primary" data-testid="join-submit" disabled={busy}>
          {busy ? t('joinBusy') : t('joinSubmit')}
        </button>
        {error && (
          <p id={`${ids}-error`} className="error" data-testid="join-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
