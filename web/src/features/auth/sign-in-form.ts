/**
 * The sign-in form as pure state: the fields, whether the server asked for the 6-digit code,
 * the request in flight and what went wrong. The dialog only renders it; every transition,
 * the check before sending and the reading of a refusal are tested here.
 */
import { ApiError } from '../../api/client.ts';
import type { Translate } from '../../i18n/index.ts';

export type SignInError =
  /** email or password left empty */
  | { kind: 'missing' }
  /** the code is not six digits */
  | { kind: 'totpFormat' }
  /** refused; `code`: the 6-digit code was part of the attempt */
  | { kind: 'invalid'; code: boolean }
  /** rate limited; `seconds` from Retry-After, null when unknown */
  | { kind: 'tooMany'; seconds: number | null }
  | { kind: 'network' }
  | { kind: 'other'; message: string };

export interface SignInForm {
  readonly email: string;
  readonly password: string;
  readonly totp: string;
  /** The server answered `totp_required`: the code field shows. */
  readonly totpRequired: boolean;
  readonly pending: boolean;
  readonly error: SignInError | null;
  /** The field to put the cursor in after an answer (the one to fill in or correct). */
  readonly focus: SignInField | null;
}

export type SignInField = 'email' | 'password' | 'totp';

export type SignInAction =
  | { type: 'field'; field: SignInField; value: string }
  /** a demo account chosen from the list */
  | { type: 'fill'; email: string; password: string }
  | { type: 'submitted' }
  | { type: 'refused'; error: SignInError }
  | { type: 'totpRequired' };

export const initialSignInForm: SignInForm = { email: '', password: '', totp: '', totpRequired: false, pending: false, error: null, focus: null };

export function updateSignInForm(state: SignInForm, action: SignInAction): SignInForm {
  switch (action.type) {
    case 'field':
      // Another email is another account: whether it needs a code is not known yet.
      if (action.field === 'email' && action.value !== state.email) return { ...state, email: action.value, totp: '', totpRequired: false };
      return { ...state, [action.field]: action.value };
    case 'fill':
      return { ...initialSignInForm, email: action.email, password: action.password };
    case 'submitted':
      return { ...state, pending: true, error: null, focus: null };
    case 'refused':
      return { ...state, pending: false, error: action.error, focus: fieldToFix(state, action.error) };
    case 'totpRequired':
      return { ...state, pending: false, error: null, totp: '', totpRequired: true, focus: 'totp' };
  }
}

export interface SignInRequest {
  email: string;
  password: string;
  totp?: string;
}

/** What to send, or why the form cannot be sent yet. Spaces in the code ("123 456") are dropped. */
export function prepareSignIn(form: SignInForm): { ok: true; request: SignInRequest } | { ok: false; error: SignInError } {
  const email = form.email.trim();
  if (email === '' || form.password === '') return { ok: false, error: { kind: 'missing' } };
  if (!form.totpRequired) return { ok: true, request: { email, password: form.password } };
  const totp = form.totp.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(totp)) return { ok: false, error: { kind: 'totpFormat' } };
  return { ok: true, request: { email, password: form.password, totp } };
}

/** The form action for a failed sign-in: ask for the code, or show why it was refused. */
export function refusalOf(err: unknown, totpSent: boolean): SignInAction {
  if (!(err instanceof ApiError)) return { type: 'refused', error: { kind: 'other', message: err instanceof Error ? err.message : String(err) } };
  if (err.code === 'totp_required') return { type: 'totpRequired' };
  if (err.code === 'too_many_attempts' || err.status === 429) return { type: 'refused', error: { kind: 'tooMany', seconds: err.retryAfter } };
  // invalid_body: an email or password the server would not even look up (e.g. too short)
  if (err.code === 'invalid_credentials' || err.code === 'invalid_body') return { type: 'refused', error: { kind: 'invalid', code: totpSent } };
  if (err.code === 'network_error') return { type: 'refused', error: { kind: 'network' } };
  return { type: 'refused', error: { kind: 'other', message: err.message } };
}

/** The message for the error line under the form. */
export function signInErrorText(t: Translate, error: SignInError): string {
  switch (error.kind) {
    case 'missing':
      return t('signinErrorMissing');
    case 'totpFormat':
      return t('signinErrorTotpFormat');
    case 'invalid':
      return t(error.code ? 'signinErrorInvalidCode' : 'signinErrorInvalid');
    case 'tooMany':
      return error.seconds === null ? t('signinErrorTooManyLater') : t('signinErrorTooMany', { seconds: error.seconds });
    case 'network':
      return t('signinErrorNetwork');
    case 'other':
      return t('signinErrorOther', { message: error.message });
  }
}

/** The field to correct for this error, if any. */
export function fieldToFix(form: Pick<SignInForm, 'email'>, error: SignInError): SignInField | null {
  switch (error.kind) {
    case 'missing':
      return form.email.trim() === '' ? 'email' : 'password';
    case 'totpFormat':
      return 'totp';
    case 'invalid':
      return error.code ? 'totp' : 'password';
    default:
      return null;
  }
}
