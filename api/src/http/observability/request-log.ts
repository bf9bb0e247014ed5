/**
 * Every request gets an id, answers with it (`X-Request-Id`), and leaves one log line and one
 * metrics observation when it is done. The id is the caller's own `X-Request-Id` when that is a
 * plain token (a balancer's or a client's, so its logs and ours join up), else a random UUID; the
 * error middleware (errors.ts) answers errors with the same id, so the id a user quotes finds the
 * request's line and the error's line.
 *
 * The line holds no secrets: the path without a parameter value that may be one (a walk's join
 * code in /schouw/<code>: the route pattern is logged instead), query values of secret-sounding
 * names replaced, never headers or bodies.
 */
import type { Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { principalOf } from '../auth.ts';
import type { Logger } from './log.ts';
import type { AppMetrics } from './metrics.ts';
import type { PoolWatch } from './probes.ts';

/** where the id lives for the rest of the request (errors.ts reads it) */
export const REQUEST_ID = 'requestId';

const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,99}$/;
const SECRET_NAME = /code|token|secret|password|passwd|key|session|auth|signature|sig$|csrf/i;
const QUERY_MAX = 300;

/** The caller's id when it is a plain token of at most 100 characters, else a new UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && SANE_ID.test(header) ? header : randomUUID();
}

export function requestIdOf(res: Response): string | null {
  const id: unknown = res.locals[REQUEST_ID];
  return typeof id === 'string' ? id : null;
}

/** The route pattern that answered, `(static)` for a file of the web client, `(none)` when no route did. */
export function routeLabel(req: Request, status: number): string {
  const route = (req as { route?: { path?: unknown } }).route;
  const p = route?.path;
  if (typeof p === 'string') return p;
  if (Array.isArray(p)) return p.map(String).join(',');
  return status < 400 && (req.method === 'GET' || req.method === 'HEAD') ? '(static)' : '(none)';
}

/** The path and query as logged: secret-looking parameters of the route or the query left out. */
export function loggedPath(req: Request, route: string): { path: string; query?: string } {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const secretParam = /[:*]([A-Za-z_]\w*)/g;
  let path = q < 0 ? url : url.slice(0, q);
  for (const m of route.matchAll(secretParam)) if (SECRET_NAME.test(m[1] ?? '')) path = route;
  if (q < 0) return { path };
  const params = new URLSearchParams(url.slice(q + 1));
  const shown = [...params].map(([k, v]) => `${k}=${SECRET_NAME.test(k) ? '[redacted]' : v}`).join('&');
  return { path, query: shown.length > QUERY_MAX ? `${shown.slice(0, QUERY_MAX)}…` : shown };
}

export interface RequestLogDeps {
  logger: Logger;
  metrics: AppMetrics;
  poolWatch: PoolWatch;
}

export function requestLog({ logger, metrics, poolWatch }: RequestLogDeps): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const id = requestIdFrom(req.get('x-request-id'));
    res.locals[REQUEST_ID] = id;
    res.set('X-Request-Id', id);
    // bytes on the wire, headers included: one request at a time per connection (HTTP/1.1)
    const socket = req.socket;
    const writtenBefore = socket.bytesWritten;
    poolWatch.sample();
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      poolWatch.sample();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const aborted = !res.writableFinished;
      // an answer cut short after its headers still had its status; before them it had none
      const status = res.headersSent ? String(res.statusCode) : 'aborted';
      const route = routeLabel(req, res.statusCode);
      metrics.observe(req.method, route, status, seconds);
      const user = principalOf(res).userId;
      const line = {
        reqId: id, method: req.method, route, ...loggedPath(req, route), status: res.headersSent ? res.statusCode : null,
        ms: Math.round(seconds * 10_000) / 10, bytes: Math.max(0, socket.bytesWritten - writtenBefore),
        ...(user === null ? {} : { userId: user }), ...(aborted ? { aborted: true } : {}),
      };
      const msg = `${req.method} ${line.path} ${status}`;
      if (res.statusCode >= 500) logger.error(line, msg);
      else logger.info(line, msg);
    };
    res.once('finish', finished);
    res.once('close', finished);
    next();
  };
}
