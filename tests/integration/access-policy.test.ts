/**
 * The policy matrix: users of every kind × layers of every confidentiality × every data route,
 * compared with ONE reference table written out below (not computed by the code under test).
 *
 * Fixture (SYNTHETIC, made here): organisation A owns five line layers, one per classification
 * (C0, C1, C2 shared with B, C2 not shared, C3), each with a feature inside B's project area
 * ("in") and one outside it ("out"). Users: A's admin, analyst and area manager; two analysts of
 * partner B (one assigned to the project area); an analyst of a contractor whose access ended
 * yesterday (assigned to an area covering everything); a participant; and anonymous.
 */
import type { Geometry } from 'geojson';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDataset, createToken, ensureOrganisation, shareDataset, upsertUser } from '../../api/src/auth/accounts.ts';
import { canReadRow, type Level } from '../../api/src/auth/policy.ts';
import { ANONYMOUS, loadPrincipal } from '../../api/src/auth/principal.ts';
import { loadSource } from '../../api/src/ingest/load/load-layer.ts';
import { reprojectGeometry } from '../../api/src/ingest/crs/reproject.ts';
import type { OpenedSource, SourceFeature } from '../../api/src/ingest/formats/types.ts';
import { EMPTY_MAPPING, type AssetMapping } from '../../api/src/model/asset-mapping.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';
import { contextSql, createAppPool } from '../../api/src/db/tenant-context.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { TEST_PASSWORD } from '../helpers/auth.ts';

const USERS = ['ownerAdmin', 'ownerAnalyst', 'ownerManager', 'partnerInArea', 'partnerNoArea', 'expired', 'participant', 'anonymous'] as const;
type UserKey = (typeof USERS)[number];
const LAYERS = ['c0', 'c1', 'c2shared', 'c2', 'c3'] as const;
type LayerKey = (typeof LAYERS)[number];
type Where = 'in' | 'out';

const OWNERS: UserKey[] = ['ownerAdmin', 'ownerAnalyst', 'ownerManager'];
const PARTNERS: UserKey[] = [...OWNERS, 'partnerInArea', 'partnerNoArea'];

/** THE reference: who may read each feature. */
const READ: Record<LayerKey, Record<Where, UserKey[]>> = {
  c0: { in: [...USERS], out: [...USERS] },
  c1: { in: PARTNERS, out: PARTNERS },
  c2shared: { in: PARTNERS, out: PARTNERS },
  c2: { in: OWNERS, out: OWNERS },
  c3: { in: [...OWNERS, 'partnerInArea'], out: OWNERS },
};

/** THE reference for bulk export of each layer: 200, or the refusal. */
const EXPORT: Record<LayerKey, Record<UserKey, 200 | 401 | 403 | 404>> = {
  c0: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 200, partnerNoArea: 200, expired: 403, participant: 403, anonymous: 401 },
  c1: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 200, partnerNoArea: 200, expired: 404, participant: 404, anonymous: 404 },
  c2shared: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 200, partnerNoArea: 200, expired: 404, participant: 404, anonymous: 404 },
  c2: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 404, partnerNoArea: 404, expired: 404, participant: 404, anonymous: 404 },
  // others' critical infrastructure is never exported in bulk, not even inside a project area
  c3: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 403, partnerNoArea: 404, expired: 404, participant: 404, anonymous: 404 },
};

/** THE reference for planned works (classified like layers; shares are for layers only). */
const WORKS = ['w-c0', 'w-c1', 'w-c2', 'w-c3-in', 'w-c3-out'] as const;
type WorkKey = (typeof WORKS)[number];
const READ_WORK: Record<WorkKey, UserKey[]> = {
  'w-c0': [...USERS], 'w-c1': PARTNERS, 'w-c2': OWNERS, 'w-c3-in': [...OWNERS, 'partnerInArea'], 'w-c3-out': OWNERS,
};
const workIds = new Map<number, WorkKey>();

const LEVEL: Record<LayerKey, Level> = { c0: 'C0', c1: 'C1', c2shared: 'C2', c2: 'C2', c3: 'C3' };
const SYSTEM: Record<LayerKey, SystemCode> = { c0: 'groen', c1: 'mobiliteit', c2shared: 'drinkwater', c2: 'telecom', c3: 'gas_ld' };
const AT: Record<Where, [number, number]> = { in: [150_000, 450_000], out: [153_000, 450_000] };

