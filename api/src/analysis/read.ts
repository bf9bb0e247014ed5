/**
 * Reading the stored findings as one caller may see them (issue 6): a finding only when every work
 * in it (and its moratorium) is visible to the caller; a coupling with only the assets the caller
 * may see (none: no finding); the decision on it when the caller's organisation is involved.
 */
import { assetReadableSql, moratoriumReadableSql, readableSql } from '../auth/policy.ts';
import type { Pool } from '../db/pool.ts';
import type { Finding } from '../model/analysis/finding.ts';
import type { AnalysisScope } from './findings.ts';

type Db = Pick<Pool, 'query'>;

export interface Decision {
  decision: 'accepted' | 'rejected' | 'deferred';
  reason: string | null;
  decidedAt: string;
  organisation: string | null;
  jointProjectId: number | null;
  version: number;
}

export type StoredFinding = Finding & { decision: Decision | null };

const POLICY = 5;

/** The SQL conditions that keep a finding `f` to what the caller (policy at $1..$5) may see, and the scope from $6. */
export function visibleFindingSql(withPolicy: boolean): string {
  const work = withPolicy ? readableSql('w', 'w.confidentiality', 'w.owner_id', 'NULL::int', 1) : 'true';
  const moratorium = withPolicy ? moratoriumReadableSql(1) : 'true';
  const s = withPolicy ? POLICY : 0;
  return `NOT EXISTS (SELECT 1 FROM unnest(f.work_ids) wid WHERE NOT EXISTS (SELECT 1 FROM work w WHERE w.id = wid AND ${work}))
    AND (f.moratorium_id IS NULL OR EXISTS (SELECT 1 FROM moratorium m WHERE m.id = f.moratorium_id AND ${moratorium}))
    AND ($${s + 1}::float8[] IS NULL OR EXISTS (SELECT 1 FROM work w WHERE w.id = ANY(f.work_ids)
         AND w.geom && ST_Transform(ST_MakeEnvelope($${s + 1}[1], $${s + 1}[2], $${s + 1}[3], $${s + 1}[4], 4326), ST_SRID(w.geom))))
    AND ($${s + 2}::text IS NULL OR EXISTS (SELECT 1 FROM work w JOIN municipality g ON g.code = $${s + 2}
         WHERE w.id = ANY(f.work_ids) AND ST_Intersects(g.geom, w.geom)))
    AND ($${s + 3}::bigint[] IS NULL OR f.work_ids && $${s + 3}::bigint[])`;
}

/** A decision `dd` is shown to the deciding organisation and to the owners of its works (policy at $1..$5). */
export function decisionVisibleSql(withPolicy: boolean): string {
  return withPolicy ? `$1::int = 1 AND (dd.org_id = $2::int OR EXISTS (SELECT 1 FROM work w WHERE w.id = ANY(dd.work_ids) AND w.owner_id = $2::int))` : 'true';
}

export function scopeParams(scope: AnalysisScope): unknown[] {
  return [scope.bbox ? [...scope.bbox] : null, scope.areaCode ?? null, scope.workIds ? [...scope.workIds] : null];
}

interface Row {
  id: string;
  type: Finding['type'];
  works: string[];
  assets: string[];
  moratorium: string | null;
  metrics: Finding['metrics'];
  rule: Finding['rule'];
  decision: Decision | null;
}

export async function readFindings(db: Db, scope: AnalysisScope, policy: readonly unknown[] | null): Promise<StoredFinding[]> {
  const withPolicy = policy !== null;
  // A coupling's assets: all of them when every dataset they come from is open to the caller as a
  // whole (C0, or C1 / its own for a partner); only then is the asset table itself not touched.
  // Otherwise each asset is checked (C2 shares and C3 areas depend on the asset's place).
  const open = `ARRAY(SELECT d.id FROM dataset d WHERE d.confidentiality = 'C0' OR ($1::int = 1 AND (d.confidentiality = 'C1' OR d.owner_id = $2::int)))`;
  const assets = withPolicy
    ? `CASE WHEN f.asset_datasets <@ ${open} THEN f.asset_ids
       ELSE ARRAY(SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE a.id = ANY(f.asset_ids) AND ${assetReadableSql(1)} ORDER BY a.id) END`
    : 'f.asset_ids';
  const r = await db.query<Row>(
    `SELECT f.id, f.type, f.work_ids AS works, ${assets} AS assets, f.moratorium_id AS moratorium, f.metrics, f.rule,
       CASE WHEN dd.subject_id IS NULL THEN NULL ELSE json_build_object('decision', dd.decision, 'reason', dd.reason, 'decidedAt', dd.decided_at,
         'organisation', o.name, 'jointProjectId', dd.joint_project_id, 'version', dd.version) END AS decision
     FROM finding f
     LEFT JOIN finding_decision dd ON dd.subject_id = f.id AND ${decisionVisibleSql(withPolicy)}
     LEFT JOIN organisation o ON o.id = dd.org_id
     WHERE ${visibleFindingSql(withPolicy)}
     ORDER BY f.id`,
    [...(policy ?? []), ...scopeParams(scope)]);
  const out: StoredFinding[] = [];
  for (const row of r.rows) {
    const f: StoredFinding = {
      id: row.id, type: row.type, works: row.works.map(Number), assets: row.assets.map(Number),
      moratorium: row.moratorium === null ? null : Number(row.moratorium), metrics: row.metrics, rule: row.rule, decision: row.decision,
    };
    if (f.type === 'coupling') {
      if (f.assets.length === 0) continue;
      f.metrics = { ...f.metrics, asset_count: f.assets.length };
    }
    out.push(f);
  }
  const order = ['combine', 'clash', 'repeat_opening', 'moratorium', 'coupling'];
  return out.sort((p, q) => order.indexOf(p.type) - order.indexOf(q.type) || (p.id < q.id ? -1 : 1));
}
