/**
 * The findings and bundles one caller may see, for a scope (an area, a bbox, some works): the
 * store is brought up to date first, then read with the caller's policy parameters
 * (auth/policy.ts policyParams). Used by the analysis routes, the decisions, /ogc and the area
 * report, so every way out of the system shows the same findings.
 */
import { decisionVisibleSql, readFindings, type StoredFinding } from './read.ts';
import { type Bundle, buildBundles } from './bundles.ts';
import type { AnalysisScope } from './findings.ts';
import { ensureComputed, loadRules } from './store.ts';
import type { Pool } from '../db/pool.ts';

/** The decisions on bundles the caller may see (bundles are not stored; their decisions are). */
async function bundleDecisions(pool: Pool, policy: readonly unknown[]): Promise<Map<string, StoredFinding['decision']>> {
  const r = await pool.query<{ id: string; decision: StoredFinding['decision'] }>(
    `SELECT dd.subject_id AS id, json_build_object('decision', dd.decision, 'reason', dd.reason, 'decidedAt', dd.decided_at,
       'organisation', o.name, 'jointProjectId', dd.joint_project_id, 'version', dd.version) AS decision
     FROM finding_decision dd LEFT JOIN organisation o ON o.id = dd.org_id
     WHERE dd.subject_id LIKE 'bundle:%' AND ${decisionVisibleSql(true)}`,
    policy.slice(0, 2));
  return new Map(r.rows.map((row) => [row.id, row.decision]));
}

export async function findingsFor(pool: Pool, policy: readonly unknown[], scope: AnalysisScope): Promise<StoredFinding[]> {
  await ensureComputed(pool);
  return readFindings(pool, scope, policy);
}

export async function bundlesFor(pool: Pool, policy: readonly unknown[], scope: AnalysisScope): Promise<Bundle[]> {
  const findings = await findingsFor(pool, policy, scope);
  return buildBundles(pool, await loadRules(pool), findings, await bundleDecisions(pool, policy));
}