let db: TestDatabase;
let server: TestServer;
const tokens = new Map<UserKey, string>();
const userIds = new Map<UserKey, number>();
const datasets = new Map<LayerKey, number>();
/** asset id → [layer, where] */
const features = new Map<number, [LayerKey, Where]>();

function source(layer: LayerKey): OpenedSource {
  const f = (index: number, where: Where): SourceFeature => {
    const [x, y] = AT[where];
    const geometry: Geometry = { type: 'LineString', coordinates: [[x, y], [x + 20, y + 10]] };
    return { index, geometry, properties: { id: `${layer}-${where}`, naam: `matrix ${layer} ${where}` } };
  };
  return {
    format: 'geojson', fileName: `${layer}.geojson`, layerName: layer,
    crs: { epsg: 28992, source: 'geojson-crs', guessed: false, detail: 'test' },
    fields: [{ name: 'id', type: 'string' }, { name: 'naam', type: 'string' }], featureCountHint: 2,
    async *features() {
      yield [f(1, 'in'), f(2, 'out')];
    },
    progress: () => ({ bytesRead: 0, bytesTotal: 0 }),
    close: async () => undefined,
  };
}

async function user(key: UserKey, org: string, role: string): Promise<number> {
  const email = `${key.toLowerCase()}@matrix.test`;
  const id = await upsertUser(db.pool, { org, role, email, password: TEST_PASSWORD });
  userIds.set(key, id);
  tokens.set(key, (await createToken(db.pool, email, 'write', 'matrix')).token);
  return id;
}

async function area(userId: number, box: [number, number, number, number]): Promise<void> {
  await db.pool.query(
    `INSERT INTO area_assignment (user_id, name, geom, valid_until) VALUES ($1, 'project', ST_Multi(ST_MakeEnvelope($2, $3, $4, $5, 28992)), current_date + 7)`,
    [userId, ...box]);
}

