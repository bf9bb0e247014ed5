/**
 * The sign-in dialog: email and password (and the 6-digit code once the server asks for it),
 * sent with Enter or the button. Modal for the keyboard: focus goes to the email field when it
 * opens, Tab stays inside, Escape closes, and focus returns to where it was. In demo mode the
 * demo accounts are listed, each with a button that fills in the form.
 */
import { useEffect, useLayoutEffect, useReducer, useRef, type FormEvent } from 'react';
import type { DemoAccount } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { ModalDialog } from './ModalDialog.tsx';
import { demoAccountTestIds, roleLabel } from './labels.ts';
import { initialSignInForm, prepareSignIn, refusalOf, signInErrorText, updateSignInForm } from './sign-in-form.ts';
import './auth.css';

export interface SignInDialogProps {
  /** Demo accounts to offer (demo mode); null in production. */
  demo: readonly DemoAccount[] | null;
  /** Rejects with the refusal; the dialog shows why. */
  signIn: (email: string, password: string, totp?: string) => Promise<void>;
  onSignedIn: () => void;
  onClose: () => void;
}

function DemoAccounts({ accounts, onFill }: { accounts: readonly DemoAccount[]; onFill: (account: DemoAccount) => void }) {
  const { t } = useI18n();
  const ids = demoAccountTestIds(accounts);
  return (
    <section className="signin-demo" aria-labelledby="signin-demo-title" data-testid="signin-demo">
      <h3 id="signin-demo-title">{t('signinDemoTitle')}</h3>
      <p className="muted">{t('signinDemoIntro')}</p>
      <ul className="signin-demo-list">
        {accounts.map((account, i) => {
          const role = roleLabel(t, account.role);
          return (
            <li key={`${account.email}-${i}`} className="signin-demo-row">
              <span className="signin-demo-who">
                <span className="signin-demo-email">{account.email}</span>
                <span className="muted">
                  {role} · {account.organisation}
                </span>
                <span className="muted">
                  {t('signinPassword')}: <code>{account.password}</code>
                </span>
              </span>
              <button
                type="button"
                className="button"
                data-testid={ids[i]}
                data-email={account.email}
                aria-label={t('signinDemoFillLabel', { email: account.email, role, organisation: account.organisation })}
                onClick={() => onFill(account)}
              >
                {t('signinDemoFill')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function SignInDialog({ demo, signIn, onSignedIn, onClose }: SignInDialogProps) {
  const { t } = useI18n();
  const [form, dispatch] = useReducer(updateSignInForm, initialSignInForm);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const submit = useRef<HTMLButtonElement>(null);

  // Into the email field when it opens; back to where the user was when it closes.
  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    emailRef.current?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);
  // After an answer: to the code field that just appeared, or to the field to correct.
  useEffect(() => {
    if (form.focus === null) return;
    const input = { email: emailRef, password: passwordRef, totp: totpRef }[form.focus].current;
    input?.focus();
    input?.select();
  }, [form.error, form.focus]);

  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (form.pending) return;
    const prepared = prepareSignIn(form);
    if (!prepared.ok) {
      dispatch({ type: 'refused', error: prepared.error });
      return;
    }
    const { email, password, totp } = prepared.request;
    dispatch({ type: 'submitted' });
    signIn(email, password, totp).then(onSignedIn, (err: unknown) => dispatch(refusalOf(err, totp !== undefined)));
  };

  const fill = (account: DemoAccount): void => {
    dispatch({ type: 'fill', email: account.email, password: account.password });
    submit.current?.focus();
  };

  const error = form.error ? signInErrorText(t, form.error) : null;
  const describedBy = error === null ? undefined : 'signin-error';
  return (
    <ModalDialog name="signin" title={t('signinTitle')} intro={t('signinIntro')} closeLabel={t('signinClose')} testId="signin-dialog" onClose={onClose}>
        <form className="signin-form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
          <label htmlFor="signin-email">{t('signinEmail')}</label>
          <input
            ref={emailRef}
            id="signin-email"
            type="email"
            autoComplete="username"
            required
            data-testid="signin-email"
            value={form.email}
            aria-invalid={form.error?.kind === 'missing' && form.email.trim() === ''}
            aria-describedby={describedBy}
            onChange={(e) => dispatch({ type: 'field', field: 'email', value: e.target.value })}
          />
          <label htmlFor="signin-password">{t('signinPassword')}</label>
          <input
            ref={passwordRef}
            id="signin-password"
            type="password"
            autoComplete="current-password"
            required
            data-testid="signin-password"
            value={form.password}
            aria-invalid={form.error?.kind === 'invalid' && !form.error.code}
            aria-describedby={describedBy}
            onChange={(e) => dispatch({ type: 'field', field: 'password', value: e.target.value })}
          />
          {form.totpRequired && (
            <>
              <p id="signin-totp-hint" className="signin-hint">
                {t('signinTotpHint')}
              </p>
              <label htmlFor="signin-totp">{t('signinTotp')}</label>
              <input
                ref={totpRef}
                id="signin-totp"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                required
                data-testid="signin-totp"
                value={form.totp}
                aria-invalid={form.error?.kind === 'totpFormat' || (form.error?.kind === 'invalid' && form.error.code)}
                aria-describedby={error === null ? 'signin-totp-hint' : 'signin-totp-hint signin-error'}
                onChange={(e) => dispatch({ type: 'field', field: 'totp', value: e.target.value })}
              />
            </>
          )}
          {error !== null && (
            <p id="signin-error" className="signin-error" role="alert" data-testid="signin-error" data-kind={form.error?.kind}>
              {error}
            </p>
          )}
          <button ref={submit} type="submit" className="button primary signin-submit" data-testid="signin-submit" disabled={form.pending}>
            {form.pending ? t('signinPending') : t('signinSubmit')}
          </button>
        </form>
        {demo !== null && demo.length > 0 && <DemoAccounts accounts={demo} onFill={fill} />}
    </ModalDialog>
  );
}
