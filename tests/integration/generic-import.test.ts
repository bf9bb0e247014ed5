/**
 * Generic import over HTTP with real files: upload → analyse (format, CRS, preview, proposed
 * mapping) → load with the mapping → report; SSE progress; re-import updates instead of
 * duplicating; bad uploads answer 4xx. The sewer export is the real Maasgouw sewer written as a
 * Shapefile by GDAL (tests/fixtures/mapping/README.md).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { areaWideAnalyst, fetchWithToken } from '../helpers/auth.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
let db: TestDatabase;
let server: TestServer;

interface Job {
  id: string;
  state: string;
  format: string | null;
  featureCount: number | null;
  crs: { epsg: number | null; guessed: boolean } | null;
  proposedMapping: { preset: string | null; mapping: unknown } | null;
  preview: { features: unknown[] } | null;
  report: Record<string, unknown> | null;
  error: { code: string; message: string; status: number } | null;
}

let token = '';
// an analyst with a write token: importing is for analysts and administrators
const fetch = fetchWithToken(() => token);

beforeAll(async () => {
  db = await createTestDatabase('it_import');
  server = await startTestServer(db.pool);
  token = await areaWideAnalyst(db.pool);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

async function upload(name: string, body: Uint8Array | Buffer): Promise<{ status: number; json: { job?: Job; error?: { code: string; message: string } } }> {
  const res = await fetch(`${server.baseUrl}/api/imports?name=${encodeURIComponent(name)}`, {
    method: 'POST', body: new Blob([new Uint8Array(body)]), headers: { 'Content-Type': 'application/octet-stream' },
  });
  return { status: res.status, json: (await res.json()) as { job?: Job } };
}

async function waitFor(id: string, states: string[]): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    const { job } = (await (await fetch(`${server.baseUrl}/api/imports/${id}`)).json()) as { job: Job };
    if (states.includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${id} did not reach ${states.join('/')}`);
}

async function loadWithProposal(job: Job, layerName: string): Promise<Job> {
  const res = await fetch(`${server.baseUrl}/api/imports/${job.id}/load`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mapping: job.proposedMapping?.mapping, layerName, invalid: 'skip' }),
  });
  expect(res.status).toBe(202);
  return waitFor(job.id, ['done', 'failed', 'cancelled']);
}

describe('importing a municipality sewer export (zipped Shapefile)', () => {
  let first: Job;

  it('detects format and CRS, previews and proposes the sewer mapping', async () => {
    const { status, json } = await upload('riool_maasgouw.zip', await readFile(path.join(FIXTURES, 'mapping', 'riool_maasgouw.zip')));
    expect(status).toBe(202);
    first = await waitFor(json.job?.id ?? '', ['awaiting-mapping', 'failed']);
    expect(first.error).toBeNull();
    expect(first).toMatchObject({ format: 'shapefile', featureCount: 919, crs: { epsg: 28992, guessed: false } });
    expect(first.proposedMapping?.preset).toBe('riool');
    expect(first.preview?.features.length).toBeGreaterThan(100);
  });

  it('streams progress as server-sent events', async () => {
    const res = await fetch(`${server.baseUrl}/api/imports/${first.id}/events`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream ends: the job awaits a mapping
    expect(text).toMatch(/^event: job\ndata: \{/m);
  });

  it('loads all features with the mapping and reports them', async () => {
    const done = await loadWithProposal(first, 'riool-export');
    expect(done.state).toBe('done');
    expect(done.report).toMatchObject({ read: 919, loaded: 919, new: 919, updated: 0, rejectedCount: 0 });
    const r = await db.pool.query<{ system: string; n: number }>(
      "SELECT system, count(*)::int AS n FROM asset WHERE source_kind = 'file' GROUP BY system ORDER BY system");
    expect(r.rows).toEqual([{ system: 'riool_pers', n: 4 }, { system: 'riool_vrijverval', n: 915 }]);
    const owner = await db.pool.query("SELECT DISTINCT o.name FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.source_kind = 'file'");
    expect(owner.rows).toEqual([{ name: 'Gemeente Maasgouw' }]);
    const list = (await (await fetch(`${server.baseUrl}/api/datasets`)).json()) as { datasets: { name: string; featureCount: number; systems: string[] }[] };
    expect(list.datasets.find((d) => d.name === 'riool-export')).toMatchObject({ featureCount: 919, systems: ['riool_pers', 'riool_vrijverval'] });
  });

  it('a re-import of the same layer updates in place, with the stored mapping proposed', async () => {
    const { json } = await upload('riool_maasgouw.zip', await readFile(path.join(FIXTURES, 'mapping', 'riool_maasgouw.zip')));
    const again = await waitFor(json.job?.id ?? '', ['awaiting-mapping', 'failed']);
    expect(again.proposedMapping?.preset).toBe('stored');
    const done = await loadWithProposal(again, 'riool-export');
    expect(done.report).toMatchObject({ loaded: 919, new: 0, updated: 0, unchanged: 919, removed: 0 });
    const n = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM asset WHERE source_kind = 'file'");
    expect(n.rows[0]?.n).toBe(919);
  });

  it('shows an imported pipe with the id it was delivered with and its number in the file', async () => {
    const row = (await db.pool.query<{ id: number; source_id: string; feature_no: number }>(
      "SELECT id, source_id, feature_no FROM asset WHERE source_kind = 'file' ORDER BY feature_no DESC LIMIT 1")).rows[0];
    expect(row?.source_id).toMatch(/^\d+\/./); // stored namespaced by its layer
    const detail = (await (await fetch(`${server.baseUrl}/api/assets/${row?.id}`)).json()) as { sourceId: unknown; featureNo: unknown };
    const delivered = row?.source_id.replace(/^\d+\//, '') ?? '';
    expect(detail.sourceId).toBe(delivered);
    expect(detail.featureNo).toBe(919);
    // found by that id first, and listed with it
    const found = (await (await fetch(`${server.baseUrl}/api/search?q=${encodeURIComponent(delivered)}`)).json()) as { results: { id: number; subtitle: string }[] };
    expect(found.results[0]?.id).toBe(row?.id);
    expect(found.results[0]?.subtitle.endsWith(` · ${delivered}`)).toBe(true);
    // with the layer it lies in (the same pipe in two layers must not read the same)
    expect(found.results[0]?.subtitle).toBe(`riool_vrijverval · Gemeente Maasgouw · riool-export · ${delivered}`);
    expect(found.results[0]?.subtitle).not.toContain(row?.source_id);
    // and exported with it, so that a re-import of an edited export finds its features again
    const list = (await (await fetch(`${server.baseUrl}/api/datasets`)).json()) as { datasets: { id: number; name: string }[] };
    const layer = list.datasets.find((d) => d.name === 'riool-export')?.id;
    const fc = (await (await fetch(`${server.baseUrl}/api/datasets/${layer}/export?format=geojson`)).json()) as { features: { properties: { id: number; source_id: string | null } }[] };
    expect(fc.features).toHaveLength(919);
    expect(fc.features.find((f) => f.properties.source_id === delivered)).toBeDefined();
    expect(fc.features.some((f) => f.properties.source_id?.startsWith(`${layer}/`))).toBe(false);

    // the export, loaded again into the same layer with source_id as the id: every feature is matched
    const { json } = await upload('riool-export.geojson', Buffer.from(JSON.stringify(fc)));
    const job = await waitFor(json.job?.id ?? '', ['awaiting-mapping', 'failed']);
    const mapping = { ...(job.proposedMapping?.mapping as Record<string, unknown>), sourceId: { field: 'source_id' } };
    const res = await fetch(`${server.baseUrl}/api/imports/${job.id}/load`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mapping, layerName: 'riool-export', invalid: 'skip' }),
    });
    expect(res.status).toBe(202);
    const done = await waitFor(job.id, ['done', 'failed', 'cancelled']);
    expect(done.report).toMatchObject({ read: 919, loaded: 919, new: 0, removed: 0 });
    const ids = await db.pool.query<{ id: number }>('SELECT id FROM asset WHERE source_id = $1', [row?.source_id]);
    expect(ids.rows).toEqual([{ id: row?.id }]); // the same asset, kept its id
  });
});

describe('importing a tree register whose element numbers repeat (Leeuwarden, zipped Shapefile by GDAL)', () => {
  it('does not propose the repeating number as id, and loads every tree', async () => {
    const { json } = await upload('bomen.shp.zip', await readFile(path.join(FIXTURES, 'formats', 'bomen.shp.zip')));
    const job = await waitFor(json.job?.id ?? '', ['awaiting-mapping', 'failed']);
    expect(job.proposedMapping?.preset).toBe('bomen');
    expect((job as Job & { warnings: string[] }).warnings.join(' ')).toMatch(/ELEMENTNR is not unique/);
    expect((job.proposedMapping?.mapping as { sourceId: unknown }).sourceId).toBeNull();
    const done = await loadWithProposal(job, 'bomen-leeuwarden');
    expect(done.report).toMatchObject({ read: job.featureCount, loaded: job.featureCount, rejectedCount: 0 });
    const r = await db.pool.query<{ n: number; species: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT label)::int AS species FROM asset WHERE system = 'groen' AND asset_class = 'boom'");
    expect(r.rows[0]?.n).toBe(job.featureCount);
    expect(r.rows[0]?.species).toBeGreaterThan(10);
  });
});

describe('a GeoJSON without crs member (BGT wegdeel by GDAL)', () => {
  it('says the CRS was guessed, and takes the analyst\'s EPSG when given', async () => {
    const bytes = await readFile(path.join(FIXTURES, 'formats', 'bgt-wegdeel-nocrs.geojson'));
    const guessed = await waitFor((await upload('bgt_wegdeel.geojson', bytes)).json.job?.id ?? '', ['awaiting-mapping', 'failed']);
    expect(guessed.crs).toMatchObject({ epsg: 28992, guessed: true });
    expect(guessed.proposedMapping?.preset).toBe('bgt-wegdeel');
    const res = await fetch(`${server.baseUrl}/api/imports?name=bgt_wegdeel.geojson&epsg=28992`, {
      method: 'POST', body: new Blob([new Uint8Array(bytes)]), headers: { 'Content-Type': 'application/octet-stream' },
    });
    const stated = await waitFor(((await res.json()) as { job: Job }).job.id, ['awaiting-mapping', 'failed']);
    expect(stated.crs).toMatchObject({ epsg: 28992, guessed: false });
    const bad = await fetch(`${server.baseUrl}/api/imports?name=x.geojson&epsg=abc`, { method: 'POST', body: new Blob([new Uint8Array(bytes)]) });
    expect(bad.status).toBe(400);
  });
});

describe('a KLIC delivery dropped like any other file', () => {
  it('goes through the KLIC importer without a mapping step', async () => {
    const zip = await readFile(path.resolve(FIXTURES, '..', '..', 'data', 'klic-maasgouw', 'Levering_22O000518_1.zip'));
    const { status, json } = await upload('Levering_22O000518_1.zip', zip);
    expect(status).toBe(202);
    const done = await waitFor(json.job?.id ?? '', ['done', 'failed']);
    expect(done).toMatchObject({ format: 'klic', state: 'done' });
    expect(done.report).toMatchObject({ format: 'klic', read: 891, loaded: 891, fileName: 'Levering_22O000518_1.zip' });
  });
});

describe('bad uploads get a clear 4xx', () => {
  it('refuses a file type that is not allow-listed', async () => {
    const { status, json } = await upload('rapport.docx', Buffer.from('PK\u0003\u0004 not really'));
    expect(status).toBe(415);
    expect(json.error?.message).toMatch(/rapport\.docx/);
  });

  it('refuses an empty upload', async () => {
    expect((await upload('leeg.geojson', Buffer.alloc(0))).status).toBe(400);
  });

  it('refuses a zip with a path like ../x (synthetic hostile zip)', async () => {
    const zip = zipSync({ '../x.geojson': strToU8('{"type":"FeatureCollection","features":[]}') });
    const { status, json } = await upload('evil.zip', zip);
    expect(status).toBe(400);
    expect(json.error?.message).toMatch(/evil\.zip/);
  });

  it('refuses a zip bomb (synthetic: 200 MB of zeros compressed)', async () => {
    const zip = zipSync({ 'bomb.geojson': new Uint8Array(200 * 1024 ** 2) }, { level: 9 });
    const { status, json } = await upload('bomb.zip', zip);
    expect(status).toBe(413);
    expect(json.error?.message).toMatch(/bomb\.zip/);
  });

  it('fails a 100,000-deep nested GeoJSON with a 4xx error, and the server lives on', async () => {
    const deep = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}},"geometry":null}]}`;
    const { status, json } = await upload('diep.geojson', Buffer.from(deep));
    const job = status === 202 ? await waitFor(json.job?.id ?? '', ['failed', 'awaiting-mapping']) : null;
    const errorStatus = job?.error?.status ?? status;
    expect(errorStatus).toBeGreaterThanOrEqual(400);
    expect(errorStatus).toBeLessThan(500);
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
  });
});
