import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type FetchLike } from './client.ts';
import { StaleMoratoriumError, StaleWorkError, etagOf, versionOfEtag, workEndpoints } from './work-endpoints.ts';

interface Seen {
  method: string;
  url: string;
  csrf: string | undefined;
  ifMatch: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const signedIn = { status: 200, body: { user: null, csrfToken: 'csrf-1', demo: null } };

function scriptedFetch(replies: Reply[], seen: Seen[]): FetchLike {
  let i = 0;
  return (url, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    seen.push({ method: init?.method ?? 'GET', url, csrf: headers['X-CSRF-Token'], ifMatch: headers['If-Match'], contentType: headers['Content-Type'], body });
    const reply = replies[Math.min(i++, replies.length - 1)] ?? { status: 500 };
    const text = reply.body === undefined ? null : JSON.stringify(reply.body);
    return Promise.resolve(new Response(text, { status: reply.status, headers: reply.headers ?? {} }));
  };
}

async function apiWith(replies: Reply[]) {
  const seen: Seen[] = [];
  const client = createApiClient(scriptedFetch([signedIn, ...replies], seen), '/base');
  await client.getMe();
  seen.length = 0;
  return { api: workEndpoints(client), seen };
}

const work = (version: number, extra: Record<string, unknown> = {}) => ({
  id: 7,
  title: 'Riool Dorpsstraat',
  kind: 'vervanging riool',
  owner: 'gemeente-x',
  version,
  preferredStart: '2026-05-01',
  preferredEnd: '2026-06-01',
  geometry: { type: 'LineString', coordinates: [[5.1, 52.1], [5.2, 52.1]] },
  ...extra,
});

const moratorium = (version: number) => ({ id: 3, from: '2026-01-01', until: '2030-12-31', reason: 'Nieuwe bestrating', exceptions: ['spoed'], version });

describe('work endpoints', () => {
  it('creates a work with the CSRF token and answers it with its ETag', async () => {
    const { api, seen } = await apiWith([{ status: 201, body: work(1), headers: { ETag: '"work-7-v1"' } }]);
    const saved = await api.createWork({ title: 'Riool Dorpsstraat' });
    expect(saved.etag).toBe('"work-7-v1"');
    expect(saved.work.id).toBe(7);
    expect(saved.moratoriumCreated).toBeNull();
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/base/api/works', csrf: 'csrf-1', contentType: 'application/json', body: { title: 'Riool Dorpsstraat' } });
  });

  it('reads a work with its ETag', async () => {
    const { api, seen } = await apiWith([{ status: 200, body: work(4), headers: { ETag: '"work-7-v4"' } }]);
    const { work: w, etag } = await api.getWorkWithEtag(7);
    expect([w.version, etag]).toEqual([4, '"work-7-v4"']);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/base/api/works/7', csrf: undefined });
  });

  it('falls back to an ETag made from the version when the header is missing', async () => {
    const { api } = await apiWith([{ status: 200, body: work(5) }]);
    expect((await api.getWorkWithEtag(7)).etag).toBe('"work-7-v5"');
  });

  it('updates with If-Match and tells of a generated moratorium', async () => {
    const { api, seen } = await apiWith([{ status: 200, body: work(3, { status: 'gereed' }), headers: { ETag: '"work-7-v3"', 'X-Moratorium-Created': '12' } }]);
    const saved = await api.updateWork(7, { status: 'gereed' }, '"work-7-v2"');
    expect(saved).toMatchObject({ etag: '"work-7-v3"', moratoriumCreated: 12 });
    expect(seen[0]).toMatchObject({ method: 'PATCH', url: '/base/api/works/7', ifMatch: '"work-7-v2"', csrf: 'csrf-1', body: { status: 'gereed' } });
  });

  it('throws a StaleWorkError with the current state on 412', async () => {
    const body = { error: { status: 412, code: 'stale', message: 'work 7 changed since you read it (now version 5)' }, current: work(5, { title: 'Anders' }) };
    const { api } = await apiWith([{ status: 412, body, headers: { ETag: '"work-7-v5"' } }]);
    const err: unknown = await api.updateWork(7, { title: 'Mijn titel' }, '"work-7-v4"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleWorkError);
    expect(err).toBeInstanceOf(ApiError);
    const stale = err as StaleWorkError;
    expect([stale.status, stale.code, stale.etag, stale.current.title]).toEqual([412, 'stale', '"work-7-v5"', 'Anders']);
    expect(stale.message).toContain('now version 5');
  });

  it('passes a validation error on with the field in its message', async () => {
    const { api } = await apiWith([{ status: 400, body: { error: { status: 400, code: 'invalid_body', message: 'preferredEnd: use YYYY-MM-DD' } } }]);
    await expect(api.createWork({})).rejects.toMatchObject({ status: 400, code: 'invalid_body', message: 'preferredEnd: use YYYY-MM-DD' });
  });

  it('deletes with If-Match, and a stale delete is a StaleWorkError', async () => {
    const stale = { error: { status: 412, code: 'stale', message: 'changed' }, current: work(9) };
    const { api, seen } = await apiWith([{ status: 204 }, { status: 412, body: stale, headers: { ETag: '"work-7-v9"' } }]);
    await api.deleteWork(7, '"work-7-v8"');
    const err: unknown = await api.deleteWork(7, '"work-7-v8"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleWorkError);
    expect(seen.map((s) => `${s.method} ${s.url} ${s.ifMatch ?? '-'} ${s.csrf ?? '-'}`)).toEqual([
      'DELETE /base/api/works/7 "work-7-v8" csrf-1',
      'DELETE /base/api/works/7 "work-7-v8" csrf-1',
    ]);
  });

  it('restores a deleted work (undo) and answers its new ETag', async () => {
    const { api, seen } = await apiWith([{ status: 201, body: work(10), headers: { ETag: '"work-7-v10"' } }]);
    expect((await api.restoreWork(7)).etag).toBe('"work-7-v10"');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/base/api/works/7/restore', csrf: 'csrf-1' });
  });

  it('a 404 without a known body is a plain ApiError', async () => {
    const { api } = await apiWith([{ status: 404 }]);
    const err: unknown = await api.deleteWork(7, '"work-7-v1"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).not.toBeInstanceOf(StaleWorkError);
    expect(err).toMatchObject({ status: 404 });
  });

  it('refuses an answer that is not a work', async () => {
    const { api } = await apiWith([{ status: 200, body: { nope: true } }]);
    await expect(api.getWorkWithEtag(7)).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('moratorium endpoints', () => {
  it('creates, updates, deletes and restores with the moratorium ETags', async () => {
    const { api, seen } = await apiWith([
      { status: 201, body: moratorium(1), headers: { ETag: '"moratorium-3-v1"' } },
      { status: 200, body: moratorium(2), headers: { ETag: '"moratorium-3-v2"' } },
      { status: 204 },
      { status: 201, body: moratorium(3), headers: { ETag: '"moratorium-3-v3"' } },
    ]);
    expect((await api.createMoratorium({ reason: 'x' })).etag).toBe('"moratorium-3-v1"');
    expect((await api.updateMoratorium(3, { until: '2031-01-01' }, '"moratorium-3-v1"')).etag).toBe('"moratorium-3-v2"');
    await api.deleteMoratorium(3, '"moratorium-3-v2"');
    expect((await api.restoreMoratorium(3)).moratorium.version).toBe(3);
    expect(seen.map((s) => `${s.method} ${s.url} ${s.ifMatch ?? '-'}`)).toEqual([
      'POST /base/api/moratoria -',
      'PATCH /base/api/moratoria/3 "moratorium-3-v1"',
      'DELETE /base/api/moratoria/3 "moratorium-3-v2"',
      'POST /base/api/moratoria/3/restore -',
    ]);
  });

  it('throws a StaleMoratoriumError with the current state on 412', async () => {
    const body = { error: { status: 412, code: 'stale', message: 'moratorium 3 changed' }, current: moratorium(4) };
    const { api } = await apiWith([{ status: 412, body, headers: { ETag: '"moratorium-3-v4"' } }]);
    const err: unknown = await api.updateMoratorium(3, { reason: 'Nieuw asfalt' }, '"moratorium-3-v2"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleMoratoriumError);
    expect((err as StaleMoratoriumError).current.version).toBe(4);
    expect((err as StaleMoratoriumError).etag).toBe('"moratorium-3-v4"');
  });
});

describe('ETags', () => {
  it('are made and read back', () => {
    expect(etagOf('work', 7, 3)).toBe('"work-7-v3"');
    expect(versionOfEtag('"work-7-v3"')).toBe(3);
    expect(versionOfEtag('W/"moratorium-2-v11"')).toBe(11);
    expect(versionOfEtag('"other"')).toBeNull();
    expect(versionOfEtag(null)).toBeNull();
  });
});
