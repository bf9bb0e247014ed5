/**
 * The analysis queries probe the big tables' GiST indexes from the small side (issue 6): with many
 * assets and few works, PostgreSQL's plan for each query the analysis sends must be a nested loop
 * over the works whose inner side is an index scan on the geometry. Checked with EXPLAIN on the
 * very queries (captured while the analysis runs). SYNTHETIC generated rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../api/src/analysis/findings.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { prepareAnalysisDb } from '../helpers/analysis-fixture.ts';

let db: TestDatabase;

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; Plans?: PlanNode[]; 'Parent Relationship'?: string }

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
    expect(probes).toHaveLength(3);
    const probed: string[] = [];
    for (const q of probes) {
      const r = await db.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
      const plan = r.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode;
      const loop = nodes(plan).find((n) => n['Node Type'] === 'Nested Loop');
      expect(loop, `nested loop in ${JSON.stringify(plan).slice(0, 300)}`).toBeDefined();
      const [outer, inner] = loop?.Plans ?? [];
      // the outer side reads the works; the inner side is an index scan on the geometry of the big table
      expect(nodes(outer as PlanNode).some((n) => n['Relation Name'] === 'work')).toBe(true);
      const index = nodes(inner as PlanNode).find((n) => /Index Scan|Bitmap Index Scan/.test(n['Node Type']) && /gist|geom/.test(n['Index Name'] ?? ''));
      expect(index, `index scan inside ${JSON.stringify(inner).slice(0, 400)}`).toBeDefined();
      probed.push(index?.['Index Name'] ?? '');
    }
    expect(probed.some((n) => n.startsWith('asset'))).toBe(true);
    expect(probed.some((n) => n.startsWith('work'))).toBe(true);
    expect(probed.some((n) => n.startsWith('moratorium'))).toBe(true);
  }, 60_000);
});
