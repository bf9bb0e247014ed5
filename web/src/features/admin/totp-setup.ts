/**
 * Turning on the administrator's own second factor (TOTP), as pure state: start (the server makes
 * a secret), type the secret into an authenticator app, confirm with a code from the app. The
 * block in the panel only renders this; the transitions, the check of the code, the secret in
 * groups and the error sentences are tested here.
 */
import { ApiError } from '../../api/client.ts';
import type { TotpSetup } from '../../api/admin-types.ts';
import type { CurrentUser } from '../../api/types.ts';
import type { Translate } from '../../i18n/index.ts';

export const TOTP_CODE_LENGTH = 6;

/** The secret as an authenticator app asks to type it: capitals in groups of 4 ("JBSW Y3DP EHPK"). */
export function formatSecret(secret: string, size = 4): string {
  const plain = secret.replace(/[\s=]+/g, '').toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < plain.length; i += Math.max(1, size)) groups.push(plain.slice(i, i + Math.max(1, size)));
  return groups.join(' ');
}

/** What the code field keeps of the input: its digits, at most 6 ("123 456" pasted gives "123456"). */
export function cleanCode(input: string): string {
  return input.replace(/\D+/g, '').slice(0, TOTP_CODE_LENGTH);
}

/** The code to send (spaces dropped), or null when it is not exactly 6 digits. */
export function checkTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, '');
  return new RegExp(`^\\d{${TOTP_CODE_LENGTH}}$`).test(code) ? code : null;
}

/** Which request failed: starting (the secret) or confirming (the code). */
export type TotpStep = 'start' | 'confirm';

export type TotpError =
  /** the code is not 6 digits (checked here, or by the server: invalid_body) */
  | { kind: 'format' }
  /** the code does not belong to the secret (400 invalid_code) */
  | { kind: 'invalidCode' }
  /** not an administrator in a browser session (403) */
  | { kind: 'forbidden' }
  | { kind: 'signedOut' }
  | { kind: 'network' }
  | { kind: 'other'; message: string };

export interface TotpFailure {
  step: TotpStep;
  error: TotpError;
}

/** Reads a thrown error (usually an ApiError). */
export function totpErrorOf(err: unknown): TotpError {
  if (!(err instanceof ApiError)) return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
  if (err.code === 'invalid_code') return { kind: 'invalidCode' };
  if (err.code === 'invalid_body') return { kind: 'format' };
  if (err.code === 'network_error') return { kind: 'network' };
  if (err.status === 401) return { kind: 'signedOut' };
  if (err.status === 403) return { kind: 'forbidden' };
  return { kind: 'other', message: err.message };
}

/** One or two sentences for the error line of the block. */
export function totpErrorText(t: Translate, failure: TotpFailure): string {
  const { error } = failure;
  switch (error.kind) {
    case 'format':
      return t('totpErrorFormat');
    case 'invalidCode':
      return t('totpErrorInvalidCode');
    default: {
      const what = t(failure.step === 'start' ? 'totpFailStart' : 'totpFailConfirm');
      const why =
        error.kind === 'forbidden'
          ? t('totpErrorForbidden')
          : error.kind === 'signedOut'
            ? t('adminReasonSignedOut')
            : error.kind === 'network'
              ? t('adminReasonNetwork')
              : t('adminReasonOther', { message: error.message });
      return `${what} ${why}`;
    }
  }
}

/** Where the turning on stands. `pending`: a request is in flight (its buttons are disabled). */
export type TotpFlow =
  | { readonly stage: 'off'; readonly pending: boolean; readonly failure: TotpFailure | null }
  | { readonly stage: 'setup'; readonly setup: TotpSetup; readonly code: string; readonly pending: boolean; readonly failure: TotpFailure | null }
  /** confirmed just now */
  | { readonly stage: 'on' };

export type TotpAction =
  | { type: 'start' }
  | { type: 'setup'; setup: TotpSetup }
  | { type: 'code'; value: string }
  | { type: 'confirm' }
  | { type: 'confirmed' }
  /** the code did not pass the check before sending */
  | { type: 'badCode' }
  /** the request in flight was refused */
  | { type: 'failed'; failure: TotpFailure }
  | { type: 'cancel' };

export const initialTotpFlow: TotpFlow = { stage: 'off', pending: false, failure: null };

/** The next state; an answer that arrives after the user moved on (cancelled) is ignored. */
export function updateTotpFlow(state: TotpFlow, action: TotpAction): TotpFlow {
  switch (action.type) {
    case 'start':
      return state.stage === 'off' && !state.pending ? { stage: 'off', pending: true, failure: null } : state;
    case 'setup':
      return state.stage === 'off' && state.pending ? { stage: 'setup', setup: action.setup, code: '', pending: false, failure: null } : state;
    case 'code':
      return state.stage === 'setup' ? { ...state, code: cleanCode(action.value) } : state;
    case 'confirm':
      return state.stage === 'setup' && !state.pending ? { ...state, pending: true, failure: null } : state;
    case 'confirmed':
      return state.stage === 'setup' && state.pending ? { stage: 'on' } : state;
    case 'badCode':
      return state.stage === 'setup' && !state.pending ? { ...state, failure: { step: 'confirm', error: { kind: 'format' } } } : state;
    case 'failed':
      return state.stage !== 'on' && state.pending ? { ...state, pending: false, failure: action.failure } : state;
    case 'cancel':
      return state.stage === 'setup' && !state.pending ? initialTotpFlow : state;
  }
}

/** True when the second factor is on: the server said so, or it was confirmed just now. */
export function totpIsOn(user: Pick<CurrentUser, 'totp'>, flow: TotpFlow): boolean {
  return user.totp === true || flow.stage === 'on';
}
