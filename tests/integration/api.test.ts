/**
 * The HTTP API on a database holding the real Maasgouw deliveries: health, catalogue, detail,
 * works, search, typed errors and vector tiles (a decoded tile compared with a golden text snapshot).
 */
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { loadMunicipalities } from '../../api/src/ingest/reference/municipalities.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { describeTile } from '../helpers/mvt-text.ts';
import { areaWideAnalyst, fetchWithToken } from '../helpers/auth.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'data');
const GAS_PIPE = 'nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955';

let db: TestDatabase;
let server: TestServer;
let token = '';
// every request of this file is made by an analyst whose project area covers the deliveries
const fetch = fetchWithToken(() => token);

beforeAll(async () => {
  db = await createTestDatabase('it_api');
  await importKlicZip(db.pool, path.join(DATA, 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await loadMunicipalities(db.pool, path.join(DATA, 'cbs-gemeenten-2023', 'gemeenten-2023.geojson'), 28992);
  server = await startTestServer(db.pool);
  token = await areaWideAnalyst(db.pool);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

async function getJson(p: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.baseUrl + p);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('API', () => {
  it('reports database and PostGIS versions', async () => {
    const { status, body } = await getJson('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', postgis: { version: expect.stringMatching(/^3\./) } });
  });

  it('lists a layer per vital system with counts and an extent around Maasbracht', async () => {
    const { body } = await getJson('/api/layers');
    const layers = body.layers as { id: string; count: number; color: string }[];
    const db2 = await db.pool.query<{ system: string; n: number }>('SELECT system, count(*)::int AS n FROM asset GROUP BY system');
    expect(Object.fromEntries(layers.map((l) => [l.id, l.count]))).toEqual(Object.fromEntries(db2.rows.map((r) => [r.system, r.n])));
    expect(layers.map((l) => l.id)).toEqual(expect.arrayContaining(['gas_ld', 'drinkwater', 'riool_vrijverval', 'elektriciteit_ms']));
    const [w, s, e, n] = body.extent as number[];
    expect(w).toBeGreaterThan(5.8);
    expect(e).toBeLessThan(5.95);
    expect(s).toBeGreaterThan(51.1);
    expect(n).toBeLessThan(51.2);
    expect(body.works).toEqual({ count: 1 });
  });

  it('finds a cable by its KLIC gml:id and shows its details with the owner', async () => {
    const { body } = await getJson(`/api/search?q=${encodeURIComponent(GAS_PIPE)}`);
    const results = body.results as { kind: string; id: number; bbox: number[] }[];
    expect(results[0]).toMatchObject({ kind: 'asset', system: 'gas_ld' });
    const detail = await getJson(`/api/assets/${results[0]?.id}`);
    expect(detail.body).toMatchObject({
      sourceId: GAS_PIPE,
      owner: { code: 'KL1031', kind: 'netbeheerder' },
      material: 'steel',
      diameterMm: 80,
      inServiceDate: '1972-12-25',
    });
    expect(String((detail.body.owner as { name: string }).name)).toMatch(/Enexis/i);
  });

  it('finds works by street and serves them as WGS84 GeoJSON', async () => {
    const fc = await getJson('/api/works');
    const features = fc.body.features as { geometry: { coordinates: number[][][] }; properties: { street: string | null } }[];
    expect(features).toHaveLength(1);
    const [lon, lat] = features[0]?.geometry.coordinates[0]?.[0] ?? [];
    expect(lon).toBeCloseTo(5.88, 1);
    expect(lat).toBeCloseTo(51.15, 1);
    const street = features[0]?.properties.street;
    expect(street).toBeTruthy();
    const found = await getJson(`/api/search?q=${encodeURIComponent(String(street))}`);
    const work = (found.body.results as { kind: string; id: number; subtitle: string }[]).find((r) => r.kind === 'work');
    expect(work).toBeDefined();
    // the subtitle names the owner, the street, place and request type, and the window, so works in one street differ
    const p = (features[0] as unknown as { properties: Record<string, string | null> }).properties;
    const start = p['preferredStart'] ?? p['startDate'];
    const end = p['preferredEnd'] ?? p['endDate'];
    expect(p['ownerName'], 'the fixture work has an owner').toBeTruthy();
    expect(start, 'the fixture work has a start date').toBeTruthy();
    const parts = [p['ownerName'], p['street'], p['place'], p['requestType'], `${String(start).slice(0, 10)} – ${String(end).slice(0, 10)}`];
    expect(work?.subtitle).toBe(parts.filter((x) => x !== null && x !== '').join(' · '));
  });

  it('answers errors with status, code, message and id, and no stack trace', async () => {
    const missing = await getJson('/api/assets/999999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ status: 404, code: 'not_found', id: expect.any(String) });
    const bad = await getJson('/api/assets/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_id' });
    const short = await getJson('/api/search?q=a');
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('vector tiles', () => {
  it('serves TileJSON 3.0 with an absolute tile URL', async () => {
    const { body } = await getJson('/tiles/gas_ld.json');
    expect(body).toMatchObject({ tilejson: '3.0.0', vector_layers: [{ id: 'gas_ld' }] });
    expect((body.tiles as string[])[0]).toBe(`${server.baseUrl}/tiles/gas_ld/{z}/{x}/{y}.mvt`);
  });

  it('a z16 tile over Maasbracht decodes to the golden snapshot', async () => {
    const res = await fetch(`${server.baseUrl}/tiles/gas_ld/16/33840/21897.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
    await expect(describeTile(tile)).toMatchFileSnapshot('../fixtures/golden/gas_ld-16-33840-21897.txt');
  });

  it('answers 204 for an empty tile, 404 for an unknown layer and 400 outside the matrix', async () => {
    expect((await fetch(`${server.baseUrl}/tiles/gas_ld/16/0/0.mvt`)).status).toBe(204);
    expect((await fetch(`${server.baseUrl}/tiles/nope/16/0/0.mvt`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/tiles/gas_ld/3/9/0.mvt`)).status).toBe(400);
  });

  it('serves municipality outlines for the offline basemap', async () => {
    const res = await fetch(`${server.baseUrl}/tiles/gemeenten/12/2115/1368.mvt`);
    const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
    const layer = tile.layers.gemeenten;
    const names = Array.from({ length: layer?.length ?? 0 }, (_, i) => layer?.feature(i).properties.name);
    expect(names).toContain('Maasgouw');
  });
});
