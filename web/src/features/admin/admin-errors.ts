/**
 * What went wrong in the administration panel, and the text for it. Pure: a refusal of the API
 * (or a form that cannot be sent yet) becomes an AdminError, which becomes one sentence for the
 * error line, and tells which form fields to mark.
 */
import { ApiError } from '../../api/client.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';

/** What the user tried to do. */
export type AdminAction = 'load' | 'createToken' | 'revokeToken' | 'createUser' | 'changeUser' | 'classify' | 'share' | 'unshare';

export type FormField = 'name' | 'scope' | 'email' | 'displayName' | 'password' | 'org' | 'validUntil';

export type FormIssue =
  | { field: FormField; problem: 'required' | 'email' | 'date' | 'past' | 'scope' }
  | { field: FormField; problem: 'tooShort' | 'tooLong'; limit: number };

/** A form checked before sending: the request, or what to fix. */
export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FormIssue[] };

export type AdminError =
  | { kind: 'validation'; issues: readonly FormIssue[] }
  | { kind: 'emailTaken' }
  | { kind: 'ownAccount' }
  /** the server's own check of the input (400 invalid_body) */
  | { kind: 'invalid'; message: string }
  /** a participant asked for a write token */
  | { kind: 'writeToken' }
  | { kind: 'forbidden' }
  | { kind: 'signedOut' }
  | { kind: 'notFound' }
  | { kind: 'network' }
  | { kind: 'other'; message: string };

/** The failure shown in the panel: what was tried and why it did not work. */
export interface AdminFailure {
  action: AdminAction;
  error: AdminError;
}

/** Reads a thrown error (usually an ApiError) for the action that threw it. */
export function adminErrorOf(err: unknown, action: AdminAction): AdminError {
  if (!(err instanceof ApiError)) return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
  if (err.code === 'email_taken') return { kind: 'emailTaken' };
  if (err.code === 'own_account') return { kind: 'ownAccount' };
  if (err.code === 'invalid_body' || (err.status === 400 && err.code !== 'http_error')) return { kind: 'invalid', message: err.message };
  if (err.code === 'network_error') return { kind: 'network' };
  if (err.status === 401) return { kind: 'signedOut' };
  if (err.status === 403 && action === 'createToken') return { kind: 'writeToken' };
  if (err.status === 403) return { kind: 'forbidden' };
  if (err.status === 404) return { kind: 'notFound' };
  return { kind: 'other', message: err.message };
}

const ACTION_KEYS: Readonly<Record<AdminAction, MessageKey>> = {
  load: 'adminFailLoad',
  createToken: 'adminFailCreateToken',
  revokeToken: 'adminFailRevokeToken',
  createUser: 'adminFailCreateUser',
  changeUser: 'adminFailChangeUser',
  classify: 'adminFailClassify',
  share: 'adminFailShare',
  unshare: 'adminFailUnshare',
};

const FIELD_KEYS: Readonly<Record<FormField, MessageKey>> = {
  name: 'tokenName',
  scope: 'tokenScope',
  email: 'userEmail',
  displayName: 'userDisplayName',
  password: 'userPassword',
  org: 'shareWith',
  validUntil: 'shareUntilLabel',
};

const REQUIRED_KEYS: Partial<Record<FormField, MessageKey>> = {
  name: 'adminIssueRequiredName',
  email: 'adminIssueRequiredEmail',
  password: 'adminIssueRequiredPassword',
  org: 'adminIssueRequiredOrg',
};

/** One sentence per problem with a form field. */
export function issueText(t: Translate, issue: FormIssue): string {
  const field = t(FIELD_KEYS[issue.field]);
  switch (issue.problem) {
    case 'required':
      return t(REQUIRED_KEYS[issue.field] ?? 'adminIssueDate');
    case 'email':
      return t('adminIssueEmail');
    case 'date':
      return t('adminIssueDate');
    case 'past':
      return t('adminIssuePast');
    case 'scope':
      return t('adminIssueScope');
    case 'tooShort':
      return t('adminIssueTooShort', { field, limit: issue.limit });
    case 'tooLong':
      return t('adminIssueTooLong', { field, limit: issue.limit });
  }
}

function reasonText(t: Translate, error: AdminError): string {
  switch (error.kind) {
    case 'validation':
      return error.issues.map((issue) => issueText(t, issue)).join(' ');
    case 'emailTaken':
      return t('adminReasonEmailTaken');
    case 'ownAccount':
      return t('adminReasonOwnAccount');
    case 'invalid':
      return t('adminReasonInvalid', { message: error.message });
    case 'writeToken':
      return t('adminReasonWriteToken');
    case 'forbidden':
      return t('adminReasonForbidden');
    case 'signedOut':
      return t('adminReasonSignedOut');
    case 'notFound':
      return t('adminReasonNotFound');
    case 'network':
      return t('adminReasonNetwork');
    case 'other':
      return t('adminReasonOther', { message: error.message });
  }
}

/** "De gebruiker is niet toegevoegd. Er bestaat al een account met dit e-mailadres." */
export function adminErrorText(t: Translate, failure: AdminFailure): string {
  return `${t(ACTION_KEYS[failure.action])} ${reasonText(t, failure.error)}`;
}

/** The form fields to mark invalid for a failure of `action` (none when it is about another action). */
export function invalidFields(failure: AdminFailure | null, action: AdminAction): ReadonlySet<FormField> {
  if (failure === null || failure.action !== action) return new Set();
  const { error } = failure;
  if (error.kind === 'validation') return new Set(error.issues.map((issue) => issue.field));
  if (error.kind === 'emailTaken') return new Set(['email']);
  if (error.kind === 'writeToken') return new Set(['scope']);
  return new Set();
}
