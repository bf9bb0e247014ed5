/**
 * The load pipeline (COPY → validate → skip/repair → upsert) against a real PostGIS. The sources
 * here are SYNTHETIC in-memory features (small hostile geometries made up for the test), so each
 * validation rule and the all-or-nothing behaviour can be shown in isolation; real files are
 * covered in generic-import.test.ts.
 */
import type { Geometry } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSource, ImportCancelled } from '../../api/src/ingest/load/load-layer.ts';
import type { OpenedSource, SourceFeature } from '../../api/src/ingest/formats/types.ts';
import { EMPTY_MAPPING, type AssetMapping } from '../../api/src/model/asset-mapping.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('it_load');
});
afterAll(async () => {
  await db.drop();
});

const MAPPING: AssetMapping = { ...EMPTY_MAPPING, system: { value: 'riool_vrijverval' }, sourceId: { field: 'id' }, material: { field: 'mat' } };

function line(x: number, y: number): Geometry {
  return { type: 'LineString', coordinates: [[x, y], [x + 10, y + 5]] };
}

function source(features: SourceFeature[], opts: { failAt?: number } = {}): OpenedSource {
  return {
    format: 'geojson', fileName: 'synthetic.geojson', layerName: 'synthetic',
    crs: { epsg: 28992, source: 'geojson-crs', guessed: false, detail: 'test' },
    fields: [{ name: 'id', type: 'string' }, { name: 'mat', type: 'string' }], featureCountHint: features.length,
    async *features() {
      // batches of 2 so that progress and cancellation are seen between batches
      for (let i = 0; i < features.length; i += 2) {
        if (opts.failAt !== undefined && i + 2 > opts.failAt) throw new Error(`synthetic.geojson: unexpected end of JSON at feature ${opts.failAt + 1}`);
        yield features.slice(i, i + 2);
      }
    },
    progress: () => ({ bytesRead: 0, bytesTotal: 0 }),
    close: async () => undefined,
  };
}

const feature = (index: number, geometry: Geometry | null, id = `s${index}`, mat = 'PVC'): SourceFeature => ({ index, geometry, properties: { id, mat } });

const HOSTILE: SourceFeature[] = [
  feature(1, line(190000, 350000)),
  feature(2, { type: 'LineString', coordinates: [[190000, 350000], [Number.NaN, 350010]] }),
  feature(3, { type: 'Polygon', coordinates: [[[190000, 350000], [190010, 350000], [190010, 350010], [190000, 350010]]] }), // unclosed
  feature(4, { type: 'Polygon', coordinates: [[[190000, 350000], [190010, 350010], [190010, 350000], [190000, 350010], [190000, 350000]]] }), // bow-tie
  feature(5, { type: 'LineString', coordinates: [[190000, 350000]] }),
  feature(6, line(1e15, 350000)),
  feature(7, line(10, 10)), // RD New coordinates far outside the Netherlands
  feature(8, null),
];

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await db.pool.query<{ n: number }>(sql, params)).rows[0]?.n ?? -1;
}

describe('validation never repairs silently', () => {
  it('skip: every bad feature is rejected with its number and reason', async () => {
    const r = await loadSource(db.pool, source(HOSTILE), { srid: 28992, mapping: MAPPING, layerName: 'hostile-skip', invalid: 'skip' });
    expect(r.loaded).toBe(1);
    expect(r.rejectedCount).toBe(7);
    const reasons = Object.fromEntries(r.rejected.map((x) => [x.index, x.reason]));
    expect(reasons[2]).toMatch(/NaN or Infinity/);
    expect(reasons[3]).toMatch(/not closed/);
    expect(reasons[4]).toMatch(/Self-intersection/); // PostGIS ST_IsValidDetail's own words
    expect(reasons[5]).toMatch(/Too few points/);
    expect(reasons[6]).toMatch(/Absurd coordinate/);
    expect(reasons[7]).toMatch(/Outside the Netherlands/);
    expect(reasons[8]).toMatch(/no geometry/);
    expect(await count("SELECT count(*)::int AS n FROM asset WHERE source_kind = 'file'")).toBe(1);
  });

  it('repair: the unclosed ring is closed and the bow-tie made valid, and the report says so', async () => {
    const r = await loadSource(db.pool, source(HOSTILE), { srid: 28992, mapping: MAPPING, layerName: 'hostile-repair', invalid: 'repair' });
    expect(r.loaded).toBe(3);
    expect(r.repaired.map((x) => x.index).sort()).toEqual([3, 4]);
    expect(r.repaired.find((x) => x.index === 4)?.reason).toMatch(/Self-intersection.*ST_MakeValid/);
    expect(r.rejected.map((x) => x.index).sort()).toEqual([2, 5, 6, 7, 8]);
    const valid = await count(`SELECT count(*)::int AS n FROM asset a JOIN dataset d ON d.id = a.dataset_id
                               WHERE d.layer_name = 'hostile-repair' AND ST_IsValid(a.geom)`);
    expect(valid).toBe(3);
  });
});

