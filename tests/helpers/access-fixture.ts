/**
 * The access-control fixture (SYNTHETIC, made here): organisation A owns five line layers, one per
 * classification (C0, C1, C2 shared with B, C2 not shared, C3), each with a feature inside B's
 * project area ("in") and one outside it ("out"), and five planned works. Users: A's admin,
 * analyst and area manager; two analysts of partner B (one assigned to the project area); an
 * analyst of a contractor whose access ended yesterday (assigned to an area covering everything);
 * a participant; and anonymous. The reference tables below are THE expected answers, written out
 * by hand, not computed by the code under test.
 */
import type { Geometry } from 'geojson';
import { classifyDataset, createToken, ensureOrganisation, shareDataset, upsertUser } from '../../api/src/auth/accounts.ts';
import type { Level } from '../../api/src/auth/policy.ts';
import { reprojectGeometry } from '../../api/src/ingest/crs/reproject.ts';
import type { OpenedSource, SourceFeature } from '../../api/src/ingest/formats/types.ts';
import { loadSource } from '../../api/src/ingest/load/load-layer.ts';
import { EMPTY_MAPPING, type AssetMapping } from '../../api/src/model/asset-mapping.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';
import { TEST_PASSWORD } from './auth.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { startTestServer, type TestServer } from './server.ts';

export const USERS = ['ownerAdmin', 'ownerAnalyst', 'ownerManager', 'partnerInArea', 'partnerNoArea', 'expired', 'participant', 'anonymous'] as const;
export type UserKey = (typeof USERS)[number];
export const LAYERS = ['c0', 'c1', 'c2shared', 'c2', 'c3'] as const;
export type LayerKey = (typeof LAYERS)[number];
export type Where = 'in' | 'out';

export const OWNERS: UserKey[] = ['ownerAdmin', 'ownerAnalyst', 'ownerManager'];
export const PARTNERS: UserKey[] = [...OWNERS, 'partnerInArea', 'partnerNoArea'];

/** THE reference: who may read each feature. */
export const READ: Record<LayerKey, Record<Where, UserKey[]>> = {
  c0: { in: [...USERS], out: [...USERS] },
  c1: { in: PARTNERS, out: PARTNERS },
  c2shared: { in: PARTNERS, out: PARTNERS },
  c2: { in: OWNERS, out: OWNERS },
  c3: { in: [...OWNERS, 'partnerInArea'], out: OWNERS },
};

/** THE reference for bulk export of each layer: 200, or the refusal. */
export const EXPORT: Record<LayerKey, Record<UserKey, 200 | 401 | 403 | 404>> = {
  c0: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 200, partnerNoArea: 200, expired: 403, participant: 403, anonymous: 401 },
  c1: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 200, partnerNoArea: 200, expired: 404, participant: 404, anonymous: 404 },
  c2shared: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 200, partnerNoArea: 200, expired: 404, participant: 404, anonymous: 404 },
  c2: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 404, partnerNoArea: 404, expired: 404, participant: 404, anonymous: 404 },
  // others' critical infrastructure is never exported in bulk, not even inside a project area
  c3: { ownerAdmin: 200, ownerAnalyst: 200, ownerManager: 200, partnerInArea: 403, partnerNoArea: 404, expired: 404, participant: 404, anonymous: 404 },
};

/** THE reference for planned works (classified like layers; shares are for layers only). */
export const WORKS = ['w-c0', 'w-c1', 'w-c2', 'w-c3-in', 'w-c3-out'] as const;
export type WorkKey = (typeof WORKS)[number];
export const READ_WORK: Record<WorkKey, UserKey[]> = {
  'w-c0': [...USERS], 'w-c1': PARTNERS, 'w-c2': OWNERS, 'w-c3-in': [...OWNERS, 'partnerInArea'], 'w-c3-out': OWNERS,
};
export const workIds = new Map<number, WorkKey>();

export const LEVEL: Record<LayerKey, Level> = { c0: 'C0', c1: 'C1', c2shared: 'C2', c2: 'C2', c3: 'C3' };
export const SYSTEM: Record<LayerKey, SystemCode> = { c0: 'groen', c1: 'mobiliteit', c2shared: 'drinkwater', c2: 'telecom', c3: 'gas_ld' };
export const AT: Record<Where, [number, number]> = { in: [150_000, 450_000], out: [153_000, 450_000] };

