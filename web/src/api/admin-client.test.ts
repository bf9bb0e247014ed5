import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type FetchLike } from './client.ts';

interface Seen {
  method: string;
  url: string;
  csrf: string | undefined;
  body: unknown;
}

interface Reply {
  status: number;
  body?: unknown;
}

const signedIn = { status: 200, body: { user: null, csrfToken: 'csrf-1', demo: null } };

/** Answers the replies in turn (the last one again when they run out) and records each request. */
function scriptedFetch(replies: Reply[], seen: Seen[]): FetchLike {
  let i = 0;
  return (url, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    seen.push({ method: init?.method ?? 'GET', url, csrf: headers['X-CSRF-Token'], body });
    const reply = replies[Math.min(i++, replies.length - 1)] ?? { status: 500 };
    return Promise.resolve(new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status }));
  };
}

/** A client that has seen its CSRF token, and the requests after that. */
async function clientWith(replies: Reply[]) {
  const seen: Seen[] = [];
  const client = createApiClient(scriptedFetch([signedIn, ...replies], seen), '/base');
  await client.getMe();
  seen.length = 0;
  return { client, seen };
}

const line = (s: Seen): string => `${s.method} ${s.url} ${s.csrf ?? '-'}`;

describe('API tokens', () => {
  it('lists, creates and revokes, with the CSRF token on the changes only', async () => {
    const token = { id: 3, name: 'QGIS', prefix: 'smh_ab', scope: 'read', createdAt: '2026-03-01T10:00:00Z', lastUsedAt: null, revokedAt: null };
    const { client, seen } = await clientWith([{ status: 200, body: { tokens: [token] } }, { status: 201, body: { id: 4, token: 'smh_secret' } }, { status: 204 }]);
    expect(await client.getTokens()).toEqual([token]);
    expect(await client.createToken({ name: 'QGIS thuis', scope: 'write' })).toEqual({ id: 4, token: 'smh_secret' });
    await client.revokeToken(4);
    expect(seen.map(line)).toEqual(['GET /base/api/tokens -', 'POST /base/api/tokens csrf-1', 'DELETE /base/api/tokens/4 csrf-1']);
    expect(seen[1]?.body).toEqual({ name: 'QGIS thuis', scope: 'write' });
  });

  it('passes a refusal on as an ApiError with its code', async () => {
    const { client } = await clientWith([{ status: 403, body: { error: { status: 403, code: 'forbidden', message: 'participants get read tokens only', id: 'E9' } } }]);
    const err: unknown = await client.createToken({ name: 'x', scope: 'write' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, code: 'forbidden', errorId: 'E9' });
  });

  it('refuses a created token without its secret', async () => {
    const { client } = await clientWith([{ status: 201, body: { id: 4 } }]);
    await expect(client.createToken({ name: 'x', scope: 'read' })).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('second factor', () => {
  const SETUP = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Samenhang:beheer%40maasgouw.demo?issuer=Samenhang&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };

  it('starts with an empty POST and confirms with the code, both with the CSRF token', async () => {
    const { client, seen } = await clientWith([{ status: 200, body: SETUP }, { status: 204 }]);
    expect(await client.setupTotp()).toEqual(SETUP);
    await expect(client.confirmTotp('123456')).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual(['POST /base/api/auth/totp/setup csrf-1', 'POST /base/api/auth/totp/confirm csrf-1']);
    expect(seen.map((s) => s.body)).toEqual([undefined, { code: '123456' }]);
  });

  it('passes invalid_code and forbidden on by their codes', async () => {
    const refusal = (status: number, code: string): Reply => ({ status, body: { error: { status, code, message: code, id: 'E3' } } });
    const { client } = await clientWith([refusal(403, 'forbidden'), refusal(400, 'invalid_code')]);
    await expect(client.setupTotp()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(client.confirmTotp('000000')).rejects.toMatchObject({ status: 400, code: 'invalid_code' });
  });

  it('refuses a setup answer whose link is not an otpauth one', async () => {
    const { client } = await clientWith([{ status: 200, body: { ...SETUP, uri: 'javascript:alert(1)' } }]);
    await expect(client.setupTotp()).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('users', () => {
  it('lists, adds and changes users', async () => {
    const user = { id: 5, email: 'a@b.nl', displayName: null, role: 'analyst', disabled: false, totp: false, createdAt: '2026-03-01T10:00:00Z' };
    const { client, seen } = await clientWith([{ status: 200, body: { users: [user] } }, { status: 201, body: { id: 6 } }, { status: 204 }]);
    expect(await client.getAdminUsers()).toEqual([user]);
    expect(await client.createUser({ email: 'c@d.nl', role: 'participant', password: 'lang-genoeg-1' })).toEqual({ id: 6 });
    await client.updateUser(5, { disabled: true });
    expect(seen.map(line)).toEqual(['GET /base/api/admin/users -', 'POST /base/api/admin/users csrf-1', 'PATCH /base/api/admin/users/5 csrf-1']);
    expect(seen[1]?.body).toEqual({ email: 'c@d.nl', role: 'participant', password: 'lang-genoeg-1' });
    expect(seen[2]?.body).toEqual({ disabled: true });
  });

  it('reports email_taken and own_account by their codes', async () => {
    const refusal = (status: number, code: string): Reply => ({ status, body: { error: { status, code, message: code, id: 'E1' } } });
    const { client } = await clientWith([refusal(409, 'email_taken'), refusal(400, 'own_account')]);
    await expect(client.createUser({ email: 'a@b.nl', role: 'admin', password: '0123456789' })).rejects.toMatchObject({ status: 409, code: 'email_taken' });
    await expect(client.updateUser(1, { role: 'analyst' })).rejects.toMatchObject({ status: 400, code: 'own_account' });
  });
});

describe('layers', () => {
  it('lists, classifies, shares and unshares', async () => {
    const dataset = { id: 12, name: 'Riool', confidentiality: 'C1', importedAt: '2026-02-01T09:00:00Z', shares: [] };
    const { client, seen } = await clientWith([{ status: 200, body: { datasets: [dataset] } }, { status: 204 }, { status: 201, body: { id: 9 } }, { status: 204 }]);
    expect(await client.getAdminDatasets()).toEqual([dataset]);
    await client.classifyDataset(12, 'C3');
    await client.addShare(12, { org: 'wml', validUntil: '2026-12-31' });
    await client.removeShare(9);
    expect(seen.map(line)).toEqual([
      'GET /base/api/admin/datasets -',
      'PATCH /base/api/admin/datasets/12 csrf-1',
      'POST /base/api/admin/datasets/12/shares csrf-1',
      'DELETE /base/api/admin/shares/9 csrf-1',
    ]);
    expect(seen.map((s) => s.body)).toEqual([undefined, { confidentiality: 'C3' }, { org: 'wml', validUntil: '2026-12-31' }, undefined]);
  });

  it('accepts a share answer without a body', async () => {
    const { client } = await clientWith([{ status: 201 }]);
    await expect(client.addShare(1, { org: 'wml', validUntil: '2026-12-31' })).resolves.toBeUndefined();
  });
});

describe('audit log', () => {
  it('asks for the latest entries and links the CSV download', async () => {
    const entry = { id: 1, at: '2026-03-01T10:00:00Z', email: null, action: 'login', objectType: null, objectId: null, result: 'denied', ip: '10.0.0.1', detail: {} };
    const { client, seen } = await clientWith([{ status: 200, body: { entries: [entry] } }]);
    expect(await client.getAuditLog(200)).toEqual([entry]);
    expect(seen.map(line)).toEqual(['GET /base/api/admin/audit?limit=200 -']);
    expect(client.auditCsvUrl()).toBe('/base/api/admin/audit?format=csv');
  });

  it('turns 403 for a non-administrator into an ApiError', async () => {
    const { client } = await clientWith([{ status: 403, body: { error: { status: 403, code: 'forbidden', message: 'this is for the administrators', id: 'E2' } } }]);
    await expect(client.getAuditLog(200)).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });
});
