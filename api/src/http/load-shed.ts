/**
 * Load shedding (issue 10 §5): a cap on the requests this process works on at once. Over it, a
 * request is answered at once with 503, Retry-After: 1 and the usual JSON error body, instead of
 * joining a queue (in the database pool and the event loop) whose wait grows without bound while
 * the load lasts: a 5× spike then costs the excess callers one quick retry, not every caller tens
 * of seconds and timeouts. The health check, the metrics (both must answer when it matters most)
 * and Server-Sent Events streams (long-lived, idle while open) are never shed nor counted.
 *
 * SAMENHANG_MAX_INFLIGHT sets the cap (0 turns shedding off); the default was measured with
 * `npm run soak` (docs/reliability.md).
 */
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors.ts';

/**
 * Measured with `npm run soak` on the 2-core machine (shared with other work): 128 shed 2–7 % of
 * the requests at 1× while a fresh process filled its caches; 256 shed 0.1 % there and still kept
 * the 5× spike to quick 503s. 256 requests at ~150 answers/s is a queue of under 2 s.
 */
export const DEFAULT_MAX_INFLIGHT = 256;

export interface LoadShed extends RequestHandler {
  /** requests being worked on now (exempt ones not counted) */
  inflight(): number;
  /** requests answered 503 so far */
  shed(): number;
}

/** Never shed: the health check (a balancer must see the process alive), the metrics and live event streams. */
export function exemptFromShedding(req: Pick<Request, 'path' | 'get'>): boolean {
  if (req.path === '/api/health' || req.path === '/api/metrics') return true;
  return req.path.endsWith('/events') || (req.get('accept') ?? '').includes('text/event-stream');
}

/** The cap from SAMENHANG_MAX_INFLIGHT (a whole number ≥ 0; 0 = no shedding), else the default. */
export function maxInflightOf(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SAMENHANG_MAX_INFLIGHT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_INFLIGHT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid configuration: SAMENHANG_MAX_INFLIGHT: expected a whole number ≥ 0, got "${raw}"`);
  return n;
}

export function loadShed(maxInflight: number, exempt: (req: Request) => boolean = exemptFromShedding): LoadShed {
  let inflight = 0;
  let shed = 0;
  const handler: RequestHandler = (req, res, next) => {
    if (maxInflight === 0 || exempt(req)) return next();
    if (inflight >= maxInflight) {
      shed++;
      res.set('Retry-After', '1');
      return next(new HttpError(503, 'overloaded', 'the server is busy; retry in a second'));
    }
    inflight++;
    let done = false;
    // 'finish' when the answer is sent, 'close' when the caller went away first: whichever comes first
    const release = () => {
      if (done) return;
      done = true;
      inflight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
  return Object.assign(handler, { inflight: () => inflight, shed: () => shed });
}
