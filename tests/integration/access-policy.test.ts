/**
 * The policy matrix: users of every kind × layers of every confidentiality × every data route,
 * compared with ONE reference table written out by hand (not computed by the code under test).
 *
 * The fixture and the reference tables (SYNTHETIC) are in tests/helpers/access-fixture.ts; the
 * database's own wall is tested in row-security.test.ts.
 */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AT, EXPORT, LAYERS, LEVEL, OWNERS, READ, READ_WORK, SYSTEM, USERS, allowed, area, datasets, features, fx, get, setUpAccessFixture,
  tearDownAccessFixture, tileOf, tokens, userIds, workIds,
} from '../helpers/access-fixture.ts';
import { canReadRow } from '../../api/src/auth/policy.ts';
import { ANONYMOUS, loadPrincipal } from '../../api/src/auth/principal.ts';

beforeAll(() => setUpAccessFixture('it_access'));
afterAll(tearDownAccessFixture);


describe.each(USERS)('%s', (key) => {
  it('GET /api/assets/:id answers 200 exactly for the allowed features, 404 for the rest', async () => {
    const seen: number[] = [];
    for (const id of features.keys()) {
      const res = await get(key, `/api/assets/${id}`);
      expect([200, 404]).toContain(res.status);
      if (res.status === 200) seen.push(id);
    }
    expect(seen.sort((x, y) => x - y)).toEqual(allowed(key));
  });

  it('the layer catalogue counts only allowed features and lists no empty layer', async () => {
    const body = (await (await get(key, '/api/layers')).json()) as { layers: { id: string; count: number }[] };
    const expected = LAYERS.map((l) => [SYSTEM[l], (['in', 'out'] as const).filter((w) => READ[l][w].includes(key)).length] as const).filter(([, n]) => n > 0);
    expect(body.layers.map((l) => [l.id, l.count]).sort()).toEqual(expected.map(([s, n]) => [s, n]).sort());
  });

  it('planned works: the list and each work by id hold exactly the allowed ones', async () => {
    const expected = [...workIds].filter(([, w]) => READ_WORK[w].includes(key)).map(([id]) => id).sort((x, y) => x - y);
    const list = (await (await get(key, '/api/works')).json()) as { features: { id: number }[] };
    expect(list.features.map((f) => f.id).sort((x, y) => x - y)).toEqual(expected);
    for (const id of workIds.keys()) expect([id, (await get(key, `/api/works/${id}`)).status]).toEqual([id, expected.includes(id) ? 200 : 404]);
    const layers = (await (await get(key, '/api/layers')).json()) as { works: { count: number } };
    expect(layers.works.count).toBe(expected.length);
  });

  it('search finds only allowed features', async () => {
    const body = (await (await get(key, '/api/search?q=matrix')).json()) as { results: { kind: string; id: number }[] };
    expect(body.results.filter((r) => r.kind === 'asset').map((r) => r.id).sort((x, y) => x - y)).toEqual(allowed(key));
  });

  it('vector tiles carry only allowed features', async () => {
    const ids: number[] = [];
    // z14: single features (below it the layer's overview is drawn, tile-overview.test.ts)
    const tiles = [tileOf(...AT.in, 14), tileOf(...AT.out, 14)];
    expect(tiles[0]).not.toBe(tiles[1]); // 3 km apart: each feature is in one of them only
    for (const [layer, tile14] of LAYERS.flatMap((l) => tiles.map((t) => [l, t] as const))) {
      const res = await get(key, `/tiles/${SYSTEM[layer]}/${tile14}.mvt`);
      expect([200, 204]).toContain(res.status);
      expect(res.headers.get('cache-control')).toContain('private');
      if (res.status === 204) continue;
      const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
      const l = tile.layers[SYSTEM[layer]];
      for (let i = 0; i < (l?.length ?? 0); i++) ids.push(Number(l?.feature(i).properties.id));
    }
    expect(ids.sort((x, y) => x - y)).toEqual(allowed(key));
  });

  it('a sparse low-zoom tile (z12) still carries the allowed features one by one', async () => {
    const tile12 = tileOf(...AT.in, 12);
    expect(tileOf(...AT.out, 12)).toBe(tile12); // one z12 tile holds both fixture points
    const ids: number[] = [];
    for (const layer of LAYERS) {
      const res = await get(key, `/tiles/${SYSTEM[layer]}/${tile12}.mvt`);
      expect([200, 204]).toContain(res.status);
      if (res.status === 204) continue;
      const l = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers[SYSTEM[layer]];
      for (let i = 0; i < (l?.length ?? 0); i++) ids.push(Number(l?.feature(i).properties.id));
    }
    expect(ids.sort((x, y) => x - y)).toEqual(allowed(key));
  });

  it('the dataset list shows a layer when a feature of it is allowed or the organisation owns it', async () => {
    const body = (await (await get(key, '/api/datasets')).json()) as { datasets: { name: string; featureCount: number }[] };
    const expected = LAYERS.filter((l) => READ[l].in.includes(key) || READ[l].out.includes(key) || OWNERS.includes(key));
    expect(body.datasets.map((d) => d.name).sort()).toEqual([...expected].sort());
  });

  it('bulk export answers as the export table says', async () => {
    for (const layer of LAYERS) {
      const res = await get(key, `/api/datasets/${datasets.get(layer)}/export?format=geojson`);
      await res.arrayBuffer();
      expect([layer, res.status]).toEqual([layer, EXPORT[layer][key]]);
    }
  });

  it('the policy in TypeScript agrees with the same table', async () => {
    const userId = userIds.get(key);
    const p = userId === undefined ? null : await loadPrincipal(fx.db.pool, userId, 'token', 'write');
    const principal = p ?? ANONYMOUS;
    const org = await fx.db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'gem-a'");
    for (const layer of LAYERS) {
      for (const where of ['in', 'out'] as const) {
        const facts = {
          level: LEVEL[layer], ownerOrgIds: [org.rows[0]?.id ?? null], datasetId: datasets.get(layer) ?? null,
          inArea: principal.areas !== null && (key === 'expired' || where === 'in'),
          inShare: layer === 'c2shared' && principal.shares.some((s) => s.datasetId === datasets.get(layer)),
        };
        expect([layer, where, canReadRow(principal, facts)]).toEqual([layer, where, READ[layer][where].includes(key)]);
      }
    }
  });
});