/** db and server of the current test file (set by setUpAccessFixture) */
export const fx = { db: undefined as unknown as TestDatabase, server: undefined as unknown as TestServer };
export const tokens = new Map<UserKey, string>();
export const userIds = new Map<UserKey, number>();
export const datasets = new Map<LayerKey, number>();
/** asset id → [layer, where] */
export const features = new Map<number, [LayerKey, Where]>();

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
  const id = await upsertUser(fx.db.pool, { org, role, email, password: TEST_PASSWORD });
  userIds.set(key, id);
  tokens.set(key, (await createToken(fx.db.pool, email, 'write', 'matrix')).token);
  return id;
}

export async function area(userId: number, box: [number, number, number, number]): Promise<void> {
  await fx.db.pool.query(
    `INSERT INTO area_assignment (user_id, name, geom, valid_until) VALUES ($1, 'project', ST_Multi(ST_MakeEnvelope($2, $3, $4, $5, 28992)), current_date + 7)`,
    [userId, ...box]);
}

/** A fresh database with the fixture and the real API on it (one per test file). */
export async function setUpAccessFixture(prefix: string): Promise<void> {
  fx.db = await createTestDatabase(prefix);
  fx.server = await startTestServer(fx.db.pool);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const a = await ensureOrganisation(fx.db.pool, { slug: 'gem-a', name: 'Gemeente A', kind: 'gemeente' });
  await ensureOrganisation(fx.db.pool, { slug: 'net-b', name: 'Netbeheerder B', kind: 'netbeheerder' });
  await ensureOrganisation(fx.db.pool, { slug: 'aannemer-c', name: 'Aannemer C', kind: 'aannemer', activeUntil: yesterday });
  await ensureOrganisation(fx.db.pool, { slug: 'bewoners', name: 'Bewoners', kind: 'overig' });
  await user('ownerAdmin', 'gem-a', 'admin');
  await user('ownerAnalyst', 'gem-a', 'analyst');
  await user('ownerManager', 'gem-a', 'area_manager');
  await area(await user('partnerInArea', 'net-b', 'analyst'), [149_900, 449_900, 150_100, 450_100]);
  await user('partnerNoArea', 'net-b', 'analyst');
  await area(await user('expired', 'aannemer-c', 'analyst'), [140_000, 440_000, 160_000, 460_000]);
  await user('participant', 'bewoners', 'participant');
  const mapping = (layer: LayerKey): AssetMapping => ({ ...EMPTY_MAPPING, system: { value: SYSTEM[layer] }, sourceId: { field: 'id' }, label: { field: 'naam' } });
  for (const layer of LAYERS) {
    const report = await loadSource(fx.db.pool, source(layer), { srid: 28992, mapping: mapping(layer), layerName: layer, invalid: 'skip', ownerId: a });
    datasets.set(layer, report.layer.datasetId);
    await classifyDataset(fx.db.pool, report.layer.datasetId, LEVEL[layer]);
  }
  await shareDataset(fx.db.pool, datasets.get('c2shared') ?? 0, 'net-b', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  for (const w of WORKS) {
    const [x, y] = AT[w.endsWith('out') ? 'out' : 'in'];
    const level = w.slice(2, 4).toUpperCase();
    const r = await fx.db.pool.query<{ id: number }>(
      `INSERT INTO work (source_kind, source_id, owner_id, title, content_hash, confidentiality, geom)
       VALUES ('file', $1, $2, $3, 'fixture', $4, ST_Buffer(ST_SetSRID(ST_MakePoint($5, $6), 28992), 5)) RETURNING id`,
      [w, a, `matrix werk ${w}`, level, x, y]);
    workIds.set(r.rows[0]?.id ?? 0, w);
  }
  const r = await fx.db.pool.query<{ id: number; sid: string }>("SELECT id, split_part(source_id, '/', 2) AS sid FROM asset");
  for (const row of r.rows) {
    const [layer, where] = row.sid.split('-') as [LayerKey, Where];
    features.set(row.id, [layer, where]);
  }
}

export async function tearDownAccessFixture(): Promise<void> {
  await fx.server.close();
  await fx.db.drop();
}

export function get(key: UserKey, p: string): Promise<Response> {
  const token = tokens.get(key);
  return fetch(fx.server.baseUrl + p, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

/** asset ids the reference table allows this user to read */
export function allowed(key: UserKey): number[] {
  return [...features].filter(([, [layer, where]]) => READ[layer][where].includes(key)).map(([id]) => id).sort((x, y) => x - y);
}

/** The z/x/y of the web-mercator tile holding an RD New point (through the product's own proj4 set-up). */
export function tileOf(x: number, y: number, z: number): string {
  const g = reprojectGeometry({ type: 'Point', coordinates: [x, y] }, 28992, 4326) as { coordinates: number[] };
  const [lon = 0, lat = 0] = g.coordinates;
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return `${z}/${Math.floor(((lon + 180) / 360) * n)}/${Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)}`;
}
