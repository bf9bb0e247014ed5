/**
 * Scenarios for the analysis tests: works, moratoria and assets in RD New, written to PostGIS
 * and handed, with the ids the database gave them, to the in-memory analysis too.
 */
import type { Pool } from '../../api/src/db/pool.ts';
import type { LocalAsset, LocalInput, LocalMoratorium, LocalWork } from '../../api/src/model/analysis/local.ts';
import type { PlanarGeometry } from '../../api/src/model/analysis/planar.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';

export interface ScenarioWork {
  key: string;
  kind: string;
  status?: string;
  systems: SystemCode[];
  opensGround: boolean;
  trenchWidth: number | null;
  earliestStart?: string | null;
  preferredStart: string;
  preferredEnd: string;
  latestEnd?: string | null;
  geometry: PlanarGeometry;
  owner?: 1 | 2;
}
export interface ScenarioMoratorium { key: string; from: string; until: string; exceptions: string[]; geometry: PlanarGeometry }
export interface ScenarioAsset {
  key: string;
  system: SystemCode;
  material: string | null;
  inServiceYear: number | null;
  replacementYear: number | null;
  geometry: PlanarGeometry;
  owner?: 1 | 2;
}
export interface Scenario { works: ScenarioWork[]; moratoria: ScenarioMoratorium[]; assets: ScenarioAsset[] }

export interface Written {
  input: LocalInput;
  /** database id per scenario key */
  ids: Map<string, number>;
  /** organisation id per owner number */
  orgs: [number, number];
}

/** Two organisations and a dataset for the assets; once per database. */
export async function prepareAnalysisDb(pool: Pool): Promise<{ orgs: [number, number]; datasetId: number }> {
  const org = async (slug: string, kind: string) =>
    (await pool.query<{ id: number }>(`INSERT INTO organisation (name, slug, kind) VALUES ($1, $1, $2) RETURNING id`, [slug, kind])).rows[0]?.id ?? 0;
  const orgs: [number, number] = [await org('analyse-gemeente', 'gemeente'), await org('analyse-netbeheer', 'netbeheerder')];
  const d = await pool.query<{ id: number }>(
    `INSERT INTO dataset (name, source_kind, source_ref, content_sha256, owner_id) VALUES ('analyse', 'file', 'analyse.geojson', 'x', $1) RETURNING id`, [orgs[0]]);
  return { orgs, datasetId: d.rows[0]?.id ?? 0 };
}

const geom = (g: PlanarGeometry): string => JSON.stringify(g);

/** Replace whatever was there by the scenario; returns the in-memory input with the database ids. */
export async function writeScenario(pool: Pool, s: Scenario, orgs: [number, number], datasetId: number): Promise<Written> {
  await pool.query('DELETE FROM work');
  await pool.query('DELETE FROM moratorium');
  await pool.query('DELETE FROM asset WHERE dataset_id = $1', [datasetId]);
  const ids = new Map<string, number>();
  const works: LocalWork[] = [];
  for (const w of s.works) {
    const owner = orgs[(w.owner ?? 1) - 1] ?? null;
    const r = await pool.query<{ id: number }>(
      `INSERT INTO work (source_kind, source_id, owner_id, title, kind, systems, status, opens_ground, trench_width,
         earliest_start, preferred_start, preferred_end, latest_end, content_hash, geom)
       VALUES ('manual', $1, $2, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'fixture', ST_SetSRID(ST_GeomFromGeoJSON($12), 28992)) RETURNING id::int`,
      [w.key, owner, w.kind, w.systems, w.status ?? 'gepland', w.opensGround, w.trenchWidth, w.earliestStart ?? null, w.preferredStart, w.preferredEnd, w.latestEnd ?? null, geom(w.geometry)]);
    const id = r.rows[0]?.id ?? 0;
    ids.set(w.key, id);
    works.push({
      id, kind: w.kind, ownerId: owner, systems: w.systems, opensGround: w.opensGround, trenchWidth: w.trenchWidth,
      areal: w.geometry.type.endsWith('Polygon'), earliestStart: w.earliestStart ?? null, preferredStart: w.preferredStart,
      preferredEnd: w.preferredEnd, latestEnd: w.latestEnd ?? null, geometry: w.geometry, status: w.status ?? 'gepland',
    });
  }
  const moratoria: LocalMoratorium[] = [];
  for (const m of s.moratoria) {
    const r = await pool.query<{ id: number }>(
      `INSERT INTO moratorium (owner_id, valid_from, valid_until, reason, exceptions, geom)
       VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 28992)) RETURNING id::int`,
      [orgs[0], m.from, m.until, m.key, m.exceptions, geom(m.geometry)]);
    const id = r.rows[0]?.id ?? 0;
    ids.set(m.key, id);
    moratoria.push({ id, from: m.from, until: m.until, exceptions: m.exceptions, geometry: m.geometry });
  }
  const assets: LocalAsset[] = [];
  for (const a of s.assets) {
    const owner = orgs[(a.owner ?? 1) - 1] ?? null;
    const r = await pool.query<{ id: number }>(
      `INSERT INTO asset (source_kind, source_id, dataset_id, system, owner_id, asset_class, material, in_service_year, replacement_year, content_hash, geom)
       VALUES ('file', $1, $2, $3, $4, 'leiding', $5, $6, $7, 'fixture', ST_SetSRID(ST_GeomFromGeoJSON($8), 28992)) RETURNING id::int`,
      [a.key, datasetId, a.system, owner, a.material, a.inServiceYear, a.replacementYear, geom(a.geometry)]);
    const id = r.rows[0]?.id ?? 0;
    ids.set(a.key, id);
    assets.push({ id, system: a.system, ownerId: owner, material: a.material, inServiceYear: a.inServiceYear, replacementYear: a.replacementYear, geometry: a.geometry });
  }
  return { input: { works, moratoria, assets }, ids, orgs };
}

export const X0 = 190_000;
export const Y0 = 350_000;
export const line = (...pts: [number, number][]): PlanarGeometry => ({ type: 'LineString', coordinates: pts.map(([x, y]) => [X0 + x, Y0 + y]) });
export const rect = (x1: number, y1: number, x2: number, y2: number): PlanarGeometry => ({
  type: 'Polygon', coordinates: [[[X0 + x1, Y0 + y1], [X0 + x2, Y0 + y1], [X0 + x2, Y0 + y2], [X0 + x1, Y0 + y2], [X0 + x1, Y0 + y1]]],
});


/** Worked out by hand in tests/integration/analysis-agreement.test.ts (the expected findings are there). */
export const GOLDEN: Scenario = {
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

