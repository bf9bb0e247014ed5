/** The API-token part as pure functions: who may ask for which rights, the form check, a token's state. */
import type { ApiToken, NewToken, TokenScope } from '../../api/admin-types.ts';
import type { UserRole } from '../../api/types.ts';
import type { Checked, FormIssue } from './admin-errors.ts';

export const TOKEN_NAME_MAX = 100;

export interface NewTokenForm {
  readonly name: string;
  readonly scope: TokenScope;
}

export const emptyTokenForm: NewTokenForm = { name: '', scope: 'read' };

/** Whether this role may have a token with these rights (participants read only; the server checks too). */
export function scopeAllowed(role: UserRole, scope: TokenScope): boolean {
  return scope === 'read' || role !== 'participant';
}

/** The request to send, or what to fix first. */
export function checkNewToken(form: NewTokenForm, role: UserRole): Checked<NewToken> {
  const name = form.name.trim();
  const issues: FormIssue[] = [];
  if (name === '') issues.push({ field: 'name', problem: 'required' });
  else if (name.length > TOKEN_NAME_MAX) issues.push({ field: 'name', problem: 'tooLong', limit: TOKEN_NAME_MAX });
  if (!scopeAllowed(role, form.scope)) issues.push({ field: 'scope', problem: 'scope' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { name, scope: form.scope } };
}

export type TokenStatus = { state: 'active' } | { state: 'revoked'; at: string };

export function tokenStatus(token: Pick<ApiToken, 'revokedAt'>): TokenStatus {
  return token.revokedAt === null ? { state: 'active' } : { state: 'revoked', at: token.revokedAt };
}

/** The list after revoking `id` at `at` (the server's answer has no body). */
export function markRevoked(tokens: readonly ApiToken[], id: number, at: string): ApiToken[] {
  return tokens.map((token) => (token.id === id && token.revokedAt === null ? { ...token, revokedAt: at } : token));
}

/** The secret just created, shown once until the user has put it away. */
export interface FreshSecret {
  readonly id: number;
  readonly name: string;
  readonly token: string;
}
