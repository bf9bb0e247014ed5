/** Type guards for the administration responses (/api/tokens, /api/admin/*). */
import { isUserRole } from './auth-guards.ts';
import { isRecord } from './guards.ts';
import {
  AUDIT_RESULTS,
  CONFIDENTIALITY_LEVELS,
  TOKEN_SCOPES,
  type AdminDataset,
  type AdminDatasetsResponse,
  type AdminUser,
  type AdminUsersResponse,
  type ApiToken,
  type AuditEntry,
  type AuditResponse,
  type AuditResult,
  type ConfidentialityLevel,
  type CreatedToken,
  type DatasetShare,
  type TokenScope,
  type TokensResponse,
  type TotpSetup,
} from './admin-types.ts';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    values.some((value) => value === v);
const isListOf =
  <T>(key: string, guard: (v: unknown) => v is T) =>
  (json: unknown): boolean =>
    isRecord(json) && Array.isArray(json[key]) && json[key].every(guard);

export const isTokenScope: (v: unknown) => v is TokenScope = isOneOf(TOKEN_SCOPES);
export const isConfidentialityLevel: (v: unknown) => v is ConfidentialityLevel = isOneOf(CONFIDENTIALITY_LEVELS);
export const isAuditResult: (v: unknown) => v is AuditResult = isOneOf(AUDIT_RESULTS);

export function isApiToken(value: unknown): value is ApiToken {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['name']) &&
    isString(value['prefix']) &&
    isTokenScope(value['scope']) &&
    isString(value['createdAt']) &&
    isStringOrNull(value['lastUsedAt']) &&
    isStringOrNull(value['revokedAt'])
  );
}

export function isTokensResponse(json: unknown): json is TokensResponse {
  return isListOf('tokens', isApiToken)(json);
}

export function isCreatedToken(json: unknown): json is CreatedToken {
  return isRecord(json) && isFiniteNumber(json['id']) && isString(json['token']) && json['token'] !== '';
}

/**
 * A secret in base32 (RFC 4648: A–Z and 2–7, perhaps padded with `=`) and an `otpauth://` link:
 * the link becomes an href, so no other scheme gets through.
 */
export function isTotpSetup(json: unknown): json is TotpSetup {
  return (
    isRecord(json) &&
    isString(json['secret']) &&
    /^[A-Z2-7]+=*$/i.test(json['secret']) &&
    isString(json['uri']) &&
    /^otpauth:\/\/totp\//i.test(json['uri'])
  );
}

export function isAdminUser(value: unknown): value is AdminUser {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['email']) &&
    isStringOrNull(value['displayName']) &&
    isUserRole(value['role']) &&
    isBoolean(value['disabled']) &&
    isBoolean(value['totp']) &&
    isString(value['createdAt'])
  );
}

export function isAdminUsersResponse(json: unknown): json is AdminUsersResponse {
  return isListOf('users', isAdminUser)(json);
}

/** `{ id }`: the answer to creating a user or a share. */
export function isCreatedId(json: unknown): json is { id: number } {
  return isRecord(json) && isFiniteNumber(json['id']);
}

export function isDatasetShare(value: unknown): value is DatasetShare {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['org']) &&
    isString(value['orgName']) &&
    isString(value['validUntil'])
  );
}

export function isAdminDataset(value: unknown): value is AdminDataset {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['name']) &&
    isConfidentialityLevel(value['confidentiality']) &&
    isString(value['importedAt']) &&
    Array.isArray(value['shares']) &&
    value['shares'].every(isDatasetShare)
  );
}

export function isAdminDatasetsResponse(json: unknown): json is AdminDatasetsResponse {
  return isListOf('datasets', isAdminDataset)(json);
}

export function isAuditEntry(value: unknown): value is AuditEntry {
  return (
    isRecord(value) &&
    (isFiniteNumber(value['id']) || isString(value['id'])) &&
    isString(value['at']) &&
    isStringOrNull(value['email']) &&
    isString(value['action']) &&
    isStringOrNull(value['objectType']) &&
    (isStringOrNull(value['objectId']) || isFiniteNumber(value['objectId'])) &&
    isAuditResult(value['result']) &&
    isStringOrNull(value['ip'])
  );
}

export function isAuditResponse(json: unknown): json is AuditResponse {
  return isListOf('entries', isAuditEntry)(json);
}
