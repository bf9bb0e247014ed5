/**
 * Who is calling, for every request: `Authorization: Bearer <token>` (scripts, QGIS), else the
 * session cookie (browser), else anonymous. Cookie sessions must send their CSRF token on every
 * unsafe method. The principal is put on `res.locals.principal`; routes read it with `principalOf`.
 */
import type { RequestHandler, Response } from 'express';
import type { Pool } from '../db/pool.ts';
import { ANONYMOUS, type Principal, loadPrincipal } from '../auth/principal.ts';
import { digest, sameSecret } from '../auth/secrets.ts';
import { AUTH_CHANGED, type PrincipalCache } from '../auth/principal-cache.ts';
import { NOBODY, type TenantContext, asSystem, runWithContext } from '../db/tenant-context.ts';

/** The caller's facts as the database's row-security policies read them. */
export function contextOf(p: Principal): TenantContext {
  return { system: false, partner: p.partner, orgId: p.orgId, userId: p.userId, admin: p.role === 'admin' && p.partner, areas: p.areas };
}
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'samenhang_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function principalOf(res: Response): Principal {
  return (res.locals.principal as Principal | undefined) ?? ANONYMOUS;
}

export function sessionCsrf(res: Response): string | null {
  return (res.locals.csrfToken as string | undefined) ?? null;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

interface TokenRow {
  id: number;
  user_id: number;
  scope: 'read' | 'write';
}

interface SessionRow {
  user_id: number;
  csrf_token: string;
  expires_at: Date;
}

function remembered(p: Principal): Principal {
  return Object.freeze({ ...p, shares: Object.freeze([...p.shares]) as Principal['shares'] });
}

/**
 * `principals` (optional) keeps signed-in callers for a short while (auth/principal-cache.ts): a
 * hit needs no SQL; a token's last use is then written at most once a minute, in the background.
 */
export function authenticate(pool: Pool, principals: PrincipalCache | null = null): RequestHandler {
  const touch = (tokenId: number) => {
    if (!principals?.shouldTouch(tokenId)) return;
    void asSystem(() => pool.query('UPDATE api_token SET last_used_at = now() WHERE id = $1', [tokenId])).catch(() => undefined);
  };
  return async (req, res, next) => {
    // a change made through this process (sign-out, revoked token, new project area...) holds for
    // the very next request: NOTIFY covers the other processes within milliseconds
    if (principals && UNSAFE.has(req.method)) res.once('finish', () => principals.changed(AUTH_CHANGED));
    try {
      const auth = req.get('authorization');
      if (auth !== undefined) {
        const m = /^Bearer\s+(\S+)$/i.exec(auth);
        const secret = m?.[1];
        if (!secret) throw new HttpError(401, 'invalid_token', 'Authorization must be "Bearer <token>"');
        const key = `t:${digest(secret)}`;
        const hit = principals?.get(key);
        if (hit) {
          if (hit.tokenId !== null) touch(hit.tokenId);
          res.locals.principal = hit.principal;
          runWithContext(contextOf(hit.principal), next);
          return;
        }
        const t = await asSystem(() => pool.query<TokenRow>(
          'UPDATE api_token SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, user_id, scope', [digest(secret)]));
        const row = t.rows[0];
        const loaded = row ? await asSystem(() => loadPrincipal(pool, row.user_id, 'token', row.scope)) : null;
        if (!loaded || !row) throw new HttpError(401, 'invalid_token', 'the API token is unknown, revoked or belongs to a disabled account');
        const principal = remembered(loaded);
        principals?.set(key, { principal, csrfToken: null, tokenId: row.id });
        principals?.shouldTouch(row.id); // just written
        res.locals.principal = principal;
        runWithContext(contextOf(principal), next);
        return;
      }
      const sid = readCookie(req.get('cookie'), SESSION_COOKIE);
      if (sid) {
        const key = `s:${digest(sid)}`;
        let caller = principals?.get(key) ?? null;
        if (!caller) {
          const s = await asSystem(() => pool.query<SessionRow>('SELECT user_id, csrf_token, expires_at FROM user_session WHERE id_hash = $1 AND expires_at > now()', [digest(sid)]));
          const row = s.rows[0];
          const loaded = row ? await asSystem(() => loadPrincipal(pool, row.user_id, 'session', 'write')) : null;
          if (loaded && row) {
            caller = { principal: remembered(loaded), csrfToken: row.csrf_token, tokenId: null };
            principals?.set(key, caller, row.expires_at.getTime());
          }
        }
        if (caller) {
          if (UNSAFE.has(req.method) && !sameSecret(req.get('x-csrf-token') ?? '', caller.csrfToken ?? '')) {
            throw new HttpError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header (get it from GET /api/auth/me)');
          }
          res.locals.principal = caller.principal;
          res.locals.csrfToken = caller.csrfToken;
          runWithContext(contextOf(caller.principal), next);
          return;
        }
      }
      runWithContext(NOBODY, next);
    } catch (err) {
      next(err);
    }
  };
}

/** Deny with 401 when nobody is signed in, else 403: for actions on things the caller may see. */
export function forbidden(p: Principal, message: string): HttpError {
  return p.via === 'anonymous' ? new HttpError(401, 'sign_in_required', 'sign in first') : new HttpError(403, 'forbidden', message);
}
