/**
 * Reads from a streaming replica (issue 9 §4, db/replica.ts) against a REAL hot standby of the
 * test server (pg_basebackup + pg_ctl, tests/helpers/replica.ts), on the KLIC delivery 22G003179
 * read by Enexis' analyst (their own C3 networks: in tiles and in OGC items pages):
 *   - tiles and items pages come from the replica (X-Read-From), everything else from the primary;
 *   - with the replica's replay held, a change committed on the primary is read from the primary,
 *     the replica provably still holds the old rows, and the tile cached afterwards is the new one;
 *   - a write through the API process itself sends the next reads to the primary at once;
 *   - with the replica stopped every request still succeeds, from the primary, logged once; when
 *     it is back, reads return to it.
 */
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../api/src/auth/accounts.ts';
import { DEMO_PASSWORD, seedDemo } from '../../api/src/auth/demo.ts';
import type { ReplicaReads } from '../../api/src/db/replica.ts';
import { TileCache } from '../../api/src/http/tile-cache.ts';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { ROOT } from '../helpers/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { type ReplicaCluster, onReplica, pauseReplay, replicaReadsFor, startTestReplica } from '../helpers/replica.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const TILE = { z: 16, x: 33840, y: 21897 }; // Maasbracht: gas pipes of the delivery
const GAS = `/tiles/gas_ld/${TILE.z}/${TILE.x}/${TILE.y}.mvt`;
const TILE_ENV = `ST_Transform(ST_TileEnvelope(${TILE.z}, ${TILE.x}, ${TILE.y}), 28992)`;
/** what a tile holds: features in its square plus the 64/4096 buffer, in Web Mercator */
const TILE_BUFFERED = `ST_TileEnvelope(${TILE.z}, ${TILE.x}, ${TILE.y}, margin => 64.0 / 4096)`;

let db: TestDatabase;
let cluster: ReplicaCluster | null = null;
let reads: ReplicaReads;
let server: TestServer;
let token = '';
let itemsPath = '';
let box: number[] = [];
const logs: string[] = [];
const cache = new TileCache(16 * 1024 * 1024);

