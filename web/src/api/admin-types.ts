/**
 * Shapes of the administration API as the web client sees them: the user's own API tokens
 * (/api/tokens) and, for an organisation's administrators, its users, the classification and
 * shares of its layers, and its audit log (/api/admin/*). Every response enters through a guard
 * in ./admin-guards.ts.
 */
import type { UserRole } from './types.ts';

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** One of the signed-in user's API tokens; the secret itself is never listed. */
export interface ApiToken {
  id: number;
  name: string;
  /** first characters of the secret, to recognise it */
  prefix: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokensResponse {
  tokens: ApiToken[];
}

/** The answer to creating a token: `token` is the secret, shown this once. */
export interface CreatedToken {
  id: number;
  token: string;
}

export interface NewToken {
  name: string;
  scope: TokenScope;
}

/**
 * The answer to starting the second factor (POST /api/auth/totp/setup): the base32 secret to type
 * into an authenticator app, and the same as an `otpauth://totp/…` link. It only takes effect once
 * a code from the app is confirmed (POST /api/auth/totp/confirm).
 */
export interface TotpSetup {
  secret: string;
  uri: string;
}

/** A user of the administrator's own organisation. */
export interface AdminUser {
  id: number;
  email: string;
  displayName: string | null;
  role: UserRole;
  disabled: boolean;
  /** the second factor is on */
  totp: boolean;
  createdAt: string;
}

export interface AdminUsersResponse {
  users: AdminUser[];
}

export interface NewUser {
  email: string;
  role: UserRole;
  password: string;
  displayName?: string;
}

export interface UserChange {
  role?: UserRole;
  disabled?: boolean;
}

/** C0 public, C1 partners, C2 confidential, C3 critical infrastructure. */
export const CONFIDENTIALITY_LEVELS = ['C0', 'C1', 'C2', 'C3'] as const;
export type ConfidentialityLevel = (typeof CONFIDENTIALITY_LEVELS)[number];

/** A layer shared with another organisation until a date. */
export interface DatasetShare {
  id: number;
  /** slug of the organisation shared with */
  org: string;
  orgName: string;
  /** YYYY-MM-DD */
  validUntil: string;
}

/** A layer of the administrator's own organisation. */
export interface AdminDataset {
  id: number;
  name: string;
  confidentiality: ConfidentialityLevel;
  importedAt: string;
  shares: DatasetShare[];
}

export interface AdminDatasetsResponse {
  datasets: AdminDataset[];
}

export interface NewShare {
  /** slug of the organisation to share with */
  org: string;
  /** YYYY-MM-DD */
  validUntil: string;
}

export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** One line of the organisation's audit log. */
export interface AuditEntry {
  id: number | string;
  at: string;
  /** null when nobody was signed in, or the account is gone */
  email: string | null;
  action: string;
  objectType: string | null;
  objectId: string | number | null;
  result: AuditResult;
  ip: string | null;
  detail: unknown;
}

export interface AuditResponse {
  entries: AuditEntry[];
}
