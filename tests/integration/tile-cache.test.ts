/**
 * The tile cache (issue 9) against PostGIS with a real KLIC delivery (C3 networks) and the CBS
 * municipality outlines: a repeated tile comes from memory without SQL, a change committed by
 * ANOTHER connection (as the import CLI or a second API process would) reaches the cache through
 * NOTIFY and only moves the changed family out, callers with different rights never share a tile,
 * a signed-in hit needs no SQL (the caller is cached too) yet a revoked token is refused at once,
 * and a lost listener turns the caches off until it is back.
 */
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { loadMunicipalities } from '../../api/src/ingest/reference/municipalities.ts';
import type { Pool } from '../../api/src/db/pool.ts';
import { TileCache } from '../../api/src/http/tile-cache.ts';
import { PrincipalCache } from '../../api/src/auth/principal-cache.ts';
import { countingAppPool } from '../helpers/counting-pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { areaWideAnalyst } from '../helpers/auth.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'data');
const GAS = '/tiles/gas_ld/16/33840/21897.mvt'; // Maasbracht: gas pipes of the delivery
const GEMEENTEN = '/tiles/gemeenten/10/528/342.mvt'; // the same place at z10: Maasgouw and neighbours

let db: TestDatabase;
let server: TestServer;
let appPool: Pool;
let token = '';
let connects: () => number = () => 0;
const cache = new TileCache(16 * 1024 * 1024);
const principals = new PrincipalCache();

beforeAll(async () => {
  db = await createTestDatabase('it_tile_cache');
  await importKlicZip(db.pool, path.join(DATA, 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await loadMunicipalities(db.pool, path.join(DATA, 'cbs-gemeenten-2023', 'gemeenten-2023.geojson'), 28992);
  token = await areaWideAnalyst(db.pool, 'tile-cache@samenhang.test');
  const counting = countingAppPool(db);
  appPool = counting.pool;
  connects = counting.connects;
  server = await startTestServer(db.pool, null, () => undefined, { pool: appPool, tileCache: cache, principalCache: principals });
});
afterAll(async () => {
  await server.close();
  await appPool.end();
  await db.drop();
});

const get = (p: string, anon = false): Promise<Response> =>
  fetch(server.baseUrl + p, { headers: anon ? {} : { authorization: `Bearer ${token}` } });

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function names(buf: ArrayBuffer): string[] {
  const layer = new VectorTile(new PbfReader(new Uint8Array(buf))).layers.gemeenten;
  return Array.from({ length: layer?.length ?? 0 }, (_, i) => String(layer?.feature(i).properties.name)).sort();
}

describe('tile cache', () => {
  it('answers a repeated public tile from memory: same bytes and ETag, no SQL', async () => {
    const first = await get(GEMEENTEN, true);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-tile-cache')).toBe('miss');
    const body1 = Buffer.from(await first.arrayBuffer());
    expect(names(body1.buffer.slice(body1.byteOffset, body1.byteOffset + body1.length))).toContain('Maasgouw');
    const before = connects();
    const second = await get(GEMEENTEN, true);
    expect(second.headers.get('x-tile-cache')).toBe('hit');
    expect(Buffer.from(await second.arrayBuffer()).equals(body1)).toBe(true);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(connects() - before).toBe(0);
  });

  it('a change committed by another connection moves only that family out', async () => {
    await get(GAS); // the analyst's gas tile is now cached
    expect((await get(GAS)).headers.get('x-tile-cache')).toBe('hit');
    const seen = cache.stats().invalidations;
    await db.pool.query("UPDATE municipality SET name = 'Maasgouw (gewijzigd)' WHERE name = 'Maasgouw'");
    await until('the NOTIFY of the change', () => cache.stats().invalidations > seen);
    const after = await get(GEMEENTEN, true);
    expect(after.headers.get('x-tile-cache')).toBe('miss');
    expect(names(await after.arrayBuffer())).toContain('Maasgouw (gewijzigd)');
    expect((await get(GAS)).headers.get('x-tile-cache')).toBe('hit'); // the networks did not change
    await db.pool.query("UPDATE municipality SET name = 'Maasgouw' WHERE name = 'Maasgouw (gewijzigd)'");
  });

  it('an organisation renamed moves every layer out (owner names are drawn in all of them)', async () => {
    await get(GAS);
    const seen = cache.stats().invalidations;
    await db.pool.query('UPDATE organisation SET name = name WHERE id = (SELECT min(id) FROM organisation)');
    await until('the NOTIFY of the change', () => cache.stats().invalidations > seen);
    expect((await get(GAS)).headers.get('x-tile-cache')).toBe('miss');
  });

  it('callers with different rights never share a cached tile', async () => {
    const analyst = await get(GAS);
    expect(analyst.status).toBe(200);
    const analystBytes = Buffer.from(await analyst.arrayBuffer());
    expect(analystBytes.length).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      const anon = await get(GAS, true);
      expect(anon.status).toBe(204); // C3 networks: nothing for anonymous callers, cached or not
      expect(anon.headers.get('x-tile-cache')).toBe(i === 0 ? 'miss' : 'hit');
    }
    const again = await get(GAS);
    expect(again.headers.get('x-tile-cache')).toBe('hit');
    expect(Buffer.from(await again.arrayBuffer()).equals(analystBytes)).toBe(true);
  });

  it('a signed-in hit needs no SQL at all: the caller is cached too', async () => {
    const seen = cache.stats().invalidations;
    await db.pool.query('UPDATE dataset SET name = name');
    await until('the NOTIFY of the change', () => cache.stats().invalidations > seen);
    let before = connects();
    expect((await get(GAS)).headers.get('x-tile-cache')).toBe('miss');
    expect(connects() - before).toBe(1); // the tile; the caller came from the principal cache
    before = connects();
    expect((await get(GAS)).headers.get('x-tile-cache')).toBe('hit');
    expect(connects() - before).toBe(0);
  });

  it('a revoked token is refused on the next request, also when it was cached', async () => {
    const other = await areaWideAnalyst(db.pool, 'tile-cache-revoked@samenhang.test');
    const call = () => fetch(server.baseUrl + GAS, { headers: { authorization: `Bearer ${other}` } });
    expect((await call()).status).toBe(200);
    expect((await call()).headers.get('x-tile-cache')).toBe('hit'); // caller and tile from memory
    expect(principals.size).toBeGreaterThan(0);
    await db.pool.query("UPDATE api_token SET revoked_at = now() WHERE user_id = (SELECT id FROM app_user WHERE email = 'tile-cache-revoked@samenhang.test')");
    await until('the NOTIFY of the revocation to empty the caller cache', () => principals.size === 0);
    expect((await call()).status).toBe(401);
  });

  it('a lost listener turns the cache off at once; it reconnects and starts empty', async () => {
    await get(GEMEENTEN, true);
    expect(cache.stats().entries).toBeGreaterThan(0);
    await db.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'samenhang-changes' AND datname = current_database()");
    await until('the cache to go off', () => !cache.enabled);
    const off = await get(GEMEENTEN, true);
    expect(off.status).toBe(200);
    expect(off.headers.get('x-tile-cache')).toBeNull();
    await until('the listener to reconnect', () => cache.enabled);
    expect(cache.stats().entries).toBe(0);
    expect((await get(GEMEENTEN, true)).headers.get('x-tile-cache')).toBe('miss');
    expect((await get(GEMEENTEN, true)).headers.get('x-tile-cache')).toBe('hit');
  });
});
