/**
 * Sign-in and everything around it: POST /api/auth/login (JSON email + password [+ totp]) sets the
 * session cookie, GET /api/auth/me, POST /api/auth/logout, password reset by token (the link is
 * printed to the log when no mail is configured), and TOTP enrolment for admins.
 */
import { Router, type Request, type Response } from 'express';
import * as OTPAuth from 'otpauth';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import { AttemptLimiter } from '../../auth/attempts.ts';
import type { Audit } from '../../auth/audit.ts';
import { type Principal, loadPrincipal } from '../../auth/principal.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { MIN_PASSWORD_LENGTH, digest, dummyHash, hashPassword, newSecret, verifyPassword } from '../../auth/secrets.ts';
import { SESSION_COOKIE, principalOf, readCookie, sessionCsrf } from '../auth.ts';
import { parseBody } from '../validate.ts';
import { HttpError, badRequest } from '../errors.ts';

export interface DemoAccount {
  email: string;
  password: string;
  role: string;
  organisation: string;
}

export interface AuthDeps {
  pool: Pool;
  audit: Audit;
  /** demo mode: the accounts to show on the sign-in page; null in production */
  demoAccounts: DemoAccount[] | null;
  log: (msg: string) => void;
  sessionHours?: number;
}

const Login = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1000), totp: z.string().regex(/^\d{6}$/).optional() }).strict();
const ResetRequest = z.object({ email: z.string().trim().min(3).max(320) }).strict();
const ResetConfirm = z.object({ token: z.string().min(10).max(200), password: z.string().min(MIN_PASSWORD_LENGTH).max(1000) }).strict();
const TotpCode = z.object({ code: z.string().regex(/^\d{6}$/) }).strict();

interface UserRow {
  id: number;
  password_hash: string;
  totp_secret: string | null;
  totp_last_step: number | null;
  disabled: boolean;
}

