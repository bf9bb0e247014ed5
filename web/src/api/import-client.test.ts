import { EMPTY_MAPPING } from '@model/asset-mapping.ts';
import { describe, expect, it } from 'vitest';
import { makeJob } from '../features/import/job-fixture.ts';
import { ApiError, createApiClient, type FetchLike, type Uploader } from './client.ts';

interface Seen {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(status: number, body: unknown, seen: Seen[] = []): FetchLike {
  return (url, init) => {
    seen.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  };
}

describe('import endpoints', () => {
  it('uploads the raw file with its name in the query and reports progress', async () => {
    const calls: { url: string; size: number }[] = [];
    const progress: number[] = [];
    const uploader: Uploader = (url, body, onProgress) => {
      calls.push({ url, size: body.size });
      onProgress(body.size / 2, body.size);
      return Promise.resolve({ status: 202, text: JSON.stringify({ job: makeJob({ state: 'analysing' }) }) });
    };
    const client = createApiClient(fakeFetch(500, {}), '', uploader);
    const job = await client.uploadImport(new Blob(['abcd']), 'Riool & kolken.gpkg', (sent) => progress.push(sent));
    expect(job.state).toBe('analysing');
    expect(calls).toEqual([{ url: '/api/imports?name=Riool%20%26%20kolken.gpkg', size: 4 }]);
    expect(progress).toEqual([2]);
  });

  it('turns a refused upload into an ApiError carrying the API’s message', async () => {
    const uploader: Uploader = () =>
      Promise.resolve({ status: 415, text: JSON.stringify({ error: { status: 415, code: 'unsupported_format', message: 'kabels.dwg: DWG wordt niet ondersteund', id: 'E-1' } }) });
    const err: unknown = await createApiClient(fakeFetch(500, {}), '', uploader).uploadImport(new Blob(['x']), 'kabels.dwg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 415, code: 'unsupported_format', message: 'kabels.dwg: DWG wordt niet ondersteund' });
  });

  it('uploads through fetch with an octet-stream body by default', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(fakeFetch(202, { job: makeJob({ state: 'analysing' }) }, seen));
    await client.uploadImport(new Blob(['x']), 'a.geojson');
    expect(seen[0]?.init?.method).toBe('POST');
    expect(seen[0]?.init?.headers).toMatchObject({ 'Content-Type': 'application/octet-stream' });
  });

  it('posts the load request as JSON and deletes to cancel', async () => {
    const seen: Seen[] = [];
    const client = createApiClient(fakeFetch(202, { job: makeJob({ state: 'loading' }) }, seen));
    await client.loadImport('job 1', { mapping: EMPTY_MAPPING, layerName: 'x', invalid: 'skip' });
    await client.cancelImport('job 1');
    expect(seen.map((s) => `${s.init?.method ?? 'GET'} ${s.url}`)).toEqual(['POST /api/imports/job%201/load', 'DELETE /api/imports/job%201']);
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ mapping: EMPTY_MAPPING, layerName: 'x', invalid: 'skip' });
    expect(seen[0]?.init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });

  it('rejects a job that does not pass the guard', async () => {
    const client = createApiClient(fakeFetch(200, { job: { id: 'x', state: 'paused' } }));
    await expect(client.getImport('x')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('lists organisations and datasets and builds export and event URLs', async () => {
    const orgs = createApiClient(fakeFetch(200, { organisations: [{ id: 1, name: 'Enexis', kind: 'netbeheerder', klicCode: 'ENX' }] }));
    await expect(orgs.getOrganisations()).resolves.toHaveLength(1);
    const dataset = { id: 3, name: 'Bomen', sourceKind: 'csv', sourceRef: 'bomen.csv', owner: { id: 1, name: 'Gemeente' }, confidentiality: 'openbaar', importedAt: '2025-01-01T00:00:00Z', featureCount: 10, systems: ['groen'] };
    const datasets = createApiClient(fakeFetch(200, { datasets: [dataset] }), 'http://api');
    await expect(datasets.getDatasets()).resolves.toEqual([dataset]);
    expect(datasets.datasetExportUrl(3, 'gpkg')).toBe('http://api/api/datasets/3/export?format=gpkg');
    expect(datasets.importEventsUrl('a/b')).toBe('http://api/api/imports/a%2Fb/events');
  });
});
