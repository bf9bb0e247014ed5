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
import type { PlanarGeometry } from '../../api/src/model/analysis/planar.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';
import { userToken } from '../helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { type Scenario, type ScenarioAsset, type ScenarioWork, prepareAnalysisDb, writeScenario } from '../helpers/analysis-fixture.ts';

const X0 = 190_000;
const Y0 = 350_000;
const line = (...pts: [number, number][]): PlanarGeometry => ({ type: 'LineString', coordinates: pts.map(([x, y]) => [X0 + x, Y0 + y]) });
const rect = (x1: number, y1: number, x2: number, y2: number): PlanarGeometry => ({
  type: 'Polygon', coordinates: [[[X0 + x1, Y0 + y1], [X0 + x2, Y0 + y1], [X0 + x2, Y0 + y2], [X0 + x1, Y0 + y2], [X0 + x1, Y0 + y1]]],
});

let db: TestDatabase;
let orgs: [number, number];
let datasetId = 0;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('it_analysis');
  ({ orgs, datasetId } = await prepareAnalysisDb(db.pool));
  server = await startTestServer(db.pool);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const GOLDEN: Scenario = {
  works: [
    { key: 'W1', kind: 'vervanging riool', systems: ['riool_vrijverval'], opensGround: true, trenchWidth: 2, earliestStart: '2027-01-01', preferredStart: '2027-03-01', preferredEnd: '2027-06-30', latestEnd: '2027-09-30', geometry: line([0, 0], [100, 0]) },
    { key: 'W2', kind: 'vervanging waterleiding', systems: ['drinkwater'], opensGround: true, trenchWidth: 1, preferredStart: '2027-09-01', preferredEnd: '2027-12-31', geometry: line([0, 10], [100, 10]), owner: 2 },
    { key: 'W3', kind: 'relining', systems: ['riool_vrijverval'], opensGround: false, trenchWidth: 1, preferredStart: '2027-05-01', preferredEnd: '2027-05-31', geometry: line([0, -5], [100, -5]) },
    { key: 'W4', kind: 'glasvezel', systems: ['telecom'], opensGround: true, trenchWidth: 0.6, preferredStart: '2029-06-01', preferredEnd: '2029-08-31', geometry: line([0, 30], [100, 30]), owner: 2 },
    { key: 'W5', kind: 'vergroening/klimaatadaptatie', systems: ['groen'], opensGround: true, trenchWidth: null, preferredStart: '2027-04-01', preferredEnd: '2027-10-31', geometry: rect(200, 0, 250, 50) },
    { key: 'W6', kind: 'glasvezel', systems: ['telecom'], opensGround: true, trenchWidth: null, preferredStart: '2028-01-01', preferredEnd: '2028-02-29', geometry: line([210, 20], [240, 20]), owner: 2 },
    { key: 'W7', kind: 'vervanging riool', status: 'gereed', systems: ['riool_vrijverval'], opensGround: true, trenchWidth: 1, preferredStart: '2027-03-01', preferredEnd: '2027-04-30', geometry: line([0, 2], [100, 2]) },
  ],
  moratoria: [{ key: 'M1', from: '2025-01-01', until: '2029-12-31', exceptions: ['spoed', 'nieuwe aansluiting', 'glasvezel'], geometry: rect(190, -10, 260, 60) }],
  assets: [
    { key: 'A1', system: 'riool_vrijverval', material: 'concrete', inServiceYear: 1960, replacementYear: null, geometry: line([0, 0.5], [100, 0.5]) },
    { key: 'A2', system: 'drinkwater', material: 'PVC', inServiceYear: 2000, replacementYear: null, geometry: line([0, 1], [100, 1]), owner: 2 },
    { key: 'A3', system: 'riool_vrijverval', material: 'concrete', inServiceYear: 1960, replacementYear: null, geometry: line([0, 3], [100, 3]) },
    { key: 'A4', system: 'gas_ld', material: 'steel', inServiceYear: null, replacementYear: 2026, geometry: line([40, -1.8], [60, -1.8]), owner: 2 },
  ],
};

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

describe('GET /api/analysis/findings', () => {
  it('answers the findings a partner may see, with counts and the rules; nothing for the public; clear errors', async () => {
    const { ids } = await writeScenario(db.pool, GOLDEN, orgs, datasetId);
    const token = await userToken(db.pool, { slug: 'analyse-partner', name: 'Partner', kind: 'telecom' }, 'analyst', 'partner@analyse.test');
    const get = (q: string, t: string | null = token) => fetch(`${server.baseUrl}/api/analysis/findings${q}`, { headers: t ? { authorization: `Bearer ${t}` } : {} });
    const res = await get('');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { findings: (Finding & { decision: unknown })[]; counts: Record<string, number>; rules: { pair: { distanceM: number } } };
    expect(body.counts).toEqual({ combine: 2, clash: 1, repeat_opening: 1, moratorium: 1, coupling: 2 });
    expect(body.rules.pair.distanceM).toBe(20);
    expect(body.findings.find((f) => f.type === 'clash')).toMatchObject({ works: [ids.get('W1'), ids.get('W3')].sort((a, b) => (a ?? 0) - (b ?? 0)), decision: null });
    const onlyW3 = (await (await get(`?works=${ids.get('W3')}`)).json()) as { findings: Finding[] };
    expect(onlyW3.findings.map((f) => f.type)).toEqual(['clash']);
    // the public sees no C1 planning, so no findings about it
    expect(((await (await get('', null)).json()) as { findings: unknown[] }).findings).toEqual([]);
    const bad = async (q: string) => ((await (await get(q)).json()) as { error: { message: string } }).error.message;
    expect(await bad('?bbox=5.9,51.2,5.8')).toMatch(/bbox must be four numbers/);
    expect(await bad('?area=Maasgouw')).toMatch(/CBS municipality code/);
    expect(await bad('?works=1,x')).toMatch(/comma-separated list/);
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
      findings += inDb.length;
      for (const f of inDb) types.add(f.type);
    }), { numRuns: 100, seed: 20261128 });
    // the generator must reach every rule, or the agreement says little
    expect(findings).toBeGreaterThan(200);
    expect([...types].sort()).toEqual(['clash', 'combine', 'coupling', 'moratorium', 'repeat_opening']);
  }, 120_000);
});
