/**
 * The administrator's own second factor, at the top of the tokens tab: a line that it is on, or a
 * button to turn it on. Then the secret in groups of 4 to type into an authenticator app (there is
 * no QR code: no library for one), the otpauth:// link to open on the phone, and a code from the
 * app to confirm it. The state lives in the panel (see totp-setup.ts), so switching tabs keeps the
 * secret; errors show in the block itself, next to the code they are about.
 */
import { useEffect, useRef, useState, type Dispatch, type FormEvent } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { CurrentUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { copyText, pageClipboard } from './clipboard.ts';
import { checkTotpCode, formatSecret, totpErrorOf, totpErrorText, totpIsOn, type TotpAction, type TotpFlow } from './totp-setup.ts';
import type { Notify } from './use-admin.ts';

export interface TotpSectionProps {
  api: ApiClient;
  user: CurrentUser;
  notify: Notify;
  flow: TotpFlow;
  dispatch: Dispatch<TotpAction>;
  /** The second factor was just turned on: the signed-in user is worth reading again. */
  onEnabled: () => void;
}

type CopyState = 'idle' | 'copied' | 'failed';

function SecretKey({ secret }: { secret: string }) {
  const { t } = useI18n();
  const [copy, setCopy] = useState<CopyState>('idle');
  const code = useRef<HTMLElement>(null);

  const onCopy = async (): Promise<void> => {
    const ok = await copyText(secret, pageClipboard());
    if (!ok && code.current) window.getSelection()?.selectAllChildren(code.current);
    setCopy(ok ? 'copied' : 'failed');
  };

  return (
    <>
      <p className="admin-totp-label" id="totp-secret-label">
        {t('totpSecretLabel')}
      </p>
      <div className="admin-secret-row">
        <code ref={code} className="admin-secret-value admin-totp-secret" data-testid="totp-secret" data-secret={secret} aria-labelledby="totp-secret-label" aria-describedby="totp-manual-hint">
          {formatSecret(secret)}
        </code>
        <button type="button" className="button" data-testid="totp-copy" onClick={() => void onCopy()}>
          {t('tokenCopy')}
        </button>
      </div>
      <p className="admin-copy-status" role="status">
        {copy === 'copied' ? t('tokenCopied') : copy === 'failed' ? t('totpCopyFailed') : ''}
      </p>
      <p className="small muted" id="totp-manual-hint">
        {t('totpManualHint')}
      </p>
    </>
  );
}

export function TotpSection({ api, user, notify, flow, dispatch, onEnabled }: TotpSectionProps) {
  const { t } = useI18n();
  const startButton = useRef<HTMLButtonElement>(null);
  const setupTitle = useRef<HTMLHeadingElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const onLine = useRef<HTMLParagraphElement>(null);
  const previous = useRef(flow);

  // Keyboard focus follows the step (not on mount: coming back to the tab leaves it on the tab).
  useEffect(() => {
    const before = previous.current;
    previous.current = flow;
    if (before === flow) return;
    if (flow.stage === 'on') {
      if (before.stage !== 'on') onLine.current?.focus();
    } else if (flow.stage === 'setup' && before.stage !== 'setup') {
      setupTitle.current?.focus();
    } else if (flow.failure !== null && (before.stage === 'on' || flow.failure !== before.failure)) {
      if (flow.stage === 'setup') codeInput.current?.select();
      (flow.stage === 'setup' ? codeInput : startButton).current?.focus();
    } else if (flow.stage === 'off' && before.stage === 'setup') {
      startButton.current?.focus();
    }
  }, [flow]);

  if (user.role !== 'admin') return null;

  const onStart = async (): Promise<void> => {
    if (flow.stage !== 'off' || flow.pending) return;
    notify.clear();
    dispatch({ type: 'start' });
    try {
      dispatch({ type: 'setup', setup: await api.setupTotp() });
    } catch (err) {
      dispatch({ type: 'failed', failure: { step: 'start', error: totpErrorOf(err) } });
    }
  };

  const onConfirm = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (flow.stage !== 'setup' || flow.pending) return;
    notify.clear();
    const code = checkTotpCode(flow.code);
    if (code === null) {
      dispatch({ type: 'badCode' });
      return;
    }
    dispatch({ type: 'confirm' });
    try {
      await api.confirmTotp(code);
    } catch (err) {
      dispatch({ type: 'failed', failure: { step: 'confirm', error: totpErrorOf(err) } });
      return;
    }
    dispatch({ type: 'confirmed' });
    onEnabled();
  };

  const on = totpIsOn(user, flow);
  const failure = flow.stage === 'on' ? null : flow.failure;
  const codeWrong = failure !== null && failure.step === 'confirm' && (failure.error.kind === 'format' || failure.error.kind === 'invalidCode');
  const errorLine = failure !== null && (
    <p id="totp-error" className="import-error admin-message" role="alert" data-testid="totp-error" data-kind={failure.error.kind} data-step={failure.step}>
      {totpErrorText(t, failure)}
    </p>
  );

  return (
    <section className="admin-totp" aria-labelledby="totp-title" data-testid="totp" data-stage={on ? 'on' : flow.stage}>
      <h3 id="totp-title">{t('totpTitle')}</h3>
      {on || flow.stage === 'on' ? (
        <>
          <p ref={onLine} tabIndex={-1} className="admin-totp-on" data-testid="totp-on" {...(flow.stage === 'on' ? { 'aria-describedby': 'totp-on-next' } : {})}>
            {t('totpOn')}
          </p>
          {flow.stage === 'on' && (
            <p id="totp-on-next" data-testid="totp-on-next">
              {t('totpOnNext')}
            </p>
          )}
        </>
      ) : flow.stage === 'off' ? (
        <>
          <p className="muted">{t('totpIntro')}</p>
          <button ref={startButton} type="button" className="button primary" data-testid="totp-start" disabled={flow.pending} onClick={() => void onStart()}>
            {flow.pending ? t('adminBusy') : t('totpStart')}
          </button>
          {errorLine}
        </>
      ) : (
        <>
          <div className="admin-secret admin-totp-setup" role="group" aria-labelledby="totp-app-title">
            <h4 ref={setupTitle} id="totp-app-title" tabIndex={-1}>
              {t('totpAppTitle')}
            </h4>
            <p data-testid="totp-no-scan">{t('totpNoScan')}</p>
            <SecretKey secret={flow.setup.secret} />
            <p className="admin-totp-link">
              {t('totpUriLabel')}{' '}
              <a href={flow.setup.uri} className="admin-totp-uri" data-testid="totp-uri">
                {flow.setup.uri}
              </a>
            </p>
          </div>
          <form className="admin-form" noValidate onSubmit={(e) => void onConfirm(e)} aria-labelledby="totp-code-title">
            <h4 id="totp-code-title">{t('totpCodeTitle')}</h4>
            <div className="admin-fields">
              <div className="admin-field">
                <label htmlFor="totp-code">{t('totpCode')}</label>
                <input
                  ref={codeInput}
                  id="totp-code"
                  className="admin-totp-code"
                  data-testid="totp-code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]*"
                  spellCheck={false}
                  size={8}
                  value={flow.code}
                  aria-invalid={codeWrong}
                  {...(codeWrong ? { 'aria-describedby': 'totp-error' } : {})}
                  onChange={(e) => dispatch({ type: 'code', value: e.target.value })}
                />
              </div>
              <button type="submit" className="button primary" data-testid="totp-confirm" disabled={flow.pending}>
                {flow.pending ? t('adminBusy') : t('totpConfirm')}
              </button>
              <button type="button" className="button" data-testid="totp-cancel" disabled={flow.pending} onClick={() => dispatch({ type: 'cancel' })}>
                {t('adminCancel')}
              </button>
            </div>
          </form>
          {errorLine}
        </>
      )}
    </section>
  );
}