describe('property: what the API returns is what the policy allows (fast-check)', () => {
  it('for random roles, project areas and shares of a partner user, search returns exactly the features the policy allows', async () => {
    const fc = await import('fast-check');
    const userId = userIds.get('partnerNoArea') ?? 0;
    const orgB = (await fx.db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'net-b'")).rows[0]?.id ?? 0;
    const orgA = (await fx.db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'gem-a'")).rows[0]?.id ?? 0;
    const token = tokens.get('partnerNoArea') ?? '';
    const box = fc.tuple(fc.integer({ min: 148_000, max: 154_000 }), fc.integer({ min: 448_000, max: 452_000 }), fc.integer({ min: 0, max: 4_000 }), fc.integer({ min: 0, max: 4_000 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('admin', 'analyst', 'area_manager', 'participant'), fc.option(box, { nil: null }), fc.boolean(), fc.boolean(),
        async (role, areaBox, shareC2, ownsOrg) => {
          const notices = fx.server.noticesSeen('auth');
          await fx.db.pool.query('UPDATE app_user SET role = $2, org_id = $3 WHERE id = $1', [userId, role, ownsOrg ? orgA : orgB]);
          await fx.db.pool.query('DELETE FROM area_assignment WHERE user_id = $1', [userId]);
          if (areaBox) await area(userId, [areaBox[0], areaBox[1], areaBox[0] + areaBox[2] + 1, areaBox[1] + areaBox[3] + 1]);
          await fx.db.pool.query("DELETE FROM dataset_share WHERE dataset_id = $1 AND org_id = $2", [datasets.get('c2') ?? 0, orgB]);
          if (shareC2) await fx.db.pool.query('INSERT INTO dataset_share (dataset_id, org_id, valid_until) VALUES ($1, $2, current_date + 1)', [datasets.get('c2') ?? 0, orgB]);
          const p = await loadPrincipal(fx.db.pool, userId, 'token', 'write');
          if (!p) throw new Error('user vanished');
          // the policy in TypeScript, with "in the area" decided by PostGIS for each feature
          const inArea = await fx.db.pool.query<{ id: number; hit: boolean }>(
            'SELECT a.id, ($1::geometry IS NOT NULL AND ST_Intersects(a.geom, $1::geometry)) AS hit FROM asset a', [p.areas]);
          const expected = inArea.rows.filter((r) => {
            const [layer] = features.get(r.id) ?? ['c0'];
            return canReadRow(p, { level: LEVEL[layer], ownerOrgIds: [orgA], datasetId: datasets.get(layer) ?? null, inArea: r.hit,
              inShare: p.shares.some((s) => s.datasetId === datasets.get(layer)) });
          }).map((r) => r.id).sort((x, y) => x - y);
          // the server's cached caller moves out when the 'auth' notices of these changes arrive
          await fx.server.waitForNotice('auth', notices);
          const body = (await (await fetch(`${fx.server.baseUrl}/api/search?q=matrix`, { headers: { authorization: `Bearer ${token}` } })).json()) as { results: { kind: string; id: number }[] };
          const got = body.results.filter((r) => r.kind === 'asset').map((r) => r.id).sort((x, y) => x - y);
          expect(got).toEqual(expected);
        }),
      { numRuns: 40, seed: 28992 },
    );
    await fx.db.pool.query('UPDATE app_user SET role = $2, org_id = $3 WHERE id = $1', [userId, 'analyst', orgB]);
    await fx.db.pool.query('DELETE FROM area_assignment WHERE user_id = $1', [userId]);
    await fx.db.pool.query('DELETE FROM dataset_share WHERE dataset_id = $1 AND org_id = $2', [datasets.get('c2') ?? 0, orgB]);
  });
});

describe('the audit log', () => {
  it('records reads of others\' C3 features (detail and search) and refused exports, and not the owner\'s own reads', async () => {
    await fx.db.pool.query('DELETE FROM audit_log');
    const c3in = [...features].find(([, [l, w]]) => l === 'c3' && w === 'in')?.[0];
    expect((await get('partnerInArea', `/api/assets/${c3in}`)).status).toBe(200);
    await (await get('partnerInArea', '/api/search?q=matrix c3')).arrayBuffer();
    expect((await get('partnerInArea', `/api/datasets/${datasets.get('c3')}/export?format=csv`)).status).toBe(403);
    expect((await get('ownerAnalyst', `/api/assets/${c3in}`)).status).toBe(200);
    const rows = (await fx.db.pool.query<{ action: string; result: string; user_id: number; object_id: string; detail: Record<string, unknown> }>(
      'SELECT action, result, user_id, object_id, detail FROM audit_log ORDER BY id')).rows;
    const partner = userIds.get('partnerInArea');
    expect(rows.filter((r) => r.user_id === partner).map((r) => [r.action, r.result])).toEqual([['read_c3', 'ok'], ['read_c3', 'ok'], ['export', 'denied']]);
    expect(rows.find((r) => r.detail.via === 'search')?.object_id).toBe(String(c3in));
    expect(rows.filter((r) => r.user_id === userIds.get('ownerAnalyst'))).toEqual([]);
  });
});

describe('the dataset list says what may be exported, as the export answers', () => {
  it('exportable is true exactly where the bulk export answers 200', async () => {
    for (const key of USERS) {
      const body = (await (await get(key, '/api/datasets')).json()) as { datasets: { id: number; exportable: unknown }[] };
      for (const d of body.datasets) {
        const layer = [...datasets].find(([, id]) => id === d.id)?.[0];
        if (!layer) continue;
        expect(typeof d.exportable).toBe('boolean');
        expect([key, layer, d.exportable]).toEqual([key, layer, EXPORT[layer][key] === 200]);
      }
    }
  });
});

