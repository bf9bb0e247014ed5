/**
 * Samenhang in beeld over HTTP against PostGIS (issue 6): findings and bundles as a partner sees
 * them, recomputed per work after an edit (the others stay as computed), decisions with
 * concurrency and a joint project, the rules (an administrator's change recomputes), and the
 * exports read back by GDAL. The golden scenario of tests/helpers/analysis-fixture.ts (SYNTHETIC).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisRules } from '../../api/src/model/analysis-rules.ts';
import type { Finding } from '../../api/src/model/analysis/finding.ts';
import { type LocalInput, analyseLocal } from '../../api/src/model/analysis/local.ts';
import { userToken } from '../helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { GOLDEN, prepareAnalysisDb, writeScenario } from '../helpers/analysis-fixture.ts';
import { jsonCall } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let db: TestDatabase;
let server: TestServer;
let ids: Map<string, number>;
let partner = '';
let manager = '';
let admin = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'analysis-api-'));
const id = (k: string): number => ids.get(k) ?? -1;

type Body = { findings: (Finding & { decision: { decision: string; version: number; jointProjectId: number | null } | null })[]; counts: Record<string, number> };

beforeAll(async () => {
  db = await createTestDatabase('it_analysis_api');
  const { orgs, datasetId } = await prepareAnalysisDb(db.pool);
  ({ ids } = await writeScenario(db.pool, GOLDEN, orgs, datasetId));
  server = await startTestServer(db.pool);
  partner = await userToken(db.pool, { slug: 'analyse-partner', name: 'Partner', kind: 'telecom' }, 'analyst', 'partner@analyse.test');
  manager = await userToken(db.pool, { slug: 'analyse-gemeente', name: 'analyse-gemeente', kind: 'gemeente' }, 'area_manager', 'regisseur@analyse.test');
  admin = await userToken(db.pool, { slug: 'analyse-gemeente', name: 'analyse-gemeente', kind: 'gemeente' }, 'admin', 'beheer@analyse.test');
});
afterAll(async () => {
  await server.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

const call = (token: string | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  jsonCall(server.baseUrl, token, method, url, body, headers);
const findings = async (token: string | null = partner, q = ''): Promise<Body> => (await (await call(token, 'GET', `/api/analysis/findings${q}`)).json()) as Body;
const errorOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { message: string } }).error.message;

describe('findings over HTTP', () => {
  it('answers the findings a partner may see, with counts and the rules; nothing for the public; clear errors', async () => {
    const body = await findings();
    expect(body.counts).toEqual({ combine: 2, clash: 1, repeat_opening: 1, moratorium: 1, coupling: 2 });
    expect(body.findings.find((f) => f.type === 'clash')).toMatchObject({ works: [id('W1'), id('W3')].sort((a, b) => a - b), decision: null });
    expect((await findings(partner, `?works=${id('W3')}`)).findings.map((f) => f.type)).toEqual(['clash']);
    // the public sees no C1 planning, so no findings about it
    expect((await findings(null)).findings).toEqual([]);
    expect(await errorOf(await call(partner, 'GET', '/api/analysis/findings?bbox=5.9,51.2,5.8'))).toMatch(/bbox must be four numbers/);
    expect(await errorOf(await call(partner, 'GET', '/api/analysis/findings?area=Maasgouw'))).toMatch(/CBS municipality code/);
    expect(await errorOf(await call(partner, 'GET', '/api/analysis/findings?works=1,x'))).toMatch(/comma-separated list/);
  });

  it('shows a coupling only with the assets the reader may see: a C2 layer hides it from other organisations, not from its owner', async () => {
    await findings();
    await db.pool.query("UPDATE dataset SET confidentiality = 'C2' WHERE name = 'analyse'");
    try {
      expect((await findings(partner)).counts.coupling ?? 0).toBe(0);
      const own = await findings(manager);
      expect(own.counts.coupling).toBe(2);
      expect(own.findings.filter((f) => f.type === 'coupling').every((f) => f.assets.length > 0)).toBe(true);
    } finally {
      await db.pool.query("UPDATE dataset SET confidentiality = 'C1' WHERE name = 'analyse'");
    }
    expect((await findings(partner)).counts.coupling).toBe(2);
  });

  it('after an edit recomputes only the findings of that work, and the answer shows the change at once', async () => {
    await findings();
    const stamp = async () => new Map((await db.pool.query<{ id: string; at: Date }>('SELECT id, computed_at AS at FROM finding')).rows.map((r) => [r.id, r.at.getTime()]));
    const before = await stamp();
    const w4 = (await (await call(manager, 'GET', `/api/works/${id('W4')}`)).json()) as { version: number };
    // W4 belongs to the other organisation: its own editor moves it a year earlier
    const owner = await userToken(db.pool, { slug: 'analyse-netbeheer', name: 'analyse-netbeheer', kind: 'netbeheerder' }, 'analyst', 'net@analyse.test');
    const moved = await call(owner, 'PATCH', `/api/works/${id('W4')}`, { preferredStart: '2028-06-01', preferredEnd: '2028-08-31' }, { 'if-match': `"work-${id('W4')}-v${w4.version}"` });
    expect(moved.status).toBe(200);
    const after = await stamp();
    const body = await findings();
    // W2–W4: 2027-12-31 → 2028-06-01 is 153 days, within a year: a combination instead of a repeat opening
    const pair = `${Math.min(id('W2'), id('W4'))}-${Math.max(id('W2'), id('W4'))}`;
    expect(body.findings.find((f) => f.id === `combine:${pair}`)?.metrics).toMatchObject({ gap_days: 153 });
    expect(body.findings.some((f) => f.id === `repeat_opening:${pair}`)).toBe(false);
    const untouched = [...before.keys()].filter((k) => !k.includes(String(id('W4'))));
    expect(untouched.length).toBeGreaterThan(3);
    for (const k of untouched) expect(after.get(k), k).toBe(before.get(k));
  });
});

describe('the input of the browser what-if', () => {
  it('gives the works, moratoria and dated assets in view in RD New, on which the in-memory rules find what the server found', async () => {
    const box = (await db.pool.query<{ box: number[] }>(
      `SELECT ARRAY[ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)] AS box FROM ST_Transform(ST_MakeEnvelope(189990, 349980, 190300, 350100, 28992), 4326) b`)).rows[0]?.box ?? [];
    expect(await errorOf(await call(partner, 'GET', '/api/analysis/input'))).toMatch(/bbox is required/);
    const input = (await (await call(partner, 'GET', `/api/analysis/input?bbox=${box.join(',')}`)).json()) as LocalInput & { rules: AnalysisRules };
    expect(input.works.map((w) => w.id).sort((a, b) => a - b)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6'].map(id).sort((a, b) => a - b));
    expect(input.assets).toHaveLength(4);
    const local = analyseLocal(input.rules, input);
    const server = (await findings()).findings.map(({ decision: _d, ...f }) => f);
    expect(local).toEqual(server);
  });
});

describe('bundles and decisions', () => {
  it('bundles the combinable works with a common window and transparent metrics', async () => {
    const r = (await (await call(partner, 'GET', '/api/analysis/bundles')).json()) as { bundles: { id: string; works: number[]; commonWindow: unknown; metrics: Record<string, number> }[] };
    const b = r.bundles.find((x) => x.works.includes(id('W1')));
    expect(b).toMatchObject({ works: [id('W1'), id('W2')].sort((p, q) => p - q), commonWindow: { start: '2027-09-01', end: '2027-09-30' } });
    // two parallel 100 m lines 10 m apart: 100 m shared, × the narrower 1 m trench, 122 preferred days each, € 85/m²
    expect(b?.metrics).toEqual({ openings_avoided: 1, shared_trench_m: 100, repaving_avoided_m2: 100, nuisance_days_avoided: 122, saving_eur: 8500 });
  });

  it('an area manager accepts a combination (a joint project), with If-Match on every later change, and can undo it', async () => {
    const subject = encodeURIComponent(`combine:${Math.min(id('W1'), id('W2'))}-${Math.max(id('W1'), id('W2'))}`);
    expect((await call(partner, 'PUT', `/api/analysis/decisions/${subject}`, { decision: 'accepted' })).status).toBe(403);
    const clash = encodeURIComponent(`clash:${Math.min(id('W1'), id('W3'))}-${Math.max(id('W1'), id('W3'))}`);
    expect(await errorOf(await call(manager, 'PUT', `/api/analysis/decisions/${clash}`, { decision: 'accepted' }))).toMatch(/not a combination/);
    expect(await errorOf(await call(manager, 'PUT', `/api/analysis/decisions/${clash}`, { decision: 'rejected' }))).toMatch(/rejection needs a reason/);
    const ok = await call(manager, 'PUT', `/api/analysis/decisions/${subject}`, { decision: 'accepted', projectName: 'Riool en water Kerkstraat' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"decision-v1"');
    const project = ((await ok.json()) as { jointProjectId: number }).jointProjectId;
    const linked = await db.pool.query<{ name: string; works: string[] }>(
      'SELECT p.name, array_agg(pw.work_id ORDER BY pw.work_id) AS works FROM joint_project p JOIN joint_project_work pw ON pw.project_id = p.id WHERE p.id = $1 GROUP BY p.name', [project]);
    expect(linked.rows[0]).toEqual({ name: 'Riool en water Kerkstraat', works: [id('W1'), id('W2')].sort((a, b) => a - b).map(String) });
    expect((await call(manager, 'PUT', `/api/analysis/decisions/${subject}`, { decision: 'deferred' })).status).toBe(428);
    expect((await call(manager, 'PUT', `/api/analysis/decisions/${subject}`, { decision: 'deferred' }, { 'if-match': '"decision-v7"' })).status).toBe(412);
    // the owners of the works see the decision on the card; an uninvolved partner does not
    const owner = await userToken(db.pool, { slug: 'analyse-netbeheer', name: 'analyse-netbeheer', kind: 'netbeheerder' }, 'analyst', 'net2@analyse.test');
    expect((await findings(owner)).findings.find((f) => f.id === decodeURIComponent(subject))?.decision).toMatchObject({ decision: 'accepted', version: 1, jointProjectId: project });
    expect((await findings(partner)).findings.find((f) => f.id === decodeURIComponent(subject))?.decision).toBeNull();
    // survives a full recomputation (same id)
    await db.pool.query("DELETE FROM app_setting WHERE key = 'analysis_computed_at'");
    expect((await findings(owner)).findings.find((f) => f.id === decodeURIComponent(subject))?.decision?.decision).toBe('accepted');
    expect((await call(manager, 'DELETE', `/api/analysis/decisions/${subject}`, undefined, { 'if-match': '"decision-v1"' })).status).toBe(204);
    expect((await db.pool.query('SELECT 1 FROM joint_project WHERE id = $1', [project])).rowCount).toBe(0);
  });
});

describe('openings per square', () => {
  it('counts how often the ground opens per square, and once per joint project with the accepted combination', async () => {
    const box = (await db.pool.query<{ box: number[] }>(
      `SELECT ARRAY[ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)] AS box FROM ST_Transform(ST_MakeEnvelope(189990, 349980, 190300, 350100, 28992), 4326) b`)).rows[0]?.box ?? [];
    type Cells = { features: { properties: { openings: number; withAcceptedCombinations: number } }[] };
    const get = async () => (await (await call(manager, 'GET', `/api/analysis/openings?bbox=${box.join(',')}&from=2027-01-01&to=2027-12-31&cell=10`)).json()) as Cells;
    const max = (c: Cells, k: 'openings' | 'withAcceptedCombinations') => Math.max(...c.features.map((f) => f.properties[k]));
    const before = await get();
    // in 2027 the sewer (W1) and water (W2) trenches overlap where their 10 m squares meet; the relining does not open the ground
    expect(max(before, 'openings')).toBe(2);
    expect(max(before, 'withAcceptedCombinations')).toBe(2);
    const subject = encodeURIComponent(`combine:${Math.min(id('W1'), id('W2'))}-${Math.max(id('W1'), id('W2'))}`);
    expect((await call(manager, 'PUT', `/api/analysis/decisions/${subject}`, { decision: 'accepted' })).status).toBe(200);
    const after = await get();
    expect(max(after, 'openings')).toBe(2);
    expect(max(after, 'withAcceptedCombinations')).toBe(1);
    expect((await call(manager, 'DELETE', `/api/analysis/decisions/${subject}`, undefined, { 'if-match': '"decision-v1"' })).status).toBe(204);
    expect(await errorOf(await call(manager, 'GET', '/api/analysis/openings?bbox=3,50,7,53&cell=5'))).toMatch(/zoom in/);
  });
});

describe('rules and exports', () => {
  it('an administrator widens the near distance for sewer × telecom; everything is recomputed', async () => {
    const rules = (await (await call(partner, 'GET', '/api/analysis/rules')).json()) as { pair: { distanceM: number }; lifetimes: { source: string }[] };
    expect(rules.pair.distanceM).toBe(20);
    expect(rules.lifetimes.every((l) => l.source.length > 10)).toBe(true);
    expect((await call(manager, 'PUT', '/api/analysis/rules', { pairs: {} })).status).toBe(403);
    expect(await errorOf(await call(admin, 'PUT', '/api/analysis/rules', { pairs: { 'riool|telecom': { distanceM: 40, combineDays: 365 } } }))).toMatch(/pair of system codes/);
    const before = (await findings()).findings.filter((f) => f.works.includes(id('W1')) && f.works.includes(id('W4')));
    expect(before).toEqual([]);
    const put = await call(admin, 'PUT', '/api/analysis/rules', { pairs: { 'riool_vrijverval|telecom': { distanceM: 40, combineDays: 365 } } });
    expect(put.status).toBe(200);
    // W1 (sewer) and W4 (fibre) lie 30 m − 1 − 0.3 apart: near under 40 m
    const after = (await findings()).findings.filter((f) => f.works.includes(id('W1')) && f.works.includes(id('W4')));
    expect(after.map((f) => f.metrics.distance_m)).toEqual([28.7]);
    expect(after[0]?.rule).toMatchObject({ distance_m: 40 });
    expect((await call(admin, 'PUT', '/api/analysis/rules', {})).status).toBe(200);
  });

  it('exports findings and bundles as GeoJSON that GDAL reads, and as CSV', async () => {
    const geo = await call(partner, 'GET', '/api/analysis/findings/export?format=geojson');
    expect(geo.status).toBe(200);
    const file = path.join(dir, 'findings.geojson');
    writeFileSync(file, await geo.text());
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(info).toMatch(/Feature Count: 7/);
    expect(info).toMatch(/distance_m: Real/);
    const csv = await (await call(partner, 'GET', '/api/analysis/bundles/export?format=csv')).text();
    const [head, ...rows] = csv.trim().split('\r\n');
    expect(head).toMatch(/^id,type,works,assets,moratorium,decision,.*saving_eur/);
    expect(rows.some((r) => r.startsWith(`bundle:${[id('W1'), id('W2')].sort((a, b) => a - b).join('-')},bundle,`))).toBe(true);
    expect((await call(partner, 'GET', '/api/analysis/findings/export?format=shp')).status).toBe(400);
  });
});
