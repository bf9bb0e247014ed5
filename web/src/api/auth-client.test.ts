import { EMPTY_MAPPING } from '@model/asset-mapping.ts';
import { describe, expect, it } from 'vitest';
import { makeJob } from '../features/import/job-fixture.ts';
import { ApiError, createApiClient, type FetchLike, type Uploader } from './client.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const USER = {
  id: 1,
  email: 'analist@maasgouw.demo',
  displayName: 'Ana List',
  role: 'analyst',
  organisation: { id: 1, name: 'Gemeente Maasgouw', slug: 'maasgouw', kind: 'gemeente' },
};
const signedIn = (csrfToken: string) => ({ status: 200, body: { user: USER, csrfToken, demo: null } });
const anonymous = { status: 200, body: { user: null, csrfToken: null, demo: null } };
const job = { status: 200, body: { job: makeJob({ state: 'loading' }) } };

/** Answers the replies in turn (the last one again when they run out) and records each request. */
function scriptedFetch(replies: Reply[], seen: Seen[]): FetchLike {
  let i = 0;
  return (url, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ method: init?.method ?? 'GET', url, headers, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const reply = replies[Math.min(i++, replies.length - 1)] ?? { status: 500 };
    const body = reply.body === undefined ? null : JSON.stringify(reply.body);
    return Promise.resolve(new Response(body, { status: reply.status, headers: reply.headers ?? {} }));
  };
}

const csrfOf = (s: Seen | undefined): string | undefined => s?.headers['X-CSRF-Token'];

describe('sign-in endpoints', () => {
  it('getMe reads /api/auth/me', async () => {
    const seen: Seen[] = [];
    const me = await createApiClient(scriptedFetch([signedIn('t1')], seen)).getMe();
    expect(me.user?.email).toBe('analist@maasgouw.demo');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/auth/me']);
  });

  it('login posts JSON credentials without a token, and leaves totp out when not given', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(scriptedFetch([signedIn('t1')], seen));
    await client.login('analist@maasgouw.demo', 'geheim');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/auth/login', body: { email: 'analist@maasgouw.demo', password: 'geheim' } });
    expect(seen[0]?.headers['Content-Type']).toBe('application/json');
    expect(csrfOf(seen[0])).toBeUndefined();
  });

  it('login sends the TOTP code when given', async () => {
    const seen: Seen[] = [];
    await createApiClient(scriptedFetch([signedIn('t1')], seen)).login('a@b.nl', 'pw', '123456');
    expect(seen[0]?.body).toEqual({ email: 'a@b.nl', password: 'pw', totp: '123456' });
  });

  it('turns refusals into ApiErrors with their code, and a 429 with its Retry-After', async () => {
    const refuse = (code: string, status: number, headers: Record<string, string> = {}) =>
      createApiClient(scriptedFetch([{ status, body: { error: { status, code, message: code, id: 'E1' } }, headers }], []));
    await expect(refuse('invalid_credentials', 401).login('a', 'b')).rejects.toMatchObject({ status: 401, code: 'invalid_credentials', retryAfter: null });
    await expect(refuse('totp_required', 401).login('a', 'b')).rejects.toMatchObject({ code: 'totp_required' });
    const err: unknown = await refuse('too_many_attempts', 429, { 'Retry-After': '42' }).login('a', 'b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: 42 });
  });

  it('logout posts with the token and then forgets it', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(scriptedFetch([signedIn('t1'), { status: 204 }, job], seen));
    await client.getMe();
    await client.logout();
    await client.cancelImport('j');
    expect(seen.map((s) => `${s.method} ${s.url} ${csrfOf(s) ?? '-'}`)).toEqual(['GET /api/auth/me -', 'POST /api/auth/logout t1', 'DELETE /api/imports/j -']);
  });

  it('learns the token of a session it did not know of and signs in again once', async () => {
    const seen: Seen[] = [];
    const csrfFailed = { status: 403, body: { error: { status: 403, code: 'csrf_failed', message: 'missing token' } } };
    const client = createApiClient(scriptedFetch([csrfFailed, signedIn('other-tab'), signedIn('t2')], seen));
    const me = await client.login('a@b.nl', 'pw');
    expect(me.csrfToken).toBe('t2');
    expect(seen.map((s) => `${s.method} ${s.url} ${csrfOf(s) ?? '-'}`)).toEqual(['POST /api/auth/login -', 'GET /api/auth/me -', 'POST /api/auth/login other-tab']);
  });
});

describe('CSRF token on unsafe requests', () => {
  it('sends nothing before a token is known', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(scriptedFetch([job], seen));
    await client.cancelImport('j');
    expect(csrfOf(seen[0])).toBeUndefined();
  });

  it('sends the token from /me on POST and DELETE, not on GET', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(scriptedFetch([signedIn('t1'), job], seen));
    await client.getMe();
    await client.loadImport('j', { mapping: EMPTY_MAPPING, layerName: 'x', invalid: 'skip' });
    await client.cancelImport('j');
    await client.getImport('j');
    expect(seen.map((s) => `${s.method} ${csrfOf(s) ?? '-'}`)).toEqual(['GET -', 'POST t1', 'DELETE t1', 'GET -']);
  });

  it('uses the token of the latest sign-in, and none after /me says anonymous', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(scriptedFetch([signedIn('old'), signedIn('new'), job, anonymous, job], seen));
    await client.getMe();
    await client.login('a', 'b');
    await client.cancelImport('j');
    await client.getMe();
    await client.cancelImport('j');
    expect(seen.map((s) => `${s.method} ${csrfOf(s) ?? '-'}`)).toEqual(['GET -', 'POST old', 'DELETE new', 'GET -', 'DELETE -']);
  });

  it('hands the token to the uploader', async () => {
    const headers: Readonly<Record<string, string>>[] = [];
    const uploader: Uploader = (_url, _body, _progress, _signal, h = {}) => {
      headers.push(h);
      return Promise.resolve({ status: 202, text: JSON.stringify({ job: makeJob({ state: 'analysing' }) }) });
    };
    const client = createApiClient(scriptedFetch([signedIn('t9')], []), '', uploader);
    await client.uploadImport(new Blob(['x']), 'a.geojson');
    await client.getMe();
    await client.uploadImport(new Blob(['x']), 'a.geojson');
    expect(headers).toEqual([{}, { 'X-CSRF-Token': 't9' }]);
  });

  it('puts the token on the default fetch upload too', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(scriptedFetch([signedIn('t3'), { status: 202, body: { job: makeJob({ state: 'analysing' }) } }], seen));
    await client.getMe();
    await client.uploadImport(new Blob(['x']), 'a.geojson');
    expect(seen[1]?.headers).toMatchObject({ 'X-CSRF-Token': 't3', 'Content-Type': 'application/octet-stream' });
  });
});
