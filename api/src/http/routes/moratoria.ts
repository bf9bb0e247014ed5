/**
 * Dig moratoria (graafrust) as their own layer (issue 5): list as GeoJSON, read one with its ETag,
 * create, change (If-Match), delete and restore (undo) — the same concurrency and history as
 * works. Generated moratoria (a finished reconstruction) come from the work routes.
 */
import { Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import { withTransaction } from '../../db/pool.ts';
import { afterEdit, refreshMoratorium } from '../../analysis/store.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { moratoriumReadableSql, policyParams } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { type Db, MORATORIUM_COLUMNS, type Row, addHistory, insertMoratorium, readMoratoriumRow, rowStateSql } from '../../db/repositories/works.ts';
import { MoratoriumChange, NewMoratorium } from '../../model/moratorium.ts';
import { forbidden, principalOf } from '../auth.ts';
import { etagOf, expectedVersion, guarded, sendStale } from '../concurrency.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseId } from './assets.ts';
import { changeSet, checkGeometry, editor, ownOrganisation } from './edit-common.ts';

const COLUMNS: Record<string, string> = { from: 'valid_from', until: 'valid_until', reason: 'reason', exceptions: 'exceptions' };
const WHAT = 'moratoria';

export const readMoratorium = (db: Db, id: number, p: Principal): Promise<Row | null> =>
  readMoratoriumRow(db, id, moratoriumReadableSql(2), policyParams(p));

/** The moratoria the caller may see, as a GeoJSON FeatureCollection in WGS84. */
export async function moratoriaCollection(pool: Pool, p: Principal): Promise<unknown> {
  const r = await pool.query<{ fc: unknown }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(ST_Transform(t.geom, 4326), 7)::json,
       'properties', to_jsonb(t) - 'geom') ORDER BY t.id), '[]'::json)) AS fc
     FROM (SELECT ${MORATORIUM_COLUMNS}, m.geom FROM moratorium m LEFT JOIN organisation o ON o.id = m.owner_id
           WHERE ${moratoriumReadableSql(1)}) t`, policyParams(p));
  return r.rows[0]?.fc;
}

async function ownedCurrent(pool: Pool, id: number, p: ReturnType<typeof editor>): Promise<Row> {
  const current = await readMoratorium(pool, id, p);
  if (!current) throw notFound(`moratorium ${id}`);
  if (current.owner === null || current.owner === undefined) throw forbidden(p, 'you change moratoria of your own organisation only');
  await ownOrganisation(pool, String(current.owner), p, WHAT);
  return current;
}

export function moratoriaRouter(pool: Pool): Router {
  const router = Router();

  router.get('/api/moratoria', async (_req, res) => {
    res.set('Cache-Control', 'private, no-cache').type('application/geo+json').send(JSON.stringify(await moratoriaCollection(pool, principalOf(res))));
  });

  router.get('/api/moratoria/:id', async (req, res) => {
    const id = parseId(req.params);
    const m = await readMoratorium(pool, id, principalOf(res));
    if (!m) throw notFound(`moratorium ${id}`);
    res.set('ETag', etagOf('moratorium', id, m.version)).set('Cache-Control', 'private, no-cache').json(m);
  });

  router.post('/api/moratoria', async (req, res) => {
    const p = editor(principalOf(res), 'marking moratoria');
    const m = parseBody(NewMoratorium, req.body);
    const created = await withTransaction(pool, async (c) => {
      await checkGeometry(c, m.geometry, p, WHAT);
      const owner = await ownOrganisation(c, undefined, p, WHAT);
      const id = await insertMoratorium(c, owner, m);
      const row = await readMoratorium(c, id, p);
      await addHistory(c, 'moratorium', { id, version: 1, userId: p.userId, orgId: p.orgId, action: 'created', changes: row });
      return row;
    });
    const id = Number(created?.id);
    await afterEdit(pool, () => refreshMoratorium(pool, id));
    res.status(201).set('ETag', etagOf('moratorium', id, 1)).set('Location', `/api/moratoria/${id}`).json(created);
  });

  router.patch('/api/moratoria/:id', async (req, res) => {
    const p = editor(principalOf(res), 'marking moratoria');
    const id = parseId(req.params);
    const change = parseBody(MoratoriumChange, req.body);
    const current = await ownedCurrent(pool, id, p);
    const expected = expectedVersion(req, 'moratorium', id);
    await guarded(async () => {
      if (expected !== current.version) await sendStale(res, 'moratorium', id, () => readMoratorium(pool, id, p));
      const from = change.from ?? String(current.from);
      const until = change.until ?? String(current.until);
      if (until < from) throw badRequest('invalid_period', `until (${until}) lies before from (${from})`);
      if (change.geometry !== undefined) await checkGeometry(pool, change.geometry, p, WHAT);
      const values: unknown[] = [id, expected];
      const { sets, diff } = changeSet(COLUMNS, change, current, values);
      if (sets.length === 0) throw badRequest('empty_change', 'nothing to change');
      // the answer is read in the edit's own transaction (as for works): a committed edit is answered 200
      const done = await withTransaction(pool, async (c) => {
        const r = await c.query<{ version: number }>(
          `UPDATE moratorium SET ${sets.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version`, values);
        const v = r.rows[0]?.version;
        if (v === undefined) return undefined;
        await addHistory(c, 'moratorium', { id, version: v, userId: p.userId, orgId: p.orgId, action: 'updated', changes: diff });
        return { version: v, row: await readMoratorium(c, id, p) };
      });
      if (done === undefined) await sendStale(res, 'moratorium', id, () => readMoratorium(pool, id, p));
      await afterEdit(pool, () => refreshMoratorium(pool, id));
      res.set('ETag', etagOf('moratorium', id, done?.version ?? 0)).json(done?.row);
    });
  });

  router.delete('/api/moratoria/:id', async (req, res) => {
    const p = editor(principalOf(res), 'marking moratoria');
    const id = parseId(req.params);
    const current = await ownedCurrent(pool, id, p);
    const expected = expectedVersion(req, 'moratorium', id);
    await guarded(async () => {
      const deleted = await withTransaction(pool, async (c) => {
        const state = await c.query<{ row: unknown }>(rowStateSql('moratorium'), [id]);
        const r = await c.query('DELETE FROM moratorium WHERE id = $1 AND version = $2', [id, expected]);
        if ((r.rowCount ?? 0) === 0) return false;
        await addHistory(c, 'moratorium', { id, version: expected, userId: p.userId, orgId: p.orgId, action: 'deleted', changes: current, rowState: state.rows[0]?.row });
        return true;
      });
      if (!deleted) await sendStale(res, 'moratorium', id, () => readMoratorium(pool, id, p));
      await afterEdit(pool, () => refreshMoratorium(pool, id));
      res.status(204).end();
    });
  });

  router.post('/api/moratoria/:id/restore', async (req, res) => {
    const p = editor(principalOf(res), 'marking moratoria');
    const id = parseId(req.params);
    const version = await asSystem(() => withTransaction(pool, async (c) => {
      const last = await c.query<{ action: string; row_state: { owner_id?: number; version?: number } | null }>(
        'SELECT action, row_state FROM moratorium_history WHERE moratorium_id = $1 ORDER BY id DESC LIMIT 1', [id]);
      const entry = last.rows[0];
      if (!entry) throw notFound(`moratorium ${id}`);
      if (entry.action !== 'deleted' || !entry.row_state) throw new HttpError(409, 'not_deleted', `moratorium ${id} is not deleted; only a deleted moratorium can be restored`);
      if (entry.row_state.owner_id !== p.orgId) throw forbidden(p, 'you restore moratoria of your own organisation only');
      const next = (entry.row_state.version ?? 1) + 1;
      await c.query(`INSERT INTO moratorium SELECT (jsonb_populate_record(NULL::moratorium, $1::jsonb || jsonb_build_object('version', $2::int, 'updated_at', now()))).*`,
        [JSON.stringify(entry.row_state), next]);
      await addHistory(c, 'moratorium', { id, version: next, userId: p.userId, orgId: p.orgId, action: 'restored', changes: { version: next } });
      return next;
    }));
    await afterEdit(pool, () => refreshMoratorium(pool, id));
    res.status(201).set('ETag', etagOf('moratorium', id, version)).set('Location', `/api/moratoria/${id}`).json(await readMoratorium(pool, id, p));
  });

  return router;
}
