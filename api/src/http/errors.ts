import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ImportInputError } from '../ingest/formats/types.ts';
import { DATABASE_RETRY_AFTER_S, describeUnavailable, isDatabaseUnavailable } from '../db/unavailable.ts';

/** A typed HTTP error: status + searchable code; the message is safe to show to clients. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const badRequest = (code: string, message: string) => new HttpError(400, code, message);

export interface ErrorBody {
  error: { status: number; code: string; message: string; id: string };
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'route_not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * The one error middleware. Clients get status, code, message and an id; the log gets the id
 * and the stack. Unexpected errors never leak their message or stack to the client.
 */
export function errorMiddleware(
  logError: (msg: string) => void = console.error,
  /** told of every 401/403 answer (the audit log records denials) */
  onDenied?: (req: Parameters<ErrorRequestHandler>[1], res: Parameters<ErrorRequestHandler>[2], code: string) => void,
  /** an HTML page for the error when the request asked for HTML (the /ogc pages); null = JSON */
  htmlOf?: (req: Parameters<ErrorRequestHandler>[1], error: ErrorBody['error']) => string | null,
): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // the request's id (observability/request-log.ts): the id a user quotes finds the request's log line
    const id = typeof res.locals.requestId === 'string' ? res.locals.requestId : randomUUID();
    if (res.headersSent) {
      // A streamed download failed half-way: the status is gone, so cut the response short.
      logError(`[${id}] ${req.method} ${req.originalUrl} failed while streaming: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
      return;
    }
    let body: ErrorBody['error'];
    if (err instanceof HttpError || err instanceof ImportInputError) {
      body = { status: err.status, code: err.code, message: err.message, id };
    } else if (isBodyParserError(err)) {
      body = { status: 400, code: 'invalid_body', message: 'request body is not valid JSON', id };
    } else if (isDatabaseUnavailable(err)) {
      // the database is away (restarting, unreachable, out of connections): try again shortly; one log line, no stack
      logError(`[${id}] ${req.method} ${req.originalUrl}: database unavailable: ${describeUnavailable(err)}`);
      res.set('Retry-After', String(DATABASE_RETRY_AFTER_S));
      body = { status: 503, code: 'database_unavailable', message: 'the database cannot be reached just now; try again shortly', id };
    } else {
      logError(`[${id}] ${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      body = { status: 500, code: 'internal_error', message: 'internal error; quote this id when reporting it', id };
    }
    if (onDenied && (body.status === 401 || body.status === 403)) onDenied(req, res, body.code);
    const html = htmlOf?.(req, body) ?? null;
    if (html !== null) res.status(body.status).type('text/html; charset=utf-8').send(html);
    else res.status(body.status).json({ error: body } satisfies ErrorBody);
  };
}

function isBodyParserError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed';
}
