/**
 * GET /api/metrics: the app's metrics in Prometheus text format (metrics.ts).
 *
 * Who may read them: the metrics hold no personal data, but they describe the installation (load,
 * queue, pool, cache sizes) and are not for the internet. So:
 *   - a direct connection from this machine (loopback, and no X-Forwarded-For / Forwarded /
 *     X-Real-IP header: a balancer on this machine forwards the outside world's requests with
 *     one, so those are not "local") reads them without credentials: a Prometheus or node agent
 *     on the same host;
 *   - otherwise `Authorization: Bearer <SAMENHANG_METRICS_TOKEN>` (a Prometheus elsewhere,
 *     `authorization.credentials` in its scrape config), when that variable is set;
 *   - otherwise a signed-in administrator (session or API token), as for the admin pages;
 *   - anyone else: 401 (not signed in) or 403.
 * The route is mounted before `authenticate`, since the metrics token is not an API token (that
 * middleware would refuse it); for the administrator it runs `authenticate` itself.
 */
import type { Request, RequestHandler } from 'express';
import { sameSecret } from '../../auth/secrets.ts';
import { principalOf } from '../auth.ts';
import { HttpError } from '../errors.ts';
import type { AppMetrics } from './metrics.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDED = ['x-forwarded-for', 'forwarded', 'x-real-ip'];
/** a token shorter than this is refused at start-up: it would be guessable */
export const METRICS_TOKEN_MIN = 24;

/** SAMENHANG_METRICS_TOKEN from the environment: null when unset or empty; a short one is an error. */
export function metricsTokenFrom(env: NodeJS.ProcessEnv): string | null {
  const t = env.SAMENHANG_METRICS_TOKEN?.trim() ?? '';
  if (t === '') return null;
  if (t.length < METRICS_TOKEN_MIN || /\s/.test(t)) throw new Error(`SAMENHANG_METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN} characters without spaces`);
  return t;
}

/** Asked directly from this machine: loopback peer, and no proxy saying it forwards someone else. */
export function isDirectLocal(req: Request): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '') && FORWARDED.every((h) => req.headers[h] === undefined);
}

export function metricsRoute(metrics: AppMetrics, token: string | null, authenticate: RequestHandler): RequestHandler {
  const serve: RequestHandler = (_req, res, next) => {
    metrics.text().then((text) => {
      res.set({ 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).send(text);
    }, next);
  };
  return (req, res, next) => {
    if (isDirectLocal(req)) return serve(req, res, next);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (token !== null && bearer !== undefined && sameSecret(bearer, token)) return serve(req, res, next);
    void authenticate(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      const p = principalOf(res);
      if (p.role === 'admin' && p.partner) return serve(req, res, next);
      next(p.via === 'anonymous'
        ? new HttpError(401, 'sign_in_required', 'the metrics are for this machine, the metrics token or an administrator')
        : new HttpError(403, 'forbidden', 'the metrics are for administrators'));
    });
  };
}