beforeAll(async () => {
  db = await createTestDatabase('it_replica');
  await importKlicZip(db.pool, path.join(ROOT, 'data', 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await seedDemo(db.pool);
  token = (await createToken(db.pool, 'analist@enexis.demo', 'read', 'replica')).token;
  // the items page covers the tile, so both show the same pipes
  const b = (await db.pool.query<{ b: number[] }>(`SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Transform(ST_TileEnvelope(${TILE.z}, ${TILE.x}, ${TILE.y}), 4326) AS e) s`)).rows[0]?.b ?? [];
  box = b.map((v) => Number(v.toFixed(6)));
  itemsPath = `/ogc/collections/gas_ld/items?limit=1000&bbox=${box.join(',')}`;
  cluster = await startTestReplica();
  await cluster.caughtUp();
  reads = replicaReadsFor(cluster, db.url, logs);
  server = await startTestServer(db.pool, null, () => undefined, { tileCache: cache, replica: reads });
  await until('the first WAL position', () => reads.requiredLsn('assets') !== null);
}, 180_000);
afterAll(async () => {
  await server?.close();
  await reads?.pool.end();
  // the replica goes first: replaying DROP DATABASE would have to throw its connections out
  await cluster?.remove();
  await db?.drop();
});

const get = (p: string): Promise<Response> => fetch(server.baseUrl + p, { headers: { authorization: `Bearer ${token}` } });

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function tileIds(res: Response): Promise<number[]> {
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  const layer = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.gas_ld;
  return Array.from({ length: layer?.length ?? 0 }, (_, i) => Number(layer?.feature(i).id)).sort((a, b) => a - b);
}

async function itemIds(res: Response): Promise<number[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { features: { id: number }[] }).features.map((f) => Number(f.id)).sort((a, b) => a - b);
}

/** Enexis' gas pipes meeting `area` (SQL of the geometry `g`), by the primary: the reference, written here. */
async function enexisPipes(area: string, params: unknown[] = []): Promise<number[]> {
  return (await db.pool.query<{ id: number }>(
    `SELECT a.id FROM asset a JOIN organisation o ON o.id = a.owner_id CROSS JOIN LATERAL (SELECT a.geom AS g) x
     WHERE a.system = 'gas_ld' AND o.slug = 'enexis' AND ${area} ORDER BY a.id`, params)).rows.map((r) => Number(r.id));
}
/** a tile holds every pipe well inside its square and none outside its buffer (edges: ST_AsMVTGeom's call) */
const pipesInTile = async () => ({
  inner: await enexisPipes(`ST_Intersects(x.g, ST_Buffer(${TILE_ENV}, -5))`), buffered: await enexisPipes(`ST_Intersects(ST_Transform(x.g, 3857), ${TILE_BUFFERED})`),
});
async function expectTileHolds(ids: number[]): Promise<void> {
  const { inner, buffered } = await pipesInTile();
  expect(inner.length).toBeGreaterThan(1);
  expect(ids).toEqual(expect.arrayContaining(inner));
  expect(buffered).toEqual(expect.arrayContaining(ids));
}
/** the items page's bbox is lon/lat, densified before it is transformed (ogc/items.ts) */
const pipesInBox = () => enexisPipes('ST_Intersects(x.g, ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 4326), 0.001), 28992))', box);

/** A change on the primary through another connection (as the import CLI or another process), and its position heard. */
async function changeOnPrimary(sql: string, params: unknown[] = []): Promise<void> {
  const before = reads.requiredLsn('assets');
  await db.pool.query(sql, params);
  await until('the notice and the primary\'s WAL position', () => {
    const now = reads.requiredLsn('assets');
    return now !== null && now !== before;
  });
}

describe('reads from a streaming replica', () => {
  it('serves tiles and items pages from the replica, and nothing else', async () => {
    const tile = await get(GAS);
    expect(tile.headers.get('x-tile-cache')).toBe('miss');
    expect(tile.headers.get('x-read-from')).toBe('replica');
    await expectTileHolds(await tileIds(tile));
    const hit = await get(GAS);
    expect(hit.headers.get('x-tile-cache')).toBe('hit');
    expect(hit.headers.get('x-read-from')).toBeNull(); // nothing read at all
    const page = await get(itemsPath);
    expect(page.headers.get('x-read-from')).toBe('replica');
    expect(await itemIds(page)).toEqual(await pipesInBox());
    const other = await get('/api/layers');
    expect(other.status).toBe(200);
    expect(other.headers.get('x-read-from')).toBeNull();
    // the tile and the page (with its count, one query) on the replica; the replica's own sessions show the API's role
    expect(reads.stats().replica).toBeGreaterThanOrEqual(2);
    const sessions = await onReplica<{ n: number }>(cluster as ReplicaCluster, db.url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'samenhang' AND usename = 'postgres'");
    expect(sessions[0]?.n ?? 0).toBeGreaterThan(0);
  });

  it('reads a change the replica has not replayed from the primary, and caches the new tile', async () => {
    const c = cluster as ReplicaCluster;
    const before = { tile: await tileIds(await get(GAS)), box: await pipesInBox() };
    const moved = before.box[0] as number; // in the page and in the tile
    expect(before.tile).toContain(moved);
    await pauseReplay(c, db.url, true);
    try {
      const lagging = reads.stats().primary.lagging;
      await changeOnPrimary('UPDATE asset SET geom = ST_Translate(geom, 50000, 0) WHERE id = $1', [moved]);
      // the tile as it must be now: the one before without the moved pipe
      const after = { tile: before.tile.filter((id) => id !== moved), box: await pipesInBox() };
      expect(after.box).toEqual(before.box.filter((id) => id !== moved));
      // the replica still has the pipe in place: a tile from it now would be stale
      const stale = await onReplica<{ n: number }>(c, db.url, `SELECT count(*)::int AS n FROM asset WHERE id = $1 AND ST_Intersects(geom, ${TILE_ENV})`, [moved]);
      expect(stale[0]?.n).toBe(1);
      const tile = await get(GAS);
      expect(tile.headers.get('x-tile-cache')).toBe('miss');
      expect(tile.headers.get('x-read-from')).toBe('primary');
      expect(await tileIds(tile)).toEqual(after.tile);
      const cached = await get(GAS);
      expect(cached.headers.get('x-tile-cache')).toBe('hit');
      expect(await tileIds(cached)).toEqual(after.tile);
      const page = await get(itemsPath);
      expect(page.headers.get('x-read-from')).toBe('primary');
      expect(await itemIds(page)).toEqual(after.box);
      expect(reads.stats().primary.lagging - lagging).toBeGreaterThanOrEqual(2); // the tile and the page
    } finally {
      await pauseReplay(c, db.url, false);
    }
    await c.caughtUp();
    const page = await get(itemsPath);
    expect(page.headers.get('x-read-from')).toBe('replica');
    expect(await itemIds(page)).toEqual(await pipesInBox());
    // a tile not cached yet (the z15 parent), now from the replica, without the moved pipe
    const parent = await get(`/tiles/gas_ld/15/${TILE.x >> 1}/${TILE.y >> 1}.mvt`);
    expect(parent.headers.get('x-read-from')).toBe('replica');
    expect(await tileIds(parent)).not.toContain(moved);
    await db.pool.query('UPDATE asset SET geom = ST_Translate(geom, -50000, 0) WHERE id = $1', [moved]);
  });

  it('reads from the primary right after a write through this process, which sends no notice', async () => {
    const c = cluster as ReplicaCluster;
    await c.caughtUp();
    await until('the position of the last change', () => reads.requiredLsn('assets') !== null);
    await pauseReplay(c, db.url, true);
    try {
      // a sign-in writes a session (and its audit row) and sends no notice: only the process knows
      const requiredBefore = reads.requiredLsn('assets');
      const login = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'analist@enexis.demo', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      expect(reads.requiredLsn('assets')).not.toBe(requiredBefore);
      const fresh = await get(`/tiles/gas_ld/14/${TILE.x >> 2}/${TILE.y >> 2}.mvt`);
      expect(fresh.headers.get('x-tile-cache')).toBe('miss');
      expect(fresh.headers.get('x-read-from')).toBe('primary');
    } finally {
      await pauseReplay(c, db.url, false);
    }
  });

  it('answers from the primary while the replica is down (logged once) and returns to it when it is back', async () => {
    const c = cluster as ReplicaCluster;
    await c.caughtUp();
    const expected = { tile: await tileIds(await get(GAS)), box: await pipesInBox() };
    const logged = logs.length;
    await c.stop();
    await changeOnPrimary('UPDATE dataset SET name = name'); // the cached tile is out
    for (let i = 0; i < 3; i++) {
      const tile = await get(GAS);
      expect(tile.headers.get('x-read-from')).toBe('primary');
      expect(await tileIds(tile)).toEqual(expected.tile);
      await changeOnPrimary('UPDATE dataset SET name = name');
      const page = await get(itemsPath);
      expect(page.headers.get('x-read-from')).toBe('primary');
      expect(await itemIds(page)).toEqual(expected.box);
    }
    const down = logs.slice(logged);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(/replica (unreachable|connection lost|read failed)/);
    expect(reads.stats().primary.down).toBeGreaterThanOrEqual(6);
    await c.start();
    await c.caughtUp();
    // after the back-off (5 s) the next read tries the replica again
    await until('reads from the replica again', async () => (await get(itemsPath)).headers.get('x-read-from') === 'replica', 20_000);
    expect(logs.at(-1)).toBe('reading from the replica again');
  }, 60_000);
});
