/**
 * Creating, changing, deleting and restoring planned works (issue 5), with optimistic
 * concurrency (http/concurrency.ts): PATCH and DELETE need `If-Match`; a stale version gets 412
 * with the current state, so no update is lost when two organisations edit the same work.
 * Each change and its history row are one transaction. A deleted work keeps its raw row in the
 * history, so undo restores it with the same id. A reconstruction or redesign marked 'gereed'
 * generates its moratorium in the same transaction.
 * Writers: analysts, administrators and area managers (inside their project areas) of the owner.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { type Pool, withTransaction } from '../../db/pool.ts';
import { afterEdit, refreshMoratorium, refreshWorks } from '../../analysis/store.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { addHistory, generateMoratorium, rowStateSql } from '../../db/repositories/works.ts';
import { type NewWork, NewWork as NewWorkSchema, WorkChange, checkWindows } from '../../model/work.ts';
import { forbidden, principalOf } from '../auth.ts';
import { etagOf, expectedVersion, guarded, sendStale } from '../concurrency.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseId } from './assets.ts';
import { changeSet, checkGeometry, editor, ownOrganisation } from './edit-common.ts';
import { readWork } from './works.ts';

const COLUMNS: Record<string, string> = {
  title: 'title', kind: 'kind', systems: 'systems', status: 'status', opensGround: 'opens_ground', trenchWidth: 'trench_width',
  earliestStart: 'earliest_start', preferredStart: 'preferred_start', preferredEnd: 'preferred_end', latestEnd: 'latest_end',
  costEstimate: 'cost_estimate', contact: 'contact', confidentiality: 'confidentiality',
};

const today = (): string => new Date().toISOString().slice(0, 10);

export function workEditRouter(pool: Pool): Router {
  const router = Router();

  router.post('/api/works', async (req, res) => {
    const p = editor(principalOf(res));
    const w: NewWork = parseBody(NewWorkSchema, req.body);
    const work = await withTransaction(pool, async (c) => {
      const owner = await ownOrganisation(c, w.owner, p);
      await checkGeometry(c, w.geometry, p);
      const r = await c.query<{ id: number }>(
        `INSERT INTO work (source_kind, source_id, owner_id, title, kind, work_kinds, systems, status, opens_ground, trench_width,
           earliest_start, preferred_start, preferred_end, latest_end, cost_estimate, contact, confidentiality, content_hash, geom)
         VALUES ('manual', $1, $2, $3, $4, ARRAY[$4], $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'manual',
           ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($16), 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid')))
         RETURNING id`,
        [randomUUID(), owner, w.title, w.kind, w.systems, w.status, w.opensGround, w.trenchWidth ?? null, w.earliestStart ?? null,
          w.preferredStart, w.preferredEnd, w.latestEnd ?? null, w.costEstimate ?? null, w.contact ?? null, w.confidentiality, JSON.stringify(w.geometry)]);
      const id = r.rows[0]?.id ?? 0;
      const created = await readWork(c, id, p);
      await addHistory(c, 'work', { id, version: 1, userId: p.userId, orgId: p.orgId, action: 'created', changes: created });
      const moratorium = w.status === 'gereed' ? await generateMoratorium(c, id, today(), p) : null;
      return { created, moratorium };
    });
    const id = Number(work.created?.id);
    await afterEdit(pool, async () => {
      await refreshWorks(pool, [id]);
      if (work.moratorium) await refreshMoratorium(pool, work.moratorium);
    });
    res.status(201).set('ETag', etagOf('work', id, 1)).set('Location', `/api/works/${id}`).json(work.created);
  });

  router.patch('/api/works/:id', async (req, res) => {
    const p = editor(principalOf(res));
    const id = parseId(req.params);
    const change = parseBody(WorkChange, req.body);
    const current = await readWork(pool, id, p);
    if (!current) throw notFound(`work ${id}`);
    if (current.owner === null || current.owner === undefined) throw forbidden(p, 'you change works of your own organisation only');
    await ownOrganisation(pool, String(current.owner), p);
    const expected = expectedVersion(req, 'work', id);
    await guarded(async () => {
      if (expected !== current.version) await sendStale(res, 'work', id, () => readWork(pool, id, p));
      const window = checkWindows({ ...current, ...change } as Parameters<typeof checkWindows>[0]);
      if (window) throw badRequest('invalid_window', window);
      if (change.owner !== undefined) await ownOrganisation(pool, change.owner, p);
      if (change.geometry !== undefined) await checkGeometry(pool, change.geometry, p);
      const values: unknown[] = [id, expected];
      const { sets, diff } = changeSet(COLUMNS, change, current, values);
      if (sets.length === 0) throw badRequest('empty_change', 'nothing to change');
      const done = await withTransaction(pool, async (c) => {
        const r = await c.query<{ version: number }>(
          `UPDATE work SET ${sets.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version`, values);
        const version = r.rows[0]?.version;
        if (version === undefined) return null; // someone else committed in between
        await addHistory(c, 'work', { id, version, userId: p.userId, orgId: p.orgId, action: 'updated', changes: diff });
        const moratorium = change.status === 'gereed' && current.status !== 'gereed' ? await generateMoratorium(c, id, today(), p) : null;
        // the answer is read in the edit's own transaction: once it commits, the client hears
        // 200 with it, even if the database goes away before a read after the commit could run
        return { version, moratorium, work: await readWork(c, id, p) };
      });
      if (!done) await sendStale(res, 'work', id, () => readWork(pool, id, p));
      await afterEdit(pool, async () => {
        await refreshWorks(pool, [id]);
        if (done?.moratorium) await refreshMoratorium(pool, done.moratorium);
      });
      if (done?.moratorium) res.set('X-Moratorium-Created', String(done.moratorium));
      res.set('ETag', etagOf('work', id, done?.version ?? 0)).json(done?.work);
    });
  });

  router.delete('/api/works/:id', async (req, res) => {
    const p = editor(principalOf(res));
    const id = parseId(req.params);
    const current = await readWork(pool, id, p);
    if (!current) throw notFound(`work ${id}`);
    if (current.owner === null || current.owner === undefined) throw forbidden(p, 'you delete works of your own organisation only');
    await ownOrganisation(pool, String(current.owner), p);
    const expected = expectedVersion(req, 'work', id);
    await guarded(async () => {
      const deleted = await withTransaction(pool, async (c) => {
        const state = await c.query<{ row: unknown }>(rowStateSql('work'), [id]);
        const r = await c.query('DELETE FROM work WHERE id = $1 AND version = $2', [id, expected]);
        if ((r.rowCount ?? 0) === 0) return false;
        // the last state stays in the history: undo restores the work from it, with the same id
        await addHistory(c, 'work', { id, version: expected, userId: p.userId, orgId: p.orgId, action: 'deleted', changes: current, rowState: state.rows[0]?.row });
        return true;
      });
      if (!deleted) await sendStale(res, 'work', id, () => readWork(pool, id, p));
      await afterEdit(pool, () => refreshWorks(pool, [id]));
      res.status(204).end();
    });
  });

  /** Undo of a delete: the work comes back with its id, one version further. */
  router.post('/api/works/:id/restore', async (req, res) => {
    const p = editor(principalOf(res));
    const id = parseId(req.params);
    // trusted: the history row is read and the work re-inserted as stored (imported works too),
    // after checking that it belonged to the caller's organisation
    const version = await asSystem(() => withTransaction(pool, async (c) => {
      const last = await c.query<{ action: string; row_state: { owner_id?: number; version?: number } | null }>(
        'SELECT action, row_state FROM work_history WHERE work_id = $1 ORDER BY id DESC LIMIT 1', [id]);
      const entry = last.rows[0];
      if (!entry) throw notFound(`work ${id}`);
      if (entry.action !== 'deleted' || !entry.row_state) throw new HttpError(409, 'not_deleted', `work ${id} is not deleted; only a deleted work can be restored`);
      if (entry.row_state.owner_id !== p.orgId) throw forbidden(p, 'you restore works of your own organisation only');
      const next = (entry.row_state.version ?? 1) + 1;
      await c.query(
        `INSERT INTO work SELECT (jsonb_populate_record(NULL::work, $1::jsonb || jsonb_build_object('version', $2::int, 'updated_at', now()))).*`,
        [JSON.stringify(entry.row_state), next]);
      await addHistory(c, 'work', { id, version: next, userId: p.userId, orgId: p.orgId, action: 'restored', changes: { version: next } });
      return next;
    }));
    await afterEdit(pool, () => refreshWorks(pool, [id]));
    res.status(201).set('ETag', etagOf('work', id, version)).set('Location', `/api/works/${id}`).json(await readWork(pool, id, p));
  });

  router.get('/api/works/:id/history', async (req, res) => {
    const id = parseId(req.params);
    const r = await pool.query(
      `SELECT h.version, h.at, u.email AS "user", o.slug AS organisation, h.action, h.changes
       FROM work_history h LEFT JOIN app_user u ON u.id = h.user_id LEFT JOIN organisation o ON o.id = h.org_id
       WHERE h.work_id = $1 ORDER BY h.id`, [id]);
    if (r.rows.length === 0) throw notFound(`work ${id}`);
    res.set('Cache-Control', 'private, no-cache').json({ history: r.rows });
  });

  return router;
}
