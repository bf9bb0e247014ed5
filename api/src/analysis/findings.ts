/**
 * The analysis in PostGIS (issue 6). Three queries, each driven from the small side: for every
 * planned work in scope, a LATERAL probe (OFFSET 0 keeps the planner from flattening it into a
 * join that scans the big table) finds through the GiST index the other works, the moratoria and
 * the assets within reach, with their exact ST_Distance. Each candidate then goes through the same
 * classification as the browser's (model/analysis/finding.ts), so the rules exist once.
 * The caller's visibility applies (policy filters, and row security underneath).
 */
import type pg from 'pg';
import { ANALYSED_STATUSES, type AnalysisRules, DEFAULT_RULES } from '../model/analysis-rules.ts';
import {
  type AnalysisWork, type CouplingAsset, type Finding, classifyCouplings, classifyMoratorium, classifyPair, maxPairDistance, sortFindings,
} from '../model/analysis/finding.ts';
import type { SystemCode } from '../model/systems.ts';
import { assetReadableSql, moratoriumReadableSql, readableSql } from '../auth/policy.ts';

type Db = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface AnalysisScope {
  /** minLon, minLat, maxLon, maxLat (WGS84): works that touch it, with everything they meet anywhere. */
  bbox?: readonly [number, number, number, number] | undefined;
  /** A municipality (CBS code, e.g. GM1641): works that touch it. */
  areaCode?: string | undefined;
  /** Only the findings of these works (incremental recompute after an edit). */
  workIds?: readonly number[] | undefined;
}

/** The caller's policy parameters (auth/policy.ts policyParams), or null for the operator (sees all). */
export type PolicyParams = readonly unknown[] | null;

const WORK_FIELDS = (w: string) => `${w}.id::int AS id, ${w}.kind, ${w}.owner_id AS "ownerId", ${w}.systems, ${w}.opens_ground AS "opensGround",
  ${w}.trench_width AS "trenchWidth", ST_Dimension(${w}.geom) = 2 AS areal, ${w}.earliest_start::text AS "earliestStart",
  ${w}.preferred_start::text AS "preferredStart", ${w}.preferred_end::text AS "preferredEnd", ${w}.latest_end::text AS "latestEnd"`;

const half = (w: string) => `(CASE WHEN ST_Dimension(${w}.geom) = 2 THEN 0 ELSE coalesce(${w}.trench_width, $2) / 2 END)`;

/**
 * The works analysed: planned, with a preferred window, and not KLIC requests (a request area is
 * where a contractor may dig somewhere, not a trench: as a footprint it would find everything).
 * $1 statuses, $2 default trench width, $3 bbox (4 numbers or null), $4 area code, $5 work ids, then the policy from $6. */
function scopeSql(policy: PolicyParams, w: string): string {
  return `${w}.status = ANY($1::text[]) AND ${w}.preferred_start IS NOT NULL AND ${w}.preferred_end IS NOT NULL AND ${w}.source_kind <> 'klic'
    ${policy ? `AND ${readableSql(w, `${w}.confidentiality`, `${w}.owner_id`, 'NULL::int', 6)}` : ''}`;
}

function inScopeSql(policy: PolicyParams): string {
  return `${scopeSql(policy, 'w')}
    AND ($3::float8[] IS NULL OR w.geom && ST_Transform(ST_MakeEnvelope($3[1], $3[2], $3[3], $3[4], 4326), ST_SRID(w.geom)))
    AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM municipality g WHERE g.code = $4 AND ST_Intersects(g.geom, w.geom)))
    AND ($5::int[] IS NULL OR w.id = ANY($5::int[]))`;
}

/**
 * The works in scope, each with the box its probe reaches (`reach`: an SQL expression over `w`).
 * MATERIALIZED, so that `box` is a plain column to the probes: `x.geom && w.box` then uses the
 * GiST index under row security too. ST_DWithin alone does not: its index condition is derived
 * from a function PostGIS does not mark LEAKPROOF, so under row security (the server's role, even
 * in the system context) the planner must check the policy first and scans every row per work;
 * `&&` is LEAKPROOF (migration 008) and a column from the outer query carries no function.
 */
function scoped(policy: PolicyParams, reach: string, extra = 'true'): string {
  return `WITH scoped AS MATERIALIZED (SELECT w.*, ST_Expand(w.geom, ${reach}) AS box FROM work w WHERE ${extra} AND ${inScopeSql(policy)})`;
}

type WorkRow = AnalysisWork & { systems: SystemCode[] };

async function workPairs(db: Db, rules: AnalysisRules, params: unknown[], policy: PolicyParams, maxHalf: number): Promise<Finding[]> {
  const reach = maxPairDistance(rules) + maxHalf;
  const n = params.length + 1;
  const r = await db.query<WorkRow & { other: WorkRow; distance: number }>(
    `${scoped(policy, `${half('w')} + $${n}`)}
     SELECT ${WORK_FIELDS('w')}, to_json(o) AS other, o.distance
     FROM scoped w CROSS JOIN LATERAL (
       SELECT ${WORK_FIELDS('b')}, ST_Distance(w.geom, b.geom) AS distance FROM work b
       WHERE b.geom && w.box AND b.id <> w.id AND ST_DWithin(w.geom, b.geom, ${half('w')} + $${n}) AND ${scopeSql(policy, 'b')}
       OFFSET 0) o`, [...params, reach]);
  const out: Finding[] = [];
  for (const row of r.rows) {
    const f = classifyPair(rules, row, row.other, row.distance);
    if (f) out.push(f);
  }
  return out;
}

