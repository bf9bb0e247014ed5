/**
 * Type guards for the sign-in responses (GET /api/auth/me, POST /api/auth/login) and the
 * Retry-After header of a refused sign-in.
 */
import { isRecord } from './guards.ts';
import { USER_ROLES, type CurrentUser, type DemoAccount, type MeResponse, type UserOrganisation, type UserRole } from './types.ts';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isOptionalBoolean = (v: unknown): v is boolean | undefined => v === undefined || typeof v === 'boolean';

export function isUserRole(value: unknown): value is UserRole {
  return USER_ROLES.some((role) => role === value);
}

export function isUserOrganisation(value: unknown): value is UserOrganisation {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['name']) &&
    isStringOrNull(value['slug']) &&
    isString(value['kind'])
  );
}

export function isCurrentUser(value: unknown): value is CurrentUser {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['email']) &&
    isStringOrNull(value['displayName']) &&
    isUserRole(value['role']) &&
    isUserOrganisation(value['organisation']) &&
    isOptionalBoolean(value['totp'])
  );
}

export function isDemoAccount(value: unknown): value is DemoAccount {
  return (
    isRecord(value) &&
    isString(value['email']) &&
    isString(value['password']) &&
    isString(value['role']) &&
    isString(value['organisation'])
  );
}

function isDemo(value: unknown): value is MeResponse['demo'] {
  if (value === null) return true;
  return isRecord(value) && Array.isArray(value['accounts']) && value['accounts'].every(isDemoAccount);
}

export function isMeResponse(json: unknown): json is MeResponse {
  return (
    isRecord(json) &&
    (json['user'] === null || isCurrentUser(json['user'])) &&
    isStringOrNull(json['csrfToken']) &&
    isDemo(json['demo'])
  );
}

/**
 * Seconds to wait from a Retry-After header: delta-seconds ("120") or an HTTP date, counted
 * from `now` (ms) and rounded up. Null when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names its day and month ("Sun, 01 Mar 2026 10:00:30 GMT"); Date.parse alone would take "-5" as a year.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
