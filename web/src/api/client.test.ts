import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type FetchLike } from './client.ts';

function fakeFetch(status: number, body: unknown, seen: string[] = []): FetchLike {
  return (input) => {
    seen.push(input);
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  };
}

describe('createApiClient', () => {
  it('returns guarded data and encodes the query', async () => {
    const seen: string[] = [];
    const client = createApiClient(fakeFetch(200, { results: [] }, seen));
    await expect(client.search('Markt 1&2')).resolves.toEqual({ results: [] });
    expect(seen).toEqual(['/api/search?q=Markt%201%262']);
  });

  it('turns the API error envelope into an ApiError with its message', async () => {
    const client = createApiClient(fakeFetch(404, { error: { status: 404, code: 'asset_not_found', message: 'Object 9 bestaat niet', id: 'ERR-9' } }));
    const err: unknown = await client.getAsset(9).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ message: 'Object 9 bestaat niet', status: 404, code: 'asset_not_found', errorId: 'ERR-9' });
  });

  it('rejects a response that does not pass the guard', async () => {
    const client = createApiClient(fakeFetch(200, { layers: 'nope' }));
    await expect(client.getLayers()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('fetches the moratoria and reports a missing endpoint as an ApiError', async () => {
    const seen: string[] = [];
    const empty = { type: 'FeatureCollection', features: [] };
    await expect(createApiClient(fakeFetch(200, empty, seen)).getMoratoria()).resolves.toEqual(empty);
    expect(seen).toEqual(['/api/moratoria']);
    await expect(createApiClient(fakeFetch(404, undefined)).getMoratoria()).rejects.toMatchObject({ status: 404, code: 'http_error' });
  });

  it('reports network failures', async () => {
    const client = createApiClient(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(client.getConfig()).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });
});