describe('all-or-nothing', () => {
  it('a file that breaks half-way leaves no dataset and no assets', async () => {
    const features = Array.from({ length: 10 }, (_, i) => feature(i + 1, line(190000 + i * 20, 350000)));
    const before = await count('SELECT count(*)::int AS n FROM asset');
    await expect(loadSource(db.pool, source(features, { failAt: 6 }), { srid: 28992, mapping: MAPPING, layerName: 'broken', invalid: 'skip' }))
      .rejects.toThrow(/unexpected end of JSON at feature 7/);
    expect(await count("SELECT count(*)::int AS n FROM dataset WHERE layer_name = 'broken'")).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM asset')).toBe(before);
  });

  it('a cancelled load leaves nothing', async () => {
    const features = Array.from({ length: 10 }, (_, i) => feature(i + 1, line(190000 + i * 20, 350000)));
    const controller = new AbortController();
    const p = loadSource(db.pool, source(features), {
      srid: 28992, mapping: MAPPING, layerName: 'cancelled', invalid: 'skip', signal: controller.signal,
      onProgress: (pr) => { if (pr.parsed >= 4) controller.abort(); },
    });
    await expect(p).rejects.toBeInstanceOf(ImportCancelled);
    expect(await count("SELECT count(*)::int AS n FROM dataset WHERE layer_name = 'cancelled'")).toBe(0);
  });
});

describe('a source id that repeats in the file', () => {
  it('loads every feature and lists the repeats under attention', async () => {
    const features = [1, 2, 3, 4, 5].map((i) => feature(i, line(193000 + i * 20, 352000), i % 2 === 0 ? 'boom-12' : `b${i}`));
    const r = await loadSource(db.pool, source(features), { srid: 28992, mapping: MAPPING, layerName: 'repeats', invalid: 'skip' });
    expect(r).toMatchObject({ loaded: 5, new: 5, rejectedCount: 0, attentionCount: 1 });
    expect(r.attention).toEqual([{ index: 4, reason: 'Source id boom-12 is not unique in the file; stored as boom-12~4' }]);
    const ids = await db.pool.query<{ source_id: string }>('SELECT source_id FROM asset WHERE dataset_id = $1 ORDER BY source_id', [r.layer.datasetId]);
    expect(ids.rows.map((x) => x.source_id.split('/')[1])).toEqual(['b1', 'b3', 'b5', 'boom-12', 'boom-12~4']);
  });
});

async function ids(datasetId: number): Promise<Map<string, { id: string; updated: string }>> {
  const r = await db.pool.query<{ sid: string; id: string; updated: string }>(
    "SELECT split_part(source_id, '/', 2) AS sid, id::text, updated_at::text AS updated FROM asset WHERE dataset_id = $1", [datasetId]);
  return new Map(r.rows.map((x) => [x.sid, { id: x.id, updated: x.updated }]));
}

