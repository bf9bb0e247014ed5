/**
 * `GET /api/analysis/findings?bbox=minLon,minLat,maxLon,maxLat | area=<CBS code> [&works=1,2]`
 * (issue 6): the findings among the planned works the caller may see: combine, clash, repeat
 * opening, moratorium breach and coupling, each with the works (and assets, moratorium) it links,
 * its numbers and the rule that fired. Ids are stable (`combine:12-34`): decisions hang on them.
 */
import { Router } from 'express';
import { policyParams } from '../../auth/policy.ts';
import { type AnalysisScope, analyse } from '../../analysis/findings.ts';
import type { Pool } from '../../db/pool.ts';
import { DEFAULT_RULES, FINDING_TYPES } from '../../model/analysis-rules.ts';
import { principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { parseBbox } from './datasets.ts';

const single = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseScope(query: Record<string, unknown>): AnalysisScope {
  const bbox = single(query.bbox);
  const area = single(query.area);
  const works = single(query.works);
  if (bbox !== undefined && area !== undefined) throw badRequest('invalid_scope', 'give bbox or area, not both');
  if (area !== undefined && !/^GM\d{4}$/.test(area)) throw badRequest('invalid_area', `area must be a CBS municipality code such as GM1641, not "${area}"`);
  let workIds: number[] | undefined;
  if (works !== undefined) {
    workIds = works.split(',').map((w) => Number(w.trim()));
    if (workIds.length === 0 || workIds.length > 1000 || !workIds.every((n) => Number.isInteger(n) && n > 0)) {
      throw badRequest('invalid_works', 'works must be a comma-separated list of up to 1000 work ids');
    }
  }
  return { bbox: bbox === undefined ? undefined : parseBbox(bbox), areaCode: area, workIds };
}

export function analysisRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/analysis/findings', async (req, res) => {
    const scope = parseScope(req.query);
    const started = performance.now();
    const findings = await analyse(pool, scope, policyParams(principalOf(res)), DEFAULT_RULES);
    const counts = Object.fromEntries(FINDING_TYPES.map((t) => [t, findings.filter((f) => f.type === t).length]));
    res.set('Cache-Control', 'private, no-cache').json({
      findings: findings.map((f) => ({ ...f, decision: null })),
      counts,
      rules: DEFAULT_RULES,
      computedMs: Math.round(performance.now() - started),
    });
  });
  return router;
}