/** The 30-second step a code was accepted for, or null when it is wrong or was used before (no replay). */
function acceptedStep(secret: string, email: string, code: string, lastStep: number | null): number | null {
  const delta = totpFor(secret, email).validate({ token: code, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(Date.now() / 30_000) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}


function totpFor(secret: string, email: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Samenhang', label: email, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

function tooMany(seconds: number): HttpError {
  return new HttpError(429, 'too_many_attempts', `too many sign-in attempts; try again in ${seconds} s`);
}

/** Sign-in and account routes are trusted code: they run in the system row-security context. */
function trusted(handler: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response) => Promise<void> {
  return (req, res) => asSystem(() => handler(req, res));
}

export function authRouter(deps: AuthDeps): Router {
  const { pool, audit } = deps;
  const router = Router();
  const perIp = new AttemptLimiter({ max: 20, windowMs: 15 * 60_000 });
  const perAccount = new AttemptLimiter({ max: 5, windowMs: 15 * 60_000 });
  const sessionHours = deps.sessionHours ?? 12;

  async function me(p: Principal, csrf: string | null) {
    if (p.userId === null) return { user: null, csrfToken: null, demo: deps.demoAccounts ? { accounts: deps.demoAccounts } : null };
    const r = await pool.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.role, (u.totp_secret IS NOT NULL) AS "totp",
              json_build_object('id', o.id, 'name', o.name, 'slug', o.slug, 'kind', o.kind) AS organisation
       FROM app_user u JOIN organisation o ON o.id = u.org_id WHERE u.id = $1`, [p.userId]);
    return { user: r.rows[0] ?? null, csrfToken: csrf, demo: deps.demoAccounts ? { accounts: deps.demoAccounts } : null };
  }

  function setCookie(req: Request, res: Response, value: string, maxAgeSeconds: number): void {
    const secure = req.secure ? '; Secure' : '';
    res.append('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`);
  }

  router.get('/api/auth/me', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await me(principalOf(res), sessionCsrf(res)));
  });

  router.post('/api/auth/login', trusted(async (req, res) => {
    if (!req.is('application/json')) throw new HttpError(415, 'json_required', 'send the credentials as application/json');
    const body = parseBody(Login, req.body);
    const email = body.email.toLowerCase();
    const ipKey = `ip:${req.ip ?? ''}`;
    const wait = Math.max(perIp.retryAfter(ipKey), perAccount.retryAfter(email));
    if (wait > 0) {
      await audit(null, { action: 'login', result: 'denied', objectType: 'user', objectId: email, ip: req.ip, detail: { reason: 'rate_limited' } });
      res.set('Retry-After', String(wait));
      throw tooMany(wait);
    }
    const r = await pool.query<UserRow>('SELECT id, password_hash, totp_secret, totp_last_step, disabled FROM app_user WHERE lower(email) = $1', [email]);
    const user = r.rows[0];
    const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), body.password);
    if (!user || !ok || user.disabled) {
      perIp.record(ipKey);
      perAccount.record(email);
      await audit(null, { action: 'login', result: 'failed', objectType: 'user', objectId: email, ip: req.ip });
      throw new HttpError(401, 'invalid_credentials', 'email or password is wrong');
    }
    if (user.totp_secret !== null) {
      if (body.totp === undefined) throw new HttpError(401, 'totp_required', 'enter the 6-digit code of your authenticator app');
      const step = acceptedStep(user.totp_secret, email, body.totp, user.totp_last_step);
      if (step === null) {
        perAccount.record(email);
        await audit(null, { action: 'login', result: 'failed', objectType: 'user', objectId: email, ip: req.ip, detail: { reason: 'totp' } });
        throw new HttpError(401, 'invalid_credentials', 'the 6-digit code is wrong or was used already');
      }
      await pool.query('UPDATE app_user SET totp_last_step = $2 WHERE id = $1', [user.id, step]);
    }
    perAccount.reset(email);
    const sid = newSecret();
    const csrf = newSecret();
    await pool.query(
      `INSERT INTO user_session (id_hash, user_id, csrf_token, expires_at, ip) VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)`,
      [digest(sid), user.id, csrf, sessionHours, req.ip ?? null]);
    setCookie(req, res, sid, sessionHours * 3600);
    const p = await asSystem(() => loadPrincipal(pool, user.id, 'session', 'write'));
    await audit(p, { action: 'login', result: 'ok', objectType: 'user', objectId: user.id, ip: req.ip });
    res.set('Cache-Control', 'no-store').json(p ? await me(p, csrf) : { user: null, csrfToken: null, demo: null });
  }));

  router.post('/api/auth/logout', trusted(async (req, res) => {
    const p = principalOf(res);
    const sid = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (sid) await pool.query('DELETE FROM user_session WHERE id_hash = $1', [digest(sid)]);
    setCookie(req, res, '', 0);
    if (p.userId !== null) await audit(p, { action: 'logout', result: 'ok', objectType: 'user', objectId: p.userId, ip: req.ip });
    res.status(204).end();
  }));

  router.post('/api/auth/password-reset/request', trusted(async (req, res) => {
    const { email } = parseBody(ResetRequest, req.body);
    const r = await pool.query<{ id: number }>('SELECT id FROM app_user WHERE lower(email) = lower($1) AND NOT disabled', [email]);
    const user = r.rows[0];
    if (user) {
      const token = newSecret('reset_');
      await pool.query("INSERT INTO password_reset (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')", [digest(token), user.id]);
      // No mail server in development: the operator hands the link over.
      deps.log(`password reset for ${email}: POST /api/auth/password-reset/confirm {"token":"${token}","password":"…"} (valid 1 hour)`);
      await audit(null, { action: 'password_reset_request', result: 'ok', objectType: 'user', objectId: user.id, ip: req.ip });
    }
    res.status(202).json({ message: 'if the account exists, a reset link has been sent' });
  }));

  router.post('/api/auth/password-reset/confirm', trusted(async (req, res) => {
    const body = parseBody(ResetConfirm, req.body);
    const r = await pool.query<{ user_id: number }>(
      'UPDATE password_reset SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id', [digest(body.token)]);
    const row = r.rows[0];
    if (!row) throw badRequest('invalid_reset_token', 'the reset token is unknown, used or expired');
    await pool.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [row.user_id, await hashPassword(body.password)]);
    await pool.query('DELETE FROM user_session WHERE user_id = $1', [row.user_id]);
    await audit(null, { action: 'password_reset', result: 'ok', objectType: 'user', objectId: row.user_id, ip: req.ip });
    res.status(204).end();
  }));

  router.post('/api/auth/totp/setup', trusted(async (req, res) => {
    const p = principalOf(res);
    if (p.role !== 'admin' || p.via !== 'session') throw new HttpError(403, 'forbidden', 'a second factor is set up by an administrator in a browser session');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await pool.query('UPDATE app_user SET totp_pending = $2 WHERE id = $1', [p.userId, secret]);
    res.set('Cache-Control', 'no-store').json({ secret, uri: totpFor(secret, p.email ?? '').toString() });
  }));

  router.post('/api/auth/totp/confirm', trusted(async (req, res) => {
    const p = principalOf(res);
    if (p.role !== 'admin' || p.via !== 'session') throw new HttpError(403, 'forbidden', 'a second factor is set up by an administrator in a browser session');
    const { code } = parseBody(TotpCode, req.body);
    const r = await pool.query<{ totp_pending: string | null }>('SELECT totp_pending FROM app_user WHERE id = $1', [p.userId]);
    const pending = r.rows[0]?.totp_pending;
    const step = pending ? acceptedStep(pending, p.email ?? '', code, null) : null;
    if (step === null) throw badRequest('invalid_code', 'the code does not match; enter the key in the authenticator app again');
    await pool.query('UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $2 WHERE id = $1', [p.userId, step]);
    await audit(p, { action: 'totp_enabled', result: 'ok', objectType: 'user', objectId: p.userId ?? undefined, ip: req.ip });
    res.status(204).end();
  }));

  return router;
}
