/**
 * Administration over HTTP, for the admin panel: an organisation's administrator manages the users
 * of that organisation, classifies and shares that organisation's layers, and reads its audit log.
 * Every user manages their own API tokens. Nothing here gives extra read rights on others' data.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { createToken } from '../../auth/accounts.ts';
import type { Audit } from '../../auth/audit.ts';
import { LEVELS } from '../../auth/policy.ts';
import { ROLES, type Principal } from '../../auth/principal.ts';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../../auth/secrets.ts';
import { forbidden, principalOf } from '../auth.ts';
import { parseBody } from '../validate.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { parseId } from './assets.ts';

type Admin = Principal & { userId: number; orgId: number };

function admin(p: Principal): Admin {
  if (p.role !== 'admin' || !p.partner || p.scope !== 'write' || p.userId === null || p.orgId === null) {
    throw forbidden(p, 'this is for the administrators of an organisation');
  }
  return p as Admin;
}

function signedIn(p: Principal): Principal & { userId: number } {
  if (p.userId === null) throw forbidden(p, 'sign in first');
  return p as Principal & { userId: number };
}


const NewUser = z.object({
  email: z.string().trim().regex(/^[^@\s]+@[^@\s]+$/, 'not an email address').max(320),
  role: z.enum(ROLES), password: z.string().min(MIN_PASSWORD_LENGTH).max(1000), displayName: z.string().max(200).optional(),
}).strict();
const UserChange = z.object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() }).strict();
const NewToken = z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(['read', 'write']) }).strict();
const Classification = z.object({ confidentiality: z.enum(LEVELS) }).strict();
const NewShare = z.object({ org: z.string().min(2).max(63), validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD') }).strict();

export function adminRouter(pool: Pool, audit: Audit): Router {
  const router = Router();

  router.get('/api/admin/users', async (_req, res) => {
    const p = admin(principalOf(res));
    const r = await pool.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.disabled, (u.totp_secret IS NOT NULL) AS totp, u.created_at AS "createdAt"
       FROM app_user u WHERE u.org_id = $1 ORDER BY u.email`, [p.orgId]);
    res.set('Cache-Control', 'no-store').json({ users: r.rows });
  });

  router.post('/api/admin/users', async (req, res) => {
    const p = admin(principalOf(res));
    const body = parseBody(NewUser, req.body);
    const r = await pool.query<{ id: number }>(
      `INSERT INTO app_user (org_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING id`,
      [p.orgId, body.email, body.displayName ?? null, body.role, await hashPassword(body.password)]);
    const id = r.rows[0]?.id;
    if (id === undefined) throw new HttpError(409, 'email_taken', `${body.email} already has an account`);
    await audit(p, { action: 'user_created', result: 'ok', objectType: 'user', objectId: id, ip: req.ip, detail: { role: body.role } });
    res.status(201).json({ id });
  });

  router.patch('/api/admin/users/:id', async (req, res) => {
    const p = admin(principalOf(res));
    const id = parseId(req.params);
    const body = parseBody(UserChange, req.body);
    if (id === p.userId && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
      throw badRequest('own_account', 'you cannot disable yourself or drop your own admin role; ask another administrator');
    }
    const r = await pool.query(
      'UPDATE app_user SET role = coalesce($3, role), disabled = coalesce($4, disabled) WHERE id = $1 AND org_id = $2',
      [id, p.orgId, body.role ?? null, body.disabled ?? null]);
    if ((r.rowCount ?? 0) === 0) throw notFound(`user ${id}`);
    // sessions are only touched by trusted code: end the disabled user's sessions there
    if (body.disabled === true) await asSystem(() => pool.query('DELETE FROM user_session WHERE user_id = $1', [id]));
    await audit(p, { action: 'user_changed', result: 'ok', objectType: 'user', objectId: id, ip: req.ip, detail: body });
    res.status(204).end();
  });

  router.get('/api/tokens', async (_req, res) => {
    const p = signedIn(principalOf(res));
    const r = await pool.query(
      `SELECT id, name, prefix, scope, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM api_token WHERE user_id = $1 ORDER BY id DESC`, [p.userId]);
    res.set('Cache-Control', 'no-store').json({ tokens: r.rows });
  });

  router.post('/api/tokens', async (req, res) => {
    const p = signedIn(principalOf(res));
    if (p.via === 'token') throw new HttpError(403, 'forbidden', 'an API token cannot create tokens; sign in');
    const body = parseBody(NewToken, req.body);
    if (body.scope === 'write' && p.role === 'participant') throw new HttpError(403, 'forbidden', 'participants get read tokens only');
    const r = await pool.query<{ email: string }>('SELECT email FROM app_user WHERE id = $1', [p.userId]);
    const t = await createToken(pool, r.rows[0]?.email ?? '', body.scope, body.name);
    await audit(p, { action: 'token_created', result: 'ok', objectType: 'token', objectId: t.id, ip: req.ip, detail: { scope: body.scope } });
    // the secret is shown once, here
    res.status(201).set('Cache-Control', 'no-store').json({ id: t.id, token: t.token });
  });

  router.delete('/api/tokens/:id', async (req, res) => {
    const p = signedIn(principalOf(res));
    const id = parseId(req.params);
    const r = await pool.query('UPDATE api_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [id, p.userId]);
    if ((r.rowCount ?? 0) === 0) throw notFound(`token ${id}`);
    await audit(p, { action: 'token_revoked', result: 'ok', objectType: 'token', objectId: id, ip: req.ip });
    res.status(204).end();
  });

  router.get('/api/admin/datasets', async (_req, res) => {
    const p = admin(principalOf(res));
    const r = await pool.query(
      `SELECT d.id, d.name, d.confidentiality, d.imported_at AS "importedAt",
              coalesce((SELECT json_agg(json_build_object('id', s.id, 'org', o.slug, 'orgName', o.name, 'validUntil', s.valid_until) ORDER BY s.id)
                        FROM dataset_share s JOIN organisation o ON o.id = s.org_id WHERE s.dataset_id = d.id), '[]') AS shares
       FROM dataset d WHERE d.owner_id = $1 ORDER BY d.name`, [p.orgId]);
    res.set('Cache-Control', 'no-store').json({ datasets: r.rows });
  });

  router.patch('/api/admin/datasets/:id', async (req, res) => {
    const p = admin(principalOf(res));
    const id = parseId(req.params);
    const body = parseBody(Classification, req.body);
    const r = await pool.query('UPDATE dataset SET confidentiality = $3 WHERE id = $1 AND owner_id = $2', [id, p.orgId, body.confidentiality]);
    if ((r.rowCount ?? 0) === 0) throw notFound(`dataset ${id}`);
    await audit(p, { action: 'classified', result: 'ok', objectType: 'dataset', objectId: id, ip: req.ip, detail: body });
    res.status(204).end();
  });

  router.post('/api/admin/datasets/:id/shares', async (req, res) => {
    const p = admin(principalOf(res));
    const id = parseId(req.params);
    const body = parseBody(NewShare, req.body);
    const r = await pool.query<{ id: number }>(
      `INSERT INTO dataset_share (dataset_id, org_id, valid_until, created_by, owner_org_id)
       SELECT d.id, o.id, $4, $5, $2 FROM dataset d, organisation o WHERE d.id = $1 AND d.owner_id = $2 AND o.slug = $3 RETURNING id`,
      [id, p.orgId, body.org, body.validUntil, p.userId]);
    if (r.rows.length === 0) throw notFound(`dataset ${id} of your organisation, or organisation ${body.org}`);
    await audit(p, { action: 'shared', result: 'ok', objectType: 'dataset', objectId: id, ip: req.ip, detail: body });
    res.status(201).json({ id: r.rows[0]?.id });
  });

  router.delete('/api/admin/shares/:id', async (req, res) => {
    const p = admin(principalOf(res));
    const id = parseId(req.params);
    const r = await pool.query(
      'DELETE FROM dataset_share s USING dataset d WHERE s.id = $1 AND d.id = s.dataset_id AND d.owner_id = $2', [id, p.orgId]);
    if ((r.rowCount ?? 0) === 0) throw notFound(`share ${id}`);
    await audit(p, { action: 'unshared', result: 'ok', objectType: 'share', objectId: id, ip: req.ip });
    res.status(204).end();
  });

  router.get('/api/admin/audit', async (req, res) => {
    const p = admin(principalOf(res));
    const limit = Math.min(Number(req.query.limit ?? 200) || 200, 5000);
    const r = await pool.query(
      `SELECT l.id, l.at, u.email, l.action, l.object_type AS "objectType", l.object_id AS "objectId", l.result, l.ip, l.detail
       FROM audit_log l LEFT JOIN app_user u ON u.id = l.user_id
       WHERE l.org_id = $1 OR l.user_id IN (SELECT id FROM app_user WHERE org_id = $1)
       ORDER BY l.id DESC LIMIT $2`, [p.orgId, limit]);
    if (req.query.format === 'csv') {
      const esc = (v: unknown) => {
        const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      };
      const cols = ['id', 'at', 'email', 'action', 'objectType', 'objectId', 'result', 'ip', 'detail'];
      const lines = [cols.join(','), ...r.rows.map((row: Record<string, unknown>) => cols.map((c) => esc(c === 'at' ? new Date(row[c] as string).toISOString() : row[c])).join(','))];
      res.type('text/csv').set('Content-Disposition', 'attachment; filename="audit.csv"').set('Cache-Control', 'no-store').send(`${lines.join('\r\n')}\r\n`);
      return;
    }
    res.set('Cache-Control', 'no-store').json({ entries: r.rows });
  });

  return router;
}
