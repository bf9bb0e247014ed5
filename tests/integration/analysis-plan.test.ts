/**
 * The analysis queries probe the big tables' GiST indexes from the small side (issue 6): with many
 * assets and few works, PostgreSQL's plan for each query the analysis sends must be a nested loop
 * over the works whose inner side is an index scan on the geometry — also as the server runs them,
 * as role samenhang_app under row security (where ST_DWithin alone cannot use the index). Checked
 * with EXPLAIN on the very queries (captured while the analysis runs). SYNTHETIC generated rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_PARTS, analyse } from '../../api/src/analysis/findings.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { prepareAnalysisDb } from '../helpers/analysis-fixture.ts';

let db: TestDatabase;

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; 'CTE Name'?: string; Plans?: PlanNode[]; 'Parent Relationship'?: string }

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

beforeAll(async () => {
  db = await createTestDatabase('it_analysis_plan');
  const { orgs, datasetId } = await prepareAnalysisDb(db.pool);
  // 40,000 asset segments on a 200 × 200 grid of streets 10 m apart, and 150 works along some of them
  await db.pool.query(
    `INSERT INTO asset (source_kind, source_id, dataset_id, system, owner_id, asset_class, material, in_service_year, content_hash, geom)
     SELECT 'file', 'g' || i || '-' || j, $1, 'riool_vrijverval', $2, 'leiding', 'concrete', 1950 + (i * j) % 60, 'x',
       ST_SetSRID(ST_MakeLine(ST_MakePoint(190000 + i * 10, 350000 + j * 10), ST_MakePoint(190010 + i * 10, 350000 + j * 10)), 28992)
     FROM generate_series(0, 199) i, generate_series(0, 199) j`, [datasetId, orgs[0]]);
  await db.pool.query(
    `INSERT INTO work (source_kind, source_id, owner_id, title, kind, systems, status, opens_ground, trench_width, preferred_start, preferred_end, content_hash, geom)
     SELECT 'manual', 'w' || k, $1, 'werk ' || k, 'vervanging riool', '{riool_vrijverval}', 'gepland', true, 1.2,
       date '2027-01-01' + k * 7, date '2027-03-01' + k * 7, 'x',
       ST_SetSRID(ST_MakeLine(ST_MakePoint(190000 + (k % 15) * 120, 350000 + (k / 15) * 150), ST_MakePoint(190100 + (k % 15) * 120, 350000 + (k / 15) * 150)), 28992)
     FROM generate_series(0, 149) k`, [orgs[0]]);
  await db.pool.query(
    `INSERT INTO moratorium (owner_id, valid_from, valid_until, reason, geom)
     SELECT $1, date '2026-01-01', date '2031-01-01', 'gereconstrueerd ' || k, ST_SetSRID(ST_Buffer(ST_MakePoint(190050 + k * 40, 350000), 15), 28992)
     FROM generate_series(0, 999) k`, [orgs[0]]);
  await db.pool.query('ANALYZE asset; ANALYZE work; ANALYZE moratorium');
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe('the analysis queries', () => {
  it('each drive a GiST index scan of the other table from the works (nested loop, works outside)', async () => {
    const sent: { text: string; values: unknown[] }[] = [];
    const spy = {
      query: (text: string, values?: unknown[]) => {
        sent.push({ text, values: values ?? [] });
        return db.pool.query(text, values);
      },
    } as unknown as Parameters<typeof analyse>[0];
    const findings = await analyse(spy);
    expect(findings.filter((f) => f.type === 'coupling').length).toBeGreaterThan(50);
    const probes = sent.filter((q) => q.text.includes('LATERAL'));
    expect(probes).toHaveLength(2 + PARALLEL_PARTS);
    const probed: Record<string, string[]> = { owner: [], server: [] };
    for (const q of probes) {
      // as the owner role, and as the server runs it: role samenhang_app under row security, in the system context
      for (const as of ['owner', 'server'] as const) {
        const c = await db.pool.connect();
        let plan: PlanNode;
        try {
          await c.query('BEGIN');
          if (as === 'server') await c.query(`SET LOCAL ROLE samenhang_app; SELECT set_config('samenhang.system', 'on', true)`);
          const r = await c.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
          plan = r.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode;
        } finally {
          await c.query('ROLLBACK');
          c.release();
        }
        const loop = nodes(plan).find((n) => n['Node Type'] === 'Nested Loop');
        expect(loop, `nested loop in ${JSON.stringify(plan).slice(0, 300)}`).toBeDefined();
        const outer = loop?.Plans?.find((n) => n['Parent Relationship'] === 'Outer') as PlanNode;
        const inner = loop?.Plans?.find((n) => n['Parent Relationship'] === 'Inner') as PlanNode;
        // the outer side reads the works (the scoped CTE over work); the inner side is an index scan on the geometry of the big table
        expect(nodes(outer).some((n) => n['Relation Name'] === 'work' || n['CTE Name'] === 'scoped'), as).toBe(true);
        const index = nodes(inner).find((n) => /Index Scan|Bitmap Index Scan/.test(n['Node Type']) && /gist|geom/.test(n['Index Name'] ?? ''));
        expect(index, `${as}: index scan inside ${JSON.stringify(inner).slice(0, 400)}`).toBeDefined();
        expect(nodes(inner).some((n) => n['Node Type'] === 'Seq Scan' && /^(asset|work|moratorium)/.test(n['Relation Name'] ?? '') && n['Relation Name'] !== 'asset_shared'), `${as}: no sequential scan inside`).toBe(false);
        probed[as]?.push(index?.['Index Name'] ?? '');
      }
    }
    for (const as of ['owner', 'server']) {
      const names = probed[as] ?? [];
      expect(names.some((n) => n.startsWith('asset')), as).toBe(true);
      expect(names.some((n) => n.startsWith('work')), as).toBe(true);
      expect(names.some((n) => n.startsWith('moratorium')), as).toBe(true);
    }
  }, 60_000);
});
