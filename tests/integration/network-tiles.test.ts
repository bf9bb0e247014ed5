/**
 * The networks as one tileset (decision 120) against PostGIS with a real KLIC delivery (C3
 * networks): a tile of `/tiles/networks/…?layers=a,b` holds the systems' own features, a
 * source-layer each in the order asked, in the lean encoding (decision 121: the asset id as feature
 * id, the same geometry, no properties); over its byte budget its largest layers are merged. It
 * follows the same access rules, revalidates by ETag, comes from the tile cache without SQL, and its
 * TileJSON covers the systems' extents. Bad `layers` are named.
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
const tileOf = (b: Buffer): VectorTile => new VectorTile(new PbfReader(new Uint8Array(b)));
const layersIn = (b: Buffer): Record<string, number> =>
  Object.fromEntries(Object.entries(tileOf(b).layers).map(([name, l]) => [name, l.length]));
type Part = { x: number; y: number }[];
/** Per feature of a layer: [id (feature id, else the id property), property names, geometry parts] */
function featuresOf(b: Buffer, layer: string): { id: unknown; keys: string[]; geometry: Part[] }[] {
  const l = tileOf(b).layers[layer];
  if (!l) return [];
  return Array.from({ length: l.length }, (_, i) => {
    const f = l.feature(i);
    return { id: f.id ?? f.properties['id'], keys: Object.keys(f.properties), geometry: f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))) };
  });
}
const ownTiles = async (tile: string): Promise<Buffer[]> => {
  const own: Buffer[] = [];
  for (const s of systems) {
    const r = await get(`/tiles/${s}/${tile}.mvt`);
    own.push(r.status === 204 ? Buffer.alloc(0) : await bytesOf(r));
  }
  return own;
};

describe('the networks tileset', () => {
  it('holds each listed system as its own source-layer, in the order asked: its features by feature id, same geometry, no properties', async () => {
    expect(systems.length).toBeGreaterThanOrEqual(2);
    const own = await ownTiles(TILE);
    const withData = systems.filter((_, i) => (own[i]?.length ?? 0) > 0);
    expect(withData.length).toBeGreaterThanOrEqual(2);
    const r = await get(`/tiles/networks/${TILE}.mvt?layers=${systems.join(',')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/vnd.mapbox-vector-tile');
    expect(r.headers.get('cache-control')).toBe('private, no-cache');
    expect(r.headers.get('x-tile-merged')).toBeNull();
    const body = await bytesOf(r);
    const counts = layersIn(body);
    expect(Object.keys(counts)).toEqual(withData);
    let features = 0;
    for (const [i, s] of systems.entries()) {
      if ((own[i]?.length ?? 0) === 0) continue;
      const full = featuresOf(own[i] as Buffer, s);
      const lean = featuresOf(body, s);
      expect(lean.length, s).toBe(full.length);
      // the asset id is the feature id (the full tile's id property), the geometry is the same, nothing else is carried
      const byId = new Map(full.map((f) => [f.id, f]));
      for (const f of lean) {
        expect(typeof f.id, s).toBe('number');
        expect(f.keys, s).toEqual([]);
        expect(f.geometry, `${s} ${String(f.id)}`).toEqual(byId.get(f.id)?.geometry);
      }
      expect(full[0]?.keys, s).toEqual(expect.arrayContaining(['id', 'system', 'feature_type', 'owner', 'status']));
      features += lean.length;
    }
    expect(features).toBeGreaterThan(10);
    // leaner than the systems' own tiles together
    expect(body.length).toBeLessThan(Buffer.concat(own).length * 0.8);
    const reversed = await bytesOf(await get(`/tiles/networks/${TILE}.mvt?layers=${[...systems].reverse().join(',')}`));
    expect(Object.keys(layersIn(reversed))).toEqual([...withData].reverse());
    expect(reversed.length).toBe(body.length);
  });

  it('over its byte budget, merges its largest layers first until it fits: every part drawn, no id to pick', async () => {
    const q = `/tiles/networks/${TILE}.mvt?layers=${systems.join(',')}`;
    const lean = await bytesOf(await get(q));
    const sizes = systems.map((s) => ({ s, n: featuresOf(lean, s).length })).filter((l) => l.n > 0);
    const budgeted = await startTestServer(db.pool, null, () => undefined, { pool: appPool, networkTileBudget: lean.length - 1 });
    try {
      const r = await fetch(`${budgeted.baseUrl}${q}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      const merged = (r.headers.get('x-tile-merged') ?? '').split(',');
      expect(merged.length).toBeGreaterThanOrEqual(1);
      const body = await bytesOf(r);
      expect(body.length).toBeLessThanOrEqual(lean.length - 1);
      // largest first: each system's lean part alone is its own networks tile
      const leanBytes = new Map<string, number>();
      for (const { s } of sizes) leanBytes.set(s, (await bytesOf(await get(`/tiles/networks/${TILE}.mvt?layers=${s}`))).length);
      const bySize = [...leanBytes.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
      expect(merged).toEqual(bySize.slice(0, merged.length));
      for (const s of systems) {
        const before = featuresOf(lean, s);
        const after = featuresOf(body, s);
        if (merged.includes(s)) {
          // one feature per geometry dimension, without id or properties, holding every part of the lean features
          expect(after.length, s).toBeLessThanOrEqual(3);
          expect(after.length, s).toBeGreaterThanOrEqual(1);
          for (const f of after) expect([f.id, f.keys], s).toEqual([undefined, []]);
          // (as a set: a point drawn twice at the same place is kept once in a multipoint; a point on
          // the outer edge of the tile's buffer, which its neighbour tile draws, may be cut off)
          const onBufferEdge = (p: Part) => p.length === 1 && [p[0]?.x, p[0]?.y].some((c) => c === -64 || c === 4096 + 64);
          const parts = (fs: typeof before) => [...new Set(fs.flatMap((f) => f.geometry.filter((p) => !onBufferEdge(p)).map((p) => JSON.stringify(p))))].sort();
          expect(parts(after), s).toEqual(parts(before));
        } else expect(after, s).toEqual(before);
      }
      // a budget nothing fits: every layer merged, the tile is still served
      const none = await startTestServer(db.pool, null, () => undefined, { pool: appPool, networkTileBudget: 1 });
      try {
        const all = await fetch(`${none.baseUrl}${q}`, { headers: { authorization: `Bearer ${token}` } });
        expect(all.status).toBe(200);
        expect((all.headers.get('x-tile-merged') ?? '').split(',').sort()).toEqual(sizes.map((l) => l.s).sort());
      } finally {
        await none.close();
      }
    } finally {
      await budgeted.close();
    }
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
