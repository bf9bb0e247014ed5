/**
 * The networks as one tileset (decision 120) against PostGIS with a real KLIC delivery (C3
 * networks): a tile of `/tiles/networks/…?layers=a,b` is exactly the systems' own tiles one after
 * another (a source-layer each), follows the same access rules, revalidates by ETag, comes from
 * the tile cache without SQL, and its TileJSON covers the systems' extents. Bad `layers` are named.
 */
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import type { Pool } from '../../api/src/db/pool.ts';
import { TileCache } from '../../api/src/http/tile-cache.ts';
import { countingAppPool } from '../helpers/counting-pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { areaWideAnalyst } from '../helpers/auth.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'data');
const TILE = '16/33840/21897'; // Maasbracht: several networks of the delivery

let db: TestDatabase;
let server: TestServer;
let appPool: Pool;
let token = '';
let connects: () => number = () => 0;
let systems: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('it_network_tiles');
  await importKlicZip(db.pool, path.join(DATA, 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  token = await areaWideAnalyst(db.pool, 'network-tiles@samenhang.test');
  systems = (await db.pool.query<{ system: string }>('SELECT DISTINCT system FROM asset ORDER BY system')).rows.map((r) => r.system);
  const counting = countingAppPool(db);
  appPool = counting.pool;
  connects = counting.connects;
  server = await startTestServer(db.pool, null, () => undefined, { pool: appPool, tileCache: new TileCache(16 * 1024 * 1024) });
});
afterAll(async () => {
  await server.close();
  await appPool.end();
  await db.drop();
});

const get = (p: string, headers: Record<string, string> = {}, anon = false): Promise<Response> =>
  fetch(server.baseUrl + p, { headers: anon ? headers : { ...headers, authorization: `Bearer ${token}` } });
const bytesOf = async (r: Response): Promise<Buffer> => Buffer.from(await r.arrayBuffer());
const layersIn = (b: Buffer): Record<string, number> =>
  Object.fromEntries(Object.entries(new VectorTile(new PbfReader(new Uint8Array(b))).layers).map(([name, l]) => [name, l.length]));

describe('the networks tileset', () => {
  it('holds each listed system as its own source-layer: the systems\' tiles one after another', async () => {
    expect(systems.length).toBeGreaterThanOrEqual(2);
    const own: Buffer[] = [];
    for (const s of systems) {
      const r = await get(`/tiles/${s}/${TILE}.mvt`);
      own.push(r.status === 204 ? Buffer.alloc(0) : await bytesOf(r));
    }
    const withData = systems.filter((_, i) => (own[i]?.length ?? 0) > 0);
    expect(withData.length).toBeGreaterThanOrEqual(2);
    const r = await get(`/tiles/networks/${TILE}.mvt?layers=${systems.join(',')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/vnd.mapbox-vector-tile');
    expect(r.headers.get('cache-control')).toBe('private, no-cache');
    const body = await bytesOf(r);
    expect(body.equals(Buffer.concat(own))).toBe(true);
    const counts = layersIn(body);
    expect(Object.keys(counts).sort()).toEqual([...withData].sort());
    for (const [i, s] of systems.entries()) if ((own[i]?.length ?? 0) > 0) expect(counts[s], s).toBe(layersIn(own[i] as Buffer)[s]);
    // in the order asked for
    const reversed = await bytesOf(await get(`/tiles/networks/${TILE}.mvt?layers=${[...systems].reverse().join(',')}`));
    expect(reversed.equals(Buffer.concat([...own].reverse()))).toBe(true);
  });

  it('shows an anonymous caller nothing of the C3 networks', async () => {
    const r = await get(`/tiles/networks/${TILE}.mvt?layers=${systems.join(',')}`, {}, true);
    expect(r.status).toBe(204);
  });

  it('revalidates by ETag and comes from the tile cache without SQL the second time', async () => {
    const p = `/tiles/networks/${TILE}.mvt?layers=${systems.slice(0, 2).join(',')}`;
    const first = await get(p);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const before = connects();
    const again = await get(p, { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-tile-cache')).toBe('hit');
    expect(connects() - before).toBe(0);
    const other = await get(`/tiles/networks/${TILE}.mvt?layers=${systems.slice(0, 1).join(',')}`);
    expect(other.headers.get('etag')).not.toBe(etag);
  });

  it('gives a TileJSON over the listed systems, their extents joined', async () => {
    const q = `layers=${systems.join(',')}&v=7-1`;
    const r = await get(`/tiles/networks.json?${q}`);
    expect(r.status).toBe(200);
    const tj = (await r.json()) as { tiles: string[]; bounds: number[]; vector_layers: { id: string }[] };
    expect(tj.tiles).toEqual([`${server.baseUrl}/tiles/networks/{z}/{x}/{y}.mvt?${q}`]);
    expect(tj.vector_layers.map((l) => l.id)).toEqual(systems);
    const own = await Promise.all(systems.map(async (s) => ((await (await get(`/tiles/${s}.json`)).json()) as { bounds: number[] }).bounds));
    expect(tj.bounds).toEqual([
      Math.min(...own.map((b) => b[0] ?? 0)), Math.min(...own.map((b) => b[1] ?? 0)),
      Math.max(...own.map((b) => b[2] ?? 0)), Math.max(...own.map((b) => b[3] ?? 0)),
    ]);
    expect(tj.bounds[0]).toBeGreaterThan(5.7); // Maasgouw, not the world
    expect(tj.bounds[2]).toBeLessThan(6.0);
  });

  it('names a bad layers parameter and where it is', async () => {
    const cases: [string, RegExp][] = [
      [`/tiles/networks/${TILE}.mvt`, /layers is missing/],
      [`/tiles/networks/${TILE}.mvt?layers=gas_ld,kabel`, /item 2 'kabel' is not a vital system code/],
      [`/tiles/networks/${TILE}.mvt?layers=gemeenten`, /item 1 'gemeenten' is not a vital system code/],
      [`/tiles/networks/${TILE}.mvt?layers=gas_ld,gas_ld`, /item 2 'gas_ld' is listed twice/],
      ['/tiles/networks.json?layers=', /layers is missing/],
    ];
    for (const [p, message] of cases) {
      const r = await get(p);
      expect(r.status, p).toBe(400);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code, p).toBe('invalid_layers');
      expect(body.error.message, p).toMatch(message);
    }
    const outside = await get(`/tiles/networks/2/4/0.mvt?layers=gas_ld`);
    expect(outside.status).toBe(400);
  });
});
