/**
 * Decisions on findings and bundles (issue 6):
 *   PUT    /api/analysis/decisions/:subject  {decision: accepted|rejected|deferred, reason?, projectName?}
 *   DELETE /api/analysis/decisions/:subject  (undo: the finding is open again)
 * `subject` is a finding id (`combine:12-34`) or a bundle id (`bundle:12-34-56`) the caller can
 * see. Area managers and administrators decide. A decision has a version: changing or removing it
 * needs If-Match `"decision-v<n>"` (428 without, 412 with the current one when stale). Accepting
 * a combine finding or a bundle makes it a joint project with its works linked; a later other
 * decision or an undo removes that project again. Decisions survive recomputation (same ids).
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../../auth/principal.ts';
import { type Pool, withTransaction } from '../../db/pool.ts';
import { policyParams } from '../../auth/policy.ts';
import { forbidden, principalOf } from '../auth.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { bundlesFor, findingsFor } from '../../analysis/for-caller.ts';

const DecisionBody = z.object({
  decision: z.enum(['accepted', 'rejected', 'deferred']),
  reason: z.string().trim().max(1000).optional(),
  projectName: z.string().trim().min(3).max(200).optional(),
}).strict().refine((d) => d.decision !== 'rejected' || (d.reason ?? '').length >= 3, { path: ['reason'], message: 'a rejection needs a reason (at least 3 characters)' });

interface Current { version: number; decision: string; joint_project_id: number | null }

function decider(p: Principal): Principal & { orgId: number } {
  if (!p.partner || p.orgId === null || p.scope !== 'write' || (p.role !== 'area_manager' && p.role !== 'admin')) {
    throw forbidden(p, 'deciding on findings is for area managers and administrators');
  }
  return p as Principal & { orgId: number };
}

/** The works of a subject the caller can see, and whether it can become a joint project; 404 when not visible. */
async function subjectWorks(pool: Pool, res: Response, subject: string): Promise<{ works: number[]; joinable: boolean }> {
  if (subject.startsWith('bundle:')) {
    const b = (await bundlesFor(pool, policyParams(principalOf(res)), {})).find((x) => x.id === subject);
    if (!b) throw notFound(`bundle ${subject} (it may have changed: reload the bundles)`);
    return { works: b.works, joinable: true };
  }
  const f = (await findingsFor(pool, policyParams(principalOf(res)), {})).find((x) => x.id === subject);
  if (!f) throw notFound(`finding ${subject}`);
  return { works: f.works, joinable: f.type === 'combine' };
}

function ifMatch(req: Request, subject: string, current: Current | undefined): void {
  if (!current) return;
  const tag = req.get('if-match');
  if (!tag) throw new HttpError(428, 'if_match_required', `${subject} has a decision already: send If-Match with its ETag`);
  if (tag.trim() !== `"decision-v${current.version}"`) {
    throw new HttpError(412, 'stale', `the decision on ${subject} changed since you read it (now version ${current.version}, ${current.decision})`);
  }
}

const readCurrent = async (db: Pick<Pool, 'query'>, subject: string): Promise<Current | undefined> =>
  (await db.query<Current>('SELECT version, decision, joint_project_id FROM finding_decision WHERE subject_id = $1 FOR UPDATE', [subject])).rows[0];

export function analysisDecisionsRouter(pool: Pool): Router {
  const router = Router();

  router.put('/api/analysis/decisions/:subject', async (req, res) => {
    const p = decider(principalOf(res));
    const subject = String(req.params.subject);
    const body = parseBody(DecisionBody, req.body);
    const { works, joinable } = await subjectWorks(pool, res, subject);
    if (body.decision === 'accepted' && !joinable) throw badRequest('not_combinable', `${subject} is not a combination: only combine findings and bundles can be accepted as a joint project; defer or reject it`);
    const saved = await withTransaction(pool, async (c) => {
      const current = await readCurrent(c, subject);
      ifMatch(req, subject, current);
      if (current?.joint_project_id) await c.query('DELETE FROM joint_project WHERE id = $1', [current.joint_project_id]);
      let project: number | null = null;
      if (body.decision === 'accepted') {
        const titles = await c.query<{ title: string }>('SELECT title FROM work WHERE id = ANY($1::bigint[]) ORDER BY id', [works]);
        const name = body.projectName ?? `Combinatie: ${titles.rows.map((t) => t.title).join(' + ')}`.slice(0, 200);
        const r = await c.query<{ id: number }>(
          'INSERT INTO joint_project (name, source_id, org_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id', [name, subject, p.orgId, p.userId]);
        project = r.rows[0]?.id ?? null;
        await c.query('INSERT INTO joint_project_work (project_id, work_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [project, works]);
      }
      const r = await c.query<{ version: number }>(
        `INSERT INTO finding_decision (subject_id, decision, reason, work_ids, org_id, decided_by, joint_project_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (subject_id) DO UPDATE SET decision = EXCLUDED.decision, reason = EXCLUDED.reason, work_ids = EXCLUDED.work_ids,
           org_id = EXCLUDED.org_id, decided_by = EXCLUDED.decided_by, joint_project_id = EXCLUDED.joint_project_id,
           decided_at = now(), version = finding_decision.version + 1
         RETURNING version`,
        [subject, body.decision, body.reason ?? null, works, p.orgId, p.userId, project]);
      return { version: r.rows[0]?.version ?? 1, project };
    });
    res.status(200).set('ETag', `"decision-v${saved.version}"`)
      .json({ subject, decision: body.decision, reason: body.reason ?? null, works, jointProjectId: saved.project, version: saved.version });
  });

  router.delete('/api/analysis/decisions/:subject', async (req, res) => {
    decider(principalOf(res));
    const subject = String(req.params.subject);
    await withTransaction(pool, async (c) => {
      const current = await readCurrent(c, subject);
      if (!current) throw notFound(`a decision on ${subject}`);
      ifMatch(req, subject, current);
      if (current.joint_project_id) await c.query('DELETE FROM joint_project WHERE id = $1', [current.joint_project_id]);
      await c.query('DELETE FROM finding_decision WHERE subject_id = $1', [subject]);
    });
    res.status(204).end();
  });

  return router;
}
