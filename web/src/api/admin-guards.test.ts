import { describe, expect, it } from 'vitest';
import {
  isAdminDatasetsResponse,
  isAdminUsersResponse,
  isAuditResponse,
  isCreatedId,
  isCreatedToken,
  isTokensResponse,
  isTotpSetup,
} from './admin-guards.ts';
import { isOrganisationsResponse } from './import-guards.ts';

const TOKEN = { id: 3, name: 'QGIS', prefix: 'smh_ab12', scope: 'read', createdAt: '2026-03-01T10:00:00.000Z', lastUsedAt: null, revokedAt: null };
const USER = { id: 5, email: 'analist@maasgouw.demo', displayName: null, role: 'analyst', disabled: false, totp: false, createdAt: '2026-03-01T10:00:00Z' };
const SHARE = { id: 9, org: 'wml', orgName: 'WML N.V.', validUntil: '2026-12-31' };
const DATASET = { id: 12, name: 'Riolering 2026', confidentiality: 'C2', importedAt: '2026-02-01T09:00:00Z', shares: [SHARE] };
const ENTRY = {
  id: 100,
  at: '2026-03-01T10:00:00Z',
  email: 'beheerder@maasgouw.demo',
  action: 'classified',
  objectType: 'dataset',
  objectId: '12',
  result: 'ok',
  ip: '127.0.0.1',
  detail: { confidentiality: 'C2' },
};

describe('isTokensResponse', () => {
  it('accepts tokens, used and revoked ones too', () => {
    expect(isTokensResponse({ tokens: [] })).toBe(true);
    expect(isTokensResponse({ tokens: [TOKEN, { ...TOKEN, id: 4, scope: 'write', lastUsedAt: '2026-03-02T08:00:00Z', revokedAt: '2026-03-03T08:00:00Z' }] })).toBe(true);
  });

  it('rejects an unknown scope, a missing date or a list that is not one', () => {
    expect(isTokensResponse({ tokens: [{ ...TOKEN, scope: 'admin' }] })).toBe(false);
    expect(isTokensResponse({ tokens: [{ ...TOKEN, lastUsedAt: undefined }] })).toBe(false);
    expect(isTokensResponse({ tokens: [{ ...TOKEN, id: '3' }] })).toBe(false);
    expect(isTokensResponse({ tokens: TOKEN })).toBe(false);
    expect(isTokensResponse(null)).toBe(false);
  });
});

describe('isCreatedToken', () => {
  it('needs the id and a non-empty secret', () => {
    expect(isCreatedToken({ id: 3, token: 'smh_ab12secret' })).toBe(true);
    expect(isCreatedToken({ id: 3, token: '' })).toBe(false);
    expect(isCreatedToken({ id: 3 })).toBe(false);
  });
});

describe('isTotpSetup', () => {
  const SETUP = { secret: 'JBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Samenhang:a%40b.nl?secret=JBSWY3DPEHPK3PXP&issuer=Samenhang' };

  it('accepts a base32 secret with its otpauth link', () => {
    expect(isTotpSetup(SETUP)).toBe(true);
    expect(isTotpSetup({ ...SETUP, secret: 'JBSWY3DPEE======' })).toBe(true);
  });

  it('rejects an empty or non-base32 secret and any other kind of link', () => {
    expect(isTotpSetup({ ...SETUP, secret: '' })).toBe(false);
    expect(isTotpSetup({ ...SETUP, secret: 'JBSW Y3DP' })).toBe(false);
    expect(isTotpSetup({ ...SETUP, secret: 'JBSWY3DP0189' })).toBe(false);
    expect(isTotpSetup({ ...SETUP, uri: 'javascript:alert(1)//otpauth://totp/' })).toBe(false);
    expect(isTotpSetup({ ...SETUP, uri: 'https://example.org' })).toBe(false);
    expect(isTotpSetup({ secret: SETUP.secret })).toBe(false);
    expect(isTotpSetup(null)).toBe(false);
  });
});

describe('isAdminUsersResponse', () => {
  it('accepts users with a role, the disabled flag and whether TOTP is on', () => {
    expect(isAdminUsersResponse({ users: [USER, { ...USER, id: 6, displayName: 'Bea', role: 'participant', disabled: true, totp: true }] })).toBe(true);
  });

  it('rejects unknown roles and flags that are not booleans', () => {
    expect(isAdminUsersResponse({ users: [{ ...USER, role: 'root' }] })).toBe(false);
    expect(isAdminUsersResponse({ users: [{ ...USER, disabled: 'no' }] })).toBe(false);
    expect(isAdminUsersResponse({ users: [{ ...USER, totp: null }] })).toBe(false);
    expect(isAdminUsersResponse({})).toBe(false);
  });
});

describe('isCreatedId', () => {
  it('needs a numeric id', () => {
    expect(isCreatedId({ id: 8 })).toBe(true);
    expect(isCreatedId({ id: '8' })).toBe(false);
  });
});

describe('isAdminDatasetsResponse', () => {
  it('accepts layers with their classification and shares', () => {
    expect(isAdminDatasetsResponse({ datasets: [DATASET, { ...DATASET, id: 13, confidentiality: 'C0', shares: [] }] })).toBe(true);
  });

  it('rejects an unknown classification and malformed shares', () => {
    expect(isAdminDatasetsResponse({ datasets: [{ ...DATASET, confidentiality: 'C4' }] })).toBe(false);
    expect(isAdminDatasetsResponse({ datasets: [{ ...DATASET, shares: [{ ...SHARE, org: null }] }] })).toBe(false);
    expect(isAdminDatasetsResponse({ datasets: [{ ...DATASET, shares: null }] })).toBe(false);
  });
});

describe('isAuditResponse', () => {
  it('accepts entries with or without a user, object and address', () => {
    const anonymous = { ...ENTRY, id: '101', email: null, objectType: null, objectId: null, ip: null, result: 'denied', detail: {} };
    expect(isAuditResponse({ entries: [ENTRY, anonymous, { ...ENTRY, objectId: 12, result: 'failed' }] })).toBe(true);
  });

  it('rejects an unknown result and a missing action', () => {
    expect(isAuditResponse({ entries: [{ ...ENTRY, result: 'maybe' }] })).toBe(false);
    expect(isAuditResponse({ entries: [{ ...ENTRY, action: undefined }] })).toBe(false);
    expect(isAuditResponse({ entries: [{ ...ENTRY, at: null }] })).toBe(false);
  });
});

describe('isOrganisationsResponse with slugs', () => {
  it('accepts a slug, a null slug and none at all (older servers)', () => {
    const org = { id: 1, name: 'WML N.V.', kind: 'drinkwaterbedrijf', klicCode: 'WML' };
    expect(isOrganisationsResponse({ organisations: [{ ...org, slug: 'wml' }, { ...org, id: 2, slug: null }, { ...org, id: 3 }] })).toBe(true);
    expect(isOrganisationsResponse({ organisations: [{ ...org, slug: 4 }] })).toBe(false);
  });
});
