import { describe, expect, it } from 'vitest';
import { isCurrentUser, isMeResponse, isUserRole, parseRetryAfter } from './auth-guards.ts';

const ANALYST = {
  id: 7,
  email: 'analist@wml.demo',
  displayName: null,
  role: 'analyst',
  organisation: { id: 2, name: 'WML N.V.', slug: 'wml', kind: 'drinkwaterbedrijf' },
};

const demo = { accounts: [{ email: 'beheerder@maasgouw.demo', password: 'samenhang-demo-2026', role: 'admin', organisation: 'Gemeente Maasgouw' }] };

describe('isMeResponse', () => {
  it('accepts an anonymous visitor, with and without demo accounts', () => {
    expect(isMeResponse({ user: null, csrfToken: null, demo: null })).toBe(true);
    expect(isMeResponse({ user: null, csrfToken: null, demo })).toBe(true);
  });

  it('accepts a signed-in user with a token, and extra fields the API may add', () => {
    expect(isMeResponse({ user: { ...ANALYST, totp: false }, csrfToken: 'abc', demo: null })).toBe(true);
    expect(isMeResponse({ user: { ...ANALYST, displayName: 'An Alist' }, csrfToken: 'abc', demo })).toBe(true);
  });

  it('rejects missing fields, unknown roles and malformed demo lists', () => {
    expect(isMeResponse({ user: null, demo: null })).toBe(false);
    expect(isMeResponse({ user: null, csrfToken: 5, demo: null })).toBe(false);
    expect(isMeResponse({ user: { ...ANALYST, role: 'superuser' }, csrfToken: 'a', demo: null })).toBe(false);
    expect(isMeResponse({ user: null, csrfToken: null, demo: { accounts: [{ email: 'x' }] } })).toBe(false);
    expect(isMeResponse({ user: null, csrfToken: null, demo: [] })).toBe(false);
    expect(isMeResponse(null)).toBe(false);
  });
});

describe('isCurrentUser', () => {
  it('needs the organisation with its id, name, slug (or null) and kind', () => {
    expect(isCurrentUser(ANALYST)).toBe(true);
    expect(isCurrentUser({ ...ANALYST, organisation: { ...ANALYST.organisation, slug: null } })).toBe(true);
    expect(isCurrentUser({ ...ANALYST, organisation: { id: 2, name: 'WML' } })).toBe(false);
    expect(isCurrentUser({ ...ANALYST, id: '7' })).toBe(false);
  });

  it('reads whether the second factor is on, and accepts answers that do not say', () => {
    expect(isCurrentUser({ ...ANALYST, totp: true })).toBe(true);
    expect(isCurrentUser({ ...ANALYST, totp: false })).toBe(true);
    expect(isCurrentUser(ANALYST)).toBe(true);
    expect(isCurrentUser({ ...ANALYST, totp: 'yes' })).toBe(false);
    expect(isCurrentUser({ ...ANALYST, totp: null })).toBe(false);
  });

  it('knows the four roles', () => {
    expect(['admin', 'analyst', 'area_manager', 'participant'].every(isUserRole)).toBe(true);
    expect(isUserRole('owner')).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 7 ', now)).toBe(7);
  });

  it('reads an HTTP date, rounded up and never negative', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now + 500)).toBe(30);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('answers null for an absent or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});