describe('re-importing a newer file of the same layer', () => {
  it('updates by source id, removes what is gone, and duplicates nothing', async () => {
    const v1 = Array.from({ length: 5 }, (_, i) => feature(i + 1, line(191000 + i * 20, 351000)));
    const first = await loadSource(db.pool, source(v1), { srid: 28992, mapping: MAPPING, layerName: 'riool-export', invalid: 'skip' });
    expect(first).toMatchObject({ new: 5, updated: 0, unchanged: 0, removed: 0 });
    const before = await ids(first.layer.datasetId);
    // newer export: s2 got a new material, s5 was removed, s6 is new
    const v2 = [...v1.slice(0, 4), feature(6, line(192000, 351000), 's6')];
    v2[1] = feature(2, line(191020, 351000), 's2', 'PE');
    const second = await loadSource(db.pool, source(v2), { srid: 28992, mapping: MAPPING, layerName: 'riool-export', invalid: 'skip' });
    expect(second).toMatchObject({ new: 1, updated: 1, unchanged: 3, removed: 1 });
    expect(second.layer.datasetId).toBe(first.layer.datasetId);
    expect(await count('SELECT count(*)::int AS n FROM asset WHERE dataset_id = $1', [first.layer.datasetId])).toBe(5);
    expect(await count("SELECT count(*)::int AS n FROM asset WHERE dataset_id = $1 AND material = 'PE'", [first.layer.datasetId])).toBe(1);
    const stored = await db.pool.query('SELECT mapping FROM dataset WHERE id = $1', [first.layer.datasetId]);
    expect(stored.rows[0].mapping).toEqual(MAPPING);
    // an asset that is still there keeps its id (links to it stay valid); an unchanged one its update time
    const after = await ids(first.layer.datasetId);
    for (const sid of ['s1', 's2', 's3', 's4']) expect(after.get(sid)?.id).toBe(before.get(sid)?.id);
    expect(after.get('s1')?.updated).toBe(before.get('s1')?.updated);
    expect(after.get('s2')?.updated).not.toBe(before.get('s2')?.updated);
    expect(after.has('s5')).toBe(false);
    expect(before.has('s6')).toBe(false);
  });
});

describe('attributes keep what no model column holds as delivered (decision 106)', () => {
  it('a mapped value its column holds is not stored twice; one the column holds otherwise is kept', async () => {
    const features: SourceFeature[] = [
      { index: 1, geometry: line(193000, 351000), properties: { id: 'a1', mat: 'PVC', lengte: 12.5 } },
      { index: 2, geometry: line(193020, 351000), properties: { id: 'a2', mat: ' PE ', lengte: null } },
    ];
    const r = await loadSource(db.pool, source(features), { srid: 28992, mapping: MAPPING, layerName: 'held-attributes', invalid: 'skip' });
    const rows = await db.pool.query<{ sid: string; material: string; attributes: unknown }>(
      "SELECT split_part(source_id, '/', 2) AS sid, material, attributes FROM asset WHERE dataset_id = $1 ORDER BY source_id", [r.layer.datasetId]);
    expect(rows.rows).toEqual([
      { sid: 'a1', material: 'PVC', attributes: { id: 'a1', lengte: 12.5 } },
      { sid: 'a2', material: 'PE', attributes: { id: 'a2', mat: ' PE ', lengte: null } },
    ]);
    // the same file again is unchanged: what is compared is stored the same way
    const again = await loadSource(db.pool, source(features), { srid: 28992, mapping: MAPPING, layerName: 'held-attributes', invalid: 'skip' });
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 2, removed: 0 });
  });
});

describe('a layer partition names its systems', () => {
  it('so a query for one system does not scan the partitions of other systems', async () => {
    const features = [feature(1, line(191000, 351000)), feature(2, line(191020, 351000))];
    const water = await loadSource(db.pool, source(features), { srid: 28992, mapping: { ...MAPPING, system: { value: 'drinkwater' } }, layerName: 'systems-water', invalid: 'skip' });
    const gas = await loadSource(db.pool, source(features), { srid: 28992, mapping: { ...MAPPING, system: { value: 'gas_ld' } }, layerName: 'systems-gas', invalid: 'skip' });
    const check = await db.pool.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%system%'`,
      [`asset_file_${water.layer.datasetId}`]);
    expect(check.rows.map((r) => r.def)).toContainEqual(expect.stringContaining("'drinkwater'"));
    const plan = async (system: string): Promise<string> =>
      (await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT count(*) FROM asset a WHERE a.system = '${system}' AND a.geom && ST_MakeEnvelope(0, 0, 300000, 700000, 28992)`))
        .rows.map((r) => r['QUERY PLAN']).join('\n');
    const gasPlan = await plan('gas_ld');
    expect(gasPlan).toContain(`asset_file_${gas.layer.datasetId}`);
    expect(gasPlan).not.toContain(`asset_file_${water.layer.datasetId}`);
    const waterPlan = await plan('drinkwater');
    expect(waterPlan).toContain(`asset_file_${water.layer.datasetId}`);
    expect(waterPlan).not.toContain(`asset_file_${gas.layer.datasetId}`);
    expect(await count("SELECT count(*)::int AS n FROM asset WHERE system = 'gas_ld' AND dataset_id = $1", [gas.layer.datasetId])).toBe(2);
  });
});