async function moratoriumBreaches(db: Db, rules: AnalysisRules, params: unknown[], policy: PolicyParams): Promise<Finding[]> {
  const r = await db.query<WorkRow & { mid: number; from: string; until: string; exceptions: string[] }>(
    `${scoped(policy, half('w'), 'w.opens_ground')}
     SELECT ${WORK_FIELDS('w')}, m.id AS mid, m.valid_from::text AS "from", m.valid_until::text AS until, m.exceptions
     FROM scoped w CROSS JOIN LATERAL (
       SELECT m.* FROM moratorium m WHERE m.geom && w.box AND ST_DWithin(w.geom, m.geom, ${half('w')})
         AND m.valid_from <= w.preferred_end AND m.valid_until >= w.preferred_start
         ${policy ? `AND ${moratoriumReadableSql(6)}` : ''}
       OFFSET 0) m`, params);
  const out: Finding[] = [];
  for (const row of r.rows) {
    const f = classifyMoratorium(row, { id: Number(row.mid), from: row.from, until: row.until, exceptions: row.exceptions });
    if (f) out.push(f);
  }
  return out;
}

/** Shares of the works the coupling probe runs in at once (the analysis benchmark machine has 2 cores). */
export const PARALLEL_PARTS = 2;

async function couplings(db: Db, rules: AnalysisRules, params: unknown[], policy: PolicyParams, assetDatasets: Map<number, number> | undefined, part: number): Promise<Finding[]> {
  const n = params.length;
  const r = await db.query<WorkRow & { assets: (CouplingAsset & { datasetId: number })[] }>(
    `${scoped(policy, `${half('w')} + $${n + 2}`, `w.opens_ground AND w.id % ${PARALLEL_PARTS} = ${part}`)},
     life AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($${n + 1}::jsonb) AS l(system text, material text, years int))
     SELECT ${WORK_FIELDS('w')}, c.assets
     FROM scoped w CROSS JOIN LATERAL (
       SELECT json_agg(json_build_object('id', a.id, 'system', a.system, 'ownerId', a.owner_id, 'dueYear', a.due, 'datasetId', a.dataset_id)) AS assets FROM (
         SELECT a.id::int AS id, a.system, a.owner_id, a.dataset_id,
           coalesce(a.replacement_year, a.in_service_year + (
             SELECT l.years FROM life l WHERE l.system = a.system AND (lower(l.material) = lower(a.material) OR l.material = '*')
             ORDER BY l.material = '*' LIMIT 1)) AS due
         FROM asset a ${policy ? 'JOIN dataset d ON d.id = a.dataset_id' : ''}
         WHERE a.geom && w.box AND ST_DWithin(a.geom, w.geom, ${half('w')} + $${n + 2}) AND (a.replacement_year IS NOT NULL OR a.in_service_year IS NOT NULL)
           ${policy ? `AND ${assetReadableSql(6)}` : ''}
         OFFSET 0) a
       WHERE a.due IS NOT NULL AND a.due <= extract(year FROM w.preferred_start)::int + $${n + 3}) c
     WHERE c.assets IS NOT NULL`,
    [...params, JSON.stringify(rules.lifetimes), rules.couplingDistanceM, rules.couplingYears]);
  if (assetDatasets) for (const row of r.rows) for (const a of row.assets) assetDatasets.set(a.id, a.datasetId);
  return r.rows.flatMap((row) => classifyCouplings(rules, row, row.assets));
}

/**
 * Every finding in scope, in a stable order; a finding found from both of its works is listed once.
 * `assetDatasets`, when given, receives the dataset of every asset in a coupling (the store keeps
 * them, so a reader's visibility is decided per dataset without touching the asset table).
 */
export async function analyse(
  db: Db, scope: AnalysisScope = {}, policy: PolicyParams = null, rules: AnalysisRules = DEFAULT_RULES, assetDatasets?: Map<number, number>,
): Promise<Finding[]> {
  const params: unknown[] = [
    ANALYSED_STATUSES, rules.defaultTrenchWidthM, scope.bbox ? [...scope.bbox] : null, scope.areaCode ?? null,
    scope.workIds ? [...scope.workIds] : null, ...(policy ?? []),
  ];
  // the widest half trench of any planned work: the index probe reaches this far (an upper bound is enough)
  const widest = await db.query<{ half: number | null }>(`SELECT max(${half('w')}) AS half FROM work w WHERE w.status = ANY($1::text[])`, [ANALYSED_STATUSES, rules.defaultTrenchWidthM]);
  const maxHalf = widest.rows[0]?.half ?? 0;
  // The probes run at the same time, and the coupling probe (the big one: works × assets) in
  // PARALLEL_PARTS shares of the works: on a pool every query has its own connection, so
  // PostgreSQL works on them with as many cores (on one client they simply queue).
  const parts = Array.from({ length: PARALLEL_PARTS }, (_, i) => couplings(db, rules, params, policy, assetDatasets, i));
  const found = (await Promise.all([workPairs(db, rules, params, policy, maxHalf), moratoriumBreaches(db, rules, params, policy), ...parts])).flat();
  const unique = new Map(found.map((f) => [f.id, f]));
  return sortFindings([...unique.values()]);
}
