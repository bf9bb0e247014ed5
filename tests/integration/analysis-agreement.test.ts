/**
 * The analysis rules (issue 6) in PostGIS and in memory: a golden scenario whose findings were
 * worked out by hand, and random scenarios (fast-check) on which both must give the same findings
 * with the same numbers. SYNTHETIC geometry in RD New; nothing here is real planning.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../api/src/analysis/findings.ts';
import { DEFAULT_RULES } from '../../api/src/model/analysis-rules.ts';
import type { Finding } from '../../api/src/model/analysis/finding.ts';
import { analyseLocal } from '../../api/src/model/analysis/local.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { GOLDEN, X0, Y0, line, rect, type Scenario, type ScenarioAsset, type ScenarioWork, prepareAnalysisDb, writeScenario } from '../helpers/analysis-fixture.ts';

let db: TestDatabase;
let orgs: [number, number];
let datasetId = 0;

beforeAll(async () => {
  db = await createTestDatabase('it_analysis');
  ({ orgs, datasetId } = await prepareAnalysisDb(db.pool));
});
afterAll(async () => {
  await db.drop();
});

describe('the golden scenario, worked out by hand', () => {
  it('PostGIS and the in-memory analysis both find exactly these findings with these numbers', async () => {
    const { input, ids, orgs: [o1, o2] } = await writeScenario(db.pool, GOLDEN, orgs, datasetId);
    const id = (k: string): number => ids.get(k) ?? -1;
    const pair = (t: string, a: string, b: string) => `${t}:${Math.min(id(a), id(b))}-${Math.max(id(a), id(b))}`;
    const expected: Partial<Finding>[] = [
      // 10 m apart minus half of 2 m and of 1 m; flexible windows overlap; preferred ones 63 days apart
      { id: pair('combine', 'W1', 'W2'), metrics: { distance_m: 8.5, gap_days: 0, overlap_days: 0, preferred_overlap: false, shift_days: 63 } },
      // a line inside the greening area: distance 0; 2027-10-31 → 2028-01-01
      { id: pair('combine', 'W5', 'W6'), metrics: { distance_m: 0, gap_days: 62, overlap_days: 0, preferred_overlap: false, shift_days: 62 } },
      // the relining does not open the ground, in May, while the sewer trench is open 5 m away
      { id: pair('clash', 'W1', 'W3'), metrics: { distance_m: 3.5, overlap_days: 31 } },
      // 20 m − 0.5 − 0.3; 2027-12-31 → 2029-06-01 (2028 a leap year)
      { id: pair('repeat_opening', 'W2', 'W4'), metrics: { distance_m: 19.2, gap_days: 518 } },
      // the greening opens the ground in a moratorium for its whole preferred window (214 days); the fibre is an exception
      { id: `moratorium:${id('W5')}-${id('M1')}`, moratorium: id('M1'), metrics: { overlap_days: 214, until: '2029-12-31' } },
      // concrete sewer of 1960: due 2030 ≤ 2027 + 5; the steel gas main at 1.8 m (≤ 1 + 1) is due 2026; A3 at 3 m is too far
      { id: `coupling:${id('W1')}-riool_vrijverval-${o1}`, assets: [id('A1')], metrics: { asset_count: 1, system: 'riool_vrijverval', earliest_due_year: 2030, years_before_start: -3 } },
      { id: `coupling:${id('W1')}-gas_ld-${o2}`, assets: [id('A4')], metrics: { asset_count: 1, system: 'gas_ld', earliest_due_year: 2026, years_before_start: 1 } },
    ];
    const inDb = await analyse(db.pool);
    const inMemory = analyseLocal(DEFAULT_RULES, input);
    for (const found of [inDb, inMemory]) {
      expect(found.map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
      for (const e of expected) expect(found.find((f) => f.id === e.id)).toMatchObject(e);
    }
    expect(inMemory).toEqual(inDb);
  });

  it('limits the analysis to the works in a bounding box and to the works asked for', async () => {
    const { ids } = await writeScenario(db.pool, GOLDEN, orgs, datasetId);
    const wgs = await db.pool.query<{ box: number[] }>(
      `SELECT ARRAY[ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)] AS box FROM ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 28992), 4326) b`,
      [X0 + 180, Y0 - 20, X0 + 270, Y0 + 70]);
    const box = wgs.rows[0]?.box as [number, number, number, number];
    const near = await analyse(db.pool, { bbox: box });
    expect(near.map((f) => f.type).sort()).toEqual(['combine', 'moratorium']);
    const one = await analyse(db.pool, { workIds: [ids.get('W3') ?? 0] });
    expect(one.map((f) => f.type)).toEqual(['clash']);
  });
});

// ---- random scenarios -------------------------------------------------------------------------

const SYSTEMS: SystemCode[] = ['riool_vrijverval', 'drinkwater', 'gas_ld', 'elektriciteit_ms', 'telecom', 'groen'];
const KINDS = ['vervanging riool', 'relining', 'vervanging waterleiding', 'netverzwaring', 'glasvezel', 'herinrichting'];
const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const coord = fc.integer({ min: 0, max: 20_000 }).map((n) => n / 100);
const point = fc.tuple(coord, coord);
// short lines around a base point, so that lines also lie wholly inside areas (distance 0 without crossing)
const offset = fc.integer({ min: -4_000, max: 4_000 }).map((n) => n / 100);
const shortLine = (max: number) => fc.tuple(point, fc.array(fc.tuple(offset, offset), { minLength: 2, maxLength: max }))
  .map(([[x, y], offs]) => line(...offs.map(([dx, dy]): [number, number] => [x + dx, y + dy])));
const geometry = fc.oneof(
  shortLine(4),
  fc.array(point, { minLength: 2, maxLength: 4 }).map((pts) => line(...pts)),
  fc.tuple(point, fc.integer({ min: 5, max: 90 }), fc.integer({ min: 5, max: 90 })).map(([[x, y], w, h]) => rect(x, y, x + w, y + h)),
);
const work = fc.record({
  kind: fc.constantFrom(...KINDS), status: fc.constantFrom('gepland', 'idee', 'gereed'), systems: fc.subarray(SYSTEMS, { maxLength: 2 }),
  opensGround: fc.boolean(), trenchWidth: fc.option(fc.integer({ min: 4, max: 40 }).map((n) => n / 10)),
  start: fc.integer({ min: 0, max: 2200 }), length: fc.integer({ min: 0, max: 300 }),
  before: fc.option(fc.integer({ min: 0, max: 400 })), after: fc.option(fc.integer({ min: 0, max: 400 })), geometry, owner: fc.constantFrom<1 | 2>(1, 2),
});
const asset = fc.record({
  system: fc.constantFrom<SystemCode>('riool_vrijverval', 'drinkwater', 'gas_ld'), material: fc.constantFrom('concrete', 'PVC', 'AC', 'steel', null),
  inServiceYear: fc.option(fc.integer({ min: 1940, max: 2010 })), replacementYear: fc.option(fc.integer({ min: 2020, max: 2060 }), { freq: 4 }),
  geometry: shortLine(3), owner: fc.constantFrom<1 | 2>(1, 2),
});
const moratorium = fc.record({
  from: fc.integer({ min: 0, max: 1500 }), length: fc.integer({ min: 100, max: 2000 }), exceptions: fc.subarray(['spoed', 'glasvezel', 'relining']),
  box: fc.tuple(point, fc.integer({ min: 10, max: 120 }), fc.integer({ min: 10, max: 120 })),
});
const scenario = fc.record({
  works: fc.array(work, { minLength: 2, maxLength: 18 }),
  assets: fc.array(asset, { maxLength: 20 }),
  moratoria: fc.array(moratorium, { maxLength: 3 }),
}).map((s): Scenario => ({
  works: s.works.map((w, i): ScenarioWork => ({
    key: `R${i}`, kind: w.kind, status: w.status, systems: w.systems, opensGround: w.opensGround, trenchWidth: w.trenchWidth,
    earliestStart: w.before === null ? null : day(w.start - w.before), preferredStart: day(w.start), preferredEnd: day(w.start + w.length),
    latestEnd: w.after === null ? null : day(w.start + w.length + w.after), geometry: w.geometry, owner: w.owner,
  })),
  assets: s.assets.map((a, i): ScenarioAsset => ({ key: `A${i}`, ...a })),
  moratoria: s.moratoria.map((m, i) => ({
    key: `M${i}`, from: day(m.from), until: day(m.from + m.length), exceptions: m.exceptions,
    geometry: rect(m.box[0][0], m.box[0][1], m.box[0][0] + m.box[1], m.box[0][1] + m.box[2]),
  })),
}));

describe('random scenarios', () => {
  it('PostGIS and the in-memory analysis agree on every finding and every number', async () => {
    let findings = 0;
    const types = new Set<string>();
    await fc.assert(fc.asyncProperty(scenario, async (s) => {
      const { input } = await writeScenario(db.pool, s, orgs, datasetId);
      const inDb = await analyse(db.pool);
      expect(analyseLocal(DEFAULT_RULES, input)).toEqual(inDb);
      // limited to one work (the incremental recompute and the what-if): the same on both sides
      const one = input.works[0]?.id ?? 0;
      const involving = inDb.filter((f) => f.works.includes(one));
      expect(analyseLocal(DEFAULT_RULES, input, new Set([one]))).toEqual(involving);
      expect(await analyse(db.pool, { workIds: [one] })).toEqual(involving);
      findings += inDb.length;
      for (const f of inDb) types.add(f.type);
    }), { numRuns: 100, seed: 20261128 });
    // the generator must reach every rule, or the agreement says little
    expect(findings).toBeGreaterThan(200);
    expect([...types].sort()).toEqual(['clash', 'combine', 'coupling', 'moratorium', 'repeat_opening']);
  }, 120_000);
});
