/**
 * The current findings, kept in the `finding` table (issue 6). A full recompute replaces them all
 * (first use, a changed rule, an asset import); after a work is created, changed or deleted only
 * the findings that involve it are recomputed: the same analysis limited to that work. Runs in
 * the system's row-security context: the stored findings cover every work, and each reader sees
 * only those whose works it may see (analysis/read.ts).
 */
import { z } from 'zod';
import type { Pool } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import { MARK_FINDINGS_STALE } from '../db/repositories/analysis-state.ts';
import { asSystem } from '../db/tenant-context.ts';
import { type AnalysisRules, DEFAULT_RULES, pairKey } from '../model/analysis-rules.ts';
import { SYSTEM_CODES, type SystemCode, isSystemCode } from '../model/systems.ts';
import type { Finding } from '../model/analysis/finding.ts';
import { analyse } from './findings.ts';

type Db = Pick<Pool, 'query'>;

const pairRule = z.object({ distanceM: z.number().positive().max(1000), combineDays: z.number().int().min(0).max(3650) }).strict();
/** What a deployment may set (app_setting `analysis_rules`); everything else keeps its default. */
export const RulesChange = z.object({
  defaultTrenchWidthM: z.number().positive().max(50),
  pair: pairRule,
  pairs: z.record(z.string(), pairRule).superRefine((pairs, ctx) => {
    for (const key of Object.keys(pairs)) {
      const [a, b, ...rest] = key.split('|');
      if (rest.length > 0 || !isSystemCode(a) || !isSystemCode(b)) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a pair of system codes "a|b" (codes: ${SYSTEM_CODES.join(', ')})` });
    }
  }),
  repeatDays: z.number().int().min(1).max(7300),
  couplingDistanceM: z.number().min(0).max(50),
  couplingYears: z.number().int().min(0).max(50),
  lifetimes: z.array(z.object({ system: z.enum(SYSTEM_CODES), material: z.string().min(1).max(60), years: z.number().int().min(1).max(200), source: z.string().max(500) }).strict()).max(500),
  repavingPricePerM2: z.number().min(0).max(10_000),
}).partial().strict();
export type RulesChange = z.infer<typeof RulesChange>;

/** The rules in force: the defaults with the deployment's settings over them. */
export async function loadRules(db: Db): Promise<AnalysisRules> {
  const r = await db.query<{ value: string }>("SELECT value FROM app_setting WHERE key = 'analysis_rules'");
  const parsed = RulesChange.safeParse(JSON.parse(r.rows[0]?.value ?? '{}'));
  if (!parsed.success) return DEFAULT_RULES;
  const pairs = Object.fromEntries(Object.entries(parsed.data.pairs ?? {}).map(([k, v]) => {
    const [a, b] = k.split('|') as [SystemCode, SystemCode];
    return [pairKey(a, b), v];
  }));
  return { ...DEFAULT_RULES, ...parsed.data, pairs } as AnalysisRules;
}

export async function saveRules(pool: Pool, change: RulesChange): Promise<AnalysisRules> {
  await asSystem(() => pool.query(
    `INSERT INTO app_setting (key, value) VALUES ('analysis_rules', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [JSON.stringify(change)]));
  await refreshAll(pool);
  return loadRules(pool);
}

/**
 * Store findings with the datasets of their assets (`assetDatasets` from analyse). A finding that
 * is already stored as it is stays untouched (no write, its computed_at kept); `replaceAll` also
 * removes every stored finding that is not among these (the full recompute), in the same statement.
 */
async function store(db: Db, findings: readonly Finding[], assetDatasets: ReadonlyMap<number, number>, replaceAll = false): Promise<void> {
  if (findings.length === 0 && !replaceAll) return;
  const rows = findings.map((f) => ({ ...f, datasets: [...new Set(f.assets.map((a) => assetDatasets.get(a) ?? 0))].sort((p, q) => p - q) }));
  await db.query(
    `WITH incoming AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS f(id text, type text, works bigint[], assets bigint[], datasets int[], moratorium bigint, metrics jsonb, rule jsonb)),
     gone AS (DELETE FROM finding x WHERE $2::boolean AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.id = x.id))
     INSERT INTO finding AS x (id, type, work_ids, asset_ids, asset_datasets, moratorium_id, metrics, rule)
     SELECT f.id, f.type, f.works, f.assets, f.datasets, f.moratorium, f.metrics, f.rule FROM incoming f
     ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, work_ids = EXCLUDED.work_ids, asset_ids = EXCLUDED.asset_ids,
       asset_datasets = EXCLUDED.asset_datasets, moratorium_id = EXCLUDED.moratorium_id, metrics = EXCLUDED.metrics, rule = EXCLUDED.rule, computed_at = now()
     WHERE (x.type, x.work_ids, x.asset_ids, x.asset_datasets, x.moratorium_id, x.metrics, x.rule)
       IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.work_ids, EXCLUDED.asset_ids, EXCLUDED.asset_datasets, EXCLUDED.moratorium_id, EXCLUDED.metrics, EXCLUDED.rule)`,
    [JSON.stringify(rows), replaceAll]);
}

export interface Refresh { findings: number; ms: number }

/** Recompute everything; the table changes in one statement (readers see the old or the new set). */
export function refreshAll(pool: Pool): Promise<Refresh> {
  return asSystem(async () => {
    const started = performance.now();
    const rules = await loadRules(pool);
    const datasets = new Map<number, number>();
    const findings = await analyse(pool, {}, null, rules, datasets);
    await withTransaction(pool, async (client) => {
      await store(client, findings, datasets, true);
      await client.query(
        `INSERT INTO app_setting (key, value) VALUES ('analysis_computed_at', now()::text) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
    });
    return { findings: findings.length, ms: performance.now() - started };
  });
}

/** Recompute the findings that involve these works (created, changed, deleted or restored). */
export function refreshWorks(pool: Pool, workIds: readonly number[]): Promise<Refresh> {
  return asSystem(async () => {
    const started = performance.now();
    // never computed, or marked stale by an import: the next reader recomputes everything anyway
    if (!(await computedOnce(pool))) return { findings: 0, ms: performance.now() - started };
    const rules = await loadRules(pool);
    const datasets = new Map<number, number>();
    const findings = workIds.length === 0 ? [] : await analyse(pool, { workIds }, null, rules, datasets);
    await withTransaction(pool, async (client) => {
      // the work's findings that no longer hold go; the others are updated where they changed
      await client.query('DELETE FROM finding WHERE work_ids && $1::bigint[] AND NOT (id = ANY($2::text[]))', [workIds, findings.map((f) => f.id)]);
      await store(client, findings, datasets);
    });
    return { findings: findings.length, ms: performance.now() - started };
  });
}

/** After a moratorium changed: the works it covers now or whose findings named it. */
export function refreshMoratorium(pool: Pool, moratoriumId: number): Promise<Refresh> {
  return asSystem(async () => {
    const rules = await loadRules(pool);
    const r = await pool.query<{ id: number }>(
      `SELECT DISTINCT unnest(work_ids)::int AS id FROM finding WHERE moratorium_id = $1
       UNION SELECT w.id::int FROM work w JOIN moratorium m ON m.id = $1
         WHERE ST_DWithin(w.geom, m.geom, CASE WHEN ST_Dimension(w.geom) = 2 THEN 0 ELSE coalesce(w.trench_width, $2) / 2 END)`,
      [moratoriumId, rules.defaultTrenchWidthM]);
    return refreshWorks(pool, r.rows.map((x) => x.id));
  });
}

async function computedOnce(db: Db): Promise<boolean> {
  const r = await db.query("SELECT 1 FROM app_setting WHERE key = 'analysis_computed_at'");
  return (r.rowCount ?? 0) > 0;
}

/** The first reader after a fresh install (or a reset) triggers the full computation. */
export async function ensureComputed(pool: Pool): Promise<void> {
  if (!(await asSystem(() => computedOnce(pool)))) await refreshAll(pool);
}


/**
 * After an edit has committed: bring the findings up to date. A failure must not turn a saved
 * edit into an error answer: the findings are then marked stale, and the next reader recomputes all.
 */
export async function afterEdit(pool: Pool, refresh: () => Promise<unknown>): Promise<void> {
  try {
    await refresh();
  } catch (err) {
    console.error(`[samenhang] findings not updated after an edit, recomputing on the next read: ${err instanceof Error ? err.message : String(err)}`);
    await asSystem(() => pool.query(MARK_FINDINGS_STALE)).catch(() => undefined);
  }
}