beforeAll(async () => {
  db = await createTestDatabase('it_access');
  server = await startTestServer(db.pool);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const a = await ensureOrganisation(db.pool, { slug: 'gem-a', name: 'Gemeente A', kind: 'gemeente' });
  await ensureOrganisation(db.pool, { slug: 'net-b', name: 'Netbeheerder B', kind: 'netbeheerder' });
  await ensureOrganisation(db.pool, { slug: 'aannemer-c', name: 'Aannemer C', kind: 'aannemer', activeUntil: yesterday });
  await ensureOrganisation(db.pool, { slug: 'bewoners', name: 'Bewoners', kind: 'overig' });
  await user('ownerAdmin', 'gem-a', 'admin');
  await user('ownerAnalyst', 'gem-a', 'analyst');
  await user('ownerManager', 'gem-a', 'area_manager');
  await area(await user('partnerInArea', 'net-b', 'analyst'), [149_900, 449_900, 150_100, 450_100]);
  await user('partnerNoArea', 'net-b', 'analyst');
  await area(await user('expired', 'aannemer-c', 'analyst'), [140_000, 440_000, 160_000, 460_000]);
  await user('participant', 'bewoners', 'participant');
  const mapping = (layer: LayerKey): AssetMapping => ({ ...EMPTY_MAPPING, system: { value: SYSTEM[layer] }, sourceId: { field: 'id' }, label: { field: 'naam' } });
  for (const layer of LAYERS) {
    const report = await loadSource(db.pool, source(layer), { srid: 28992, mapping: mapping(layer), layerName: layer, invalid: 'skip', ownerId: a });
    datasets.set(layer, report.layer.datasetId);
    await classifyDataset(db.pool, report.layer.datasetId, LEVEL[layer]);
  }
  await shareDataset(db.pool, datasets.get('c2shared') ?? 0, 'net-b', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  for (const w of WORKS) {
    const [x, y] = AT[w.endsWith('out') ? 'out' : 'in'];
    const level = w.slice(2, 4).toUpperCase();
    const r = await db.pool.query<{ id: number }>(
      `INSERT INTO work (source_kind, source_id, owner_id, title, content_hash, confidentiality, geom)
       VALUES ('file', $1, $2, $3, 'fixture', $4, ST_Buffer(ST_SetSRID(ST_MakePoint($5, $6), 28992), 5)) RETURNING id`,
      [w, a, `matrix werk ${w}`, level, x, y]);
    workIds.set(r.rows[0]?.id ?? 0, w);
  }
  const r = await db.pool.query<{ id: number; sid: string }>("SELECT id, split_part(source_id, '/', 2) AS sid FROM asset");
  for (const row of r.rows) {
    const [layer, where] = row.sid.split('-') as [LayerKey, Where];
    features.set(row.id, [layer, where]);
  }
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

function get(key: UserKey, p: string): Promise<Response> {
  const token = tokens.get(key);
  return fetch(server.baseUrl + p, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

/** asset ids the reference table allows this user to read */
function allowed(key: UserKey): number[] {
  return [...features].filter(([, [layer, where]]) => READ[layer][where].includes(key)).map(([id]) => id).sort((x, y) => x - y);
}

/** The z/x/y of the web-mercator tile holding an RD New point (through the product's own proj4 set-up). */
function tileOf(x: number, y: number, z: number): string {
  const g = reprojectGeometry({ type: 'Point', coordinates: [x, y] }, 28992, 4326) as { coordinates: number[] };
  const [lon = 0, lat = 0] = g.coordinates;
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return `${z}/${Math.floor(((lon + 180) / 360) * n)}/${Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)}`;
}

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
    const tile12 = tileOf(...AT.in, 12);
    expect(tileOf(...AT.out, 12)).toBe(tile12); // one tile holds both fixture points
    for (const layer of LAYERS) {
      const res = await get(key, `/tiles/${SYSTEM[layer]}/${tile12}.mvt`);
      expect([200, 204]).toContain(res.status);
      expect(res.headers.get('cache-control')).toContain('private');
      if (res.status === 204) continue;
      const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
      const l = tile.layers[SYSTEM[layer]];
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
    const p = userId === undefined ? null : await loadPrincipal(db.pool, userId, 'token', 'write');
    const principal = p ?? ANONYMOUS;
    const org = await db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'gem-a'");
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
    const orgB = (await db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'net-b'")).rows[0]?.id ?? 0;
    const orgA = (await db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'gem-a'")).rows[0]?.id ?? 0;
    const token = tokens.get('partnerNoArea') ?? '';
    const box = fc.tuple(fc.integer({ min: 148_000, max: 154_000 }), fc.integer({ min: 448_000, max: 452_000 }), fc.integer({ min: 0, max: 4_000 }), fc.integer({ min: 0, max: 4_000 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('admin', 'analyst', 'area_manager', 'participant'), fc.option(box, { nil: null }), fc.boolean(), fc.boolean(),
        async (role, areaBox, shareC2, ownsOrg) => {
          await db.pool.query('UPDATE app_user SET role = $2, org_id = $3 WHERE id = $1', [userId, role, ownsOrg ? orgA : orgB]);
          await db.pool.query('DELETE FROM area_assignment WHERE user_id = $1', [userId]);
          if (areaBox) await area(userId, [areaBox[0], areaBox[1], areaBox[0] + areaBox[2] + 1, areaBox[1] + areaBox[3] + 1]);
          await db.pool.query("DELETE FROM dataset_share WHERE dataset_id = $1 AND org_id = $2", [datasets.get('c2') ?? 0, orgB]);
          if (shareC2) await db.pool.query('INSERT INTO dataset_share (dataset_id, org_id, valid_until) VALUES ($1, $2, current_date + 1)', [datasets.get('c2') ?? 0, orgB]);
          const p = await loadPrincipal(db.pool, userId, 'token', 'write');
          if (!p) throw new Error('user vanished');
          // the policy in TypeScript, with "in the area" decided by PostGIS for each feature
          const inArea = await db.pool.query<{ id: number; hit: boolean }>(
            'SELECT a.id, ($1::geometry IS NOT NULL AND ST_Intersects(a.geom, $1::geometry)) AS hit FROM asset a', [p.areas]);
          const expected = inArea.rows.filter((r) => {
            const [layer] = features.get(r.id) ?? ['c0'];
            return canReadRow(p, { level: LEVEL[layer], ownerOrgIds: [orgA], datasetId: datasets.get(layer) ?? null, inArea: r.hit,
              inShare: p.shares.some((s) => s.datasetId === datasets.get(layer)) });
          }).map((r) => r.id).sort((x, y) => x - y);
          const body = (await (await fetch(`${server.baseUrl}/api/search?q=matrix`, { headers: { authorization: `Bearer ${token}` } })).json()) as { results: { kind: string; id: number }[] };
          const got = body.results.filter((r) => r.kind === 'asset').map((r) => r.id).sort((x, y) => x - y);
          expect(got).toEqual(expected);
        }),
      { numRuns: 40, seed: 28992 },
    );
    await db.pool.query('UPDATE app_user SET role = $2, org_id = $3 WHERE id = $1', [userId, 'analyst', orgB]);
    await db.pool.query('DELETE FROM area_assignment WHERE user_id = $1', [userId]);
    await db.pool.query('DELETE FROM dataset_share WHERE dataset_id = $1 AND org_id = $2', [datasets.get('c2') ?? 0, orgB]);
  });
});

describe('the audit log', () => {
  it('records reads of others\' C3 features (detail and search) and refused exports, and not the owner\'s own reads', async () => {
    await db.pool.query('DELETE FROM audit_log');
    const c3in = [...features].find(([, [l, w]]) => l === 'c3' && w === 'in')?.[0];
    expect((await get('partnerInArea', `/api/assets/${c3in}`)).status).toBe(200);
    await (await get('partnerInArea', '/api/search?q=matrix c3')).arrayBuffer();
    expect((await get('partnerInArea', `/api/datasets/${datasets.get('c3')}/export?format=csv`)).status).toBe(403);
    expect((await get('ownerAnalyst', `/api/assets/${c3in}`)).status).toBe(200);
    const rows = (await db.pool.query<{ action: string; result: string; user_id: number; object_id: string; detail: Record<string, unknown> }>(
      'SELECT action, result, user_id, object_id, detail FROM audit_log ORDER BY id')).rows;
    const partner = userIds.get('partnerInArea');
    expect(rows.filter((r) => r.user_id === partner).map((r) => [r.action, r.result])).toEqual([['read_c3', 'ok'], ['read_c3', 'ok'], ['export', 'denied']]);
    expect(rows.find((r) => r.detail.via === 'search')?.object_id).toBe(String(c3in));
    expect(rows.filter((r) => r.user_id === userIds.get('ownerAnalyst'))).toEqual([]);
  });
});

describe('row-level security: the second wall, read from the catalog and tried without the application', () => {
  const TENANT_TABLES = ['asset', 'asset_shared', 'dataset', 'work', 'dataset_share', 'area_assignment', 'audit_log',
    'app_user', 'user_session', 'api_token', 'password_reset'];

  it('is enabled and forced on every tenant table, file-layer partitions included', async () => {
    const r = await db.pool.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
       WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND (relname = ANY($1) OR relname LIKE 'asset\\_file\\_%')`,
      [TENANT_TABLES]);
    const names = r.rows.map((x) => x.relname);
    for (const t of TENANT_TABLES) expect(names).toContain(t);
    expect(names.filter((n) => n.startsWith('asset_file_'))).toHaveLength(LAYERS.length);
    for (const row of r.rows) expect([row.relname, row.relrowsecurity, row.relforcerowsecurity]).toEqual([row.relname, true, true]);
  });

  it('the application role has no BYPASSRLS, is no superuser and owns no table; the server acts as it', async () => {
    const role = await db.pool.query<{ rolbypassrls: boolean; rolsuper: boolean; owned: number }>(
      `SELECT r.rolbypassrls, r.rolsuper, (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
       FROM pg_roles r WHERE r.rolname = 'samenhang_app'`);
    expect(role.rows[0]).toEqual({ rolbypassrls: false, rolsuper: false, owned: 0 });
    const app = createAppPool((db.pool as unknown as { options: { connectionString: string } }).options.connectionString, 1);
    try {
      expect((await app.query<{ u: string }>('SELECT current_user AS u')).rows[0]?.u).toBe('samenhang_app');
    } finally {
      await app.end();
    }
  });

  it('a query that forgets the policy still only gets the rows the caller may see', async () => {
    const app = createAppPool((db.pool as unknown as { options: { connectionString: string } }).options.connectionString, 1);
    const as = async (ctx: Parameters<typeof contextSql>[0], sql: string): Promise<number> => {
      const c = await app.connect();
      try {
        await c.query(`BEGIN; ${contextSql(ctx)}`);
        const r = await c.query<{ n: number }>(sql);
        await c.query('ROLLBACK');
        return r.rows[0]?.n ?? -1;
      } finally {
        c.release();
      }
    };
    try {
      const nobody = { system: false, partner: false, orgId: null, userId: null, admin: false, areas: null };
      const orgB = (await db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'net-b'")).rows[0]?.id ?? 0;
      const partnerB = { ...nobody, partner: true, orgId: orgB };
      // no WHERE at all: the database alone decides
      expect(await as(nobody, 'SELECT count(*)::int AS n FROM asset')).toBe(2); // C0 in + out
      expect(await as(partnerB, 'SELECT count(*)::int AS n FROM asset')).toBe(6); // C0, C1, C2 shared with B
      expect(await as(nobody, 'SELECT count(*)::int AS n FROM asset_shared')).toBe(0);
      expect(await as(partnerB, 'SELECT count(*)::int AS n FROM area_assignment')).toBe(0);
      expect(await as(partnerB, "SELECT count(*)::int AS n FROM dataset WHERE confidentiality = 'C2'")).toBe(1); // only the shared one
      expect(await as({ ...nobody, system: true }, 'SELECT count(*)::int AS n FROM asset')).toBe(10);
      await expect(as(partnerB, "INSERT INTO dataset (name, source_kind, source_ref, content_sha256) VALUES ('x', 'file', 'x', 'x') RETURNING 1 AS n"))
        .rejects.toThrow(/row-level security/);
    } finally {
      await app.end();
    }
  });
});

describe('row-level security keeps spatial indexes usable', () => {
  it('&& is LEAKPROOF, so under RLS a bounding-box query still goes through the GiST index', async () => {
    const leak = await db.pool.query<{ proleakproof: boolean }>("SELECT proleakproof FROM pg_proc WHERE oid = 'geometry_overlaps(geometry, geometry)'::regprocedure");
    expect(leak.rows[0]?.proleakproof).toBe(true);
    const app = createAppPool((db.pool as unknown as { options: { connectionString: string } }).options.connectionString, 1);
    const c = await app.connect();
    try {
      await c.query(`BEGIN; ${contextSql({ system: false, partner: true, orgId: null, userId: null, admin: false, areas: null })}; SET LOCAL enable_seqscan = off`);
      const plan = await c.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN SELECT id FROM asset WHERE geom && ST_MakeEnvelope(149000, 449000, 151000, 451000, 28992)');
      await c.query('ROLLBACK');
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan (using|on) \S*geom\S*/); // the GiST of a layer partition
      expect(text).not.toMatch(/Seq Scan on asset/);
    } finally {
      c.release();
      await app.end();
    }
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

describe('npm run admin -- assign-area', () => {
  it('gives a user a project area from a GeoJSON file in WGS84, after which others\' C3 there is visible', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const pathMod = await import('node:path');
    const [x, y] = AT.in;
    const ring = [[x - 50, y - 50], [x + 50, y - 50], [x + 50, y + 50], [x - 50, y + 50], [x - 50, y - 50]];
    const wgs = reprojectGeometry({ type: 'Polygon', coordinates: [ring] }, 28992, 4326);
    const file = pathMod.join(await mkdtemp(pathMod.join(os.tmpdir(), 'area-')), 'gebied.geojson');
    await writeFile(file, JSON.stringify({ type: 'Feature', properties: {}, geometry: wgs }));
    const c3in = [...features].find(([, [l, w]]) => l === 'c3' && w === 'in')?.[0];
    expect((await get('partnerNoArea', `/api/assets/${c3in}`)).status).toBe(404);
    const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli/admin.ts', 'assign-area', '--email', 'partnernoarea@matrix.test',
      '--name', 'Proef', '--until', '2099-12-31', '--file', file], { cwd: pathMod.resolve(import.meta.dirname, '..', '..'), env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('project area "Proef" assigned');
    expect((await get('partnerNoArea', `/api/assets/${c3in}`)).status).toBe(200);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli/admin.ts', 'assign-area', '--email', 'partnernoarea@matrix.test',
      '--name', 'Fout', '--until', '2099-12-31', '--works', 'x'], { cwd: pathMod.resolve(import.meta.dirname, '..', '..'), env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--works is a comma-separated list of work ids');
    await db.pool.query("DELETE FROM area_assignment WHERE name = 'Proef'");
  });
});
