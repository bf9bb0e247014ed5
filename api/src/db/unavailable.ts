/**
 * Whether an error means "the database cannot be reached right now" (restarting, shutting down,
 * gone, out of connections, or the pool found no connection in time) rather than a fault in a
 * query. Such a request answers 503 with Retry-After (http/errors.ts) instead of a 500, and the
 * client may simply try again.
 *
 * What `pg` 8 and Node actually throw, seen while PostgreSQL was stopped (fast and immediate) and
 * started again under load (scripts/chaos/db-restart.ts):
 *   - server errors with a SQLSTATE: class 08 (connection exception), 57P01 admin_shutdown
 *     (`-m fast`: "terminating connection due to administrator command"), 57P02 crash_shutdown
 *     (another backend crashed, or `-m immediate`), 57P03 cannot_connect_now ("the database system
 *     is starting up / shutting down / in recovery mode"), 53300 too_many_connections
 *   - socket errors with a Node code: ECONNREFUSED (nobody listens), ECONNRESET, EPIPE, ETIMEDOUT …
 *     (an AggregateError when a host name had several addresses)
 *   - plain Errors of pg and pg-pool, known only by their message: "Connection terminated
 *     unexpectedly", "Connection terminated due to connection timeout", "timeout exceeded when
 *     trying to connect" (connectionTimeoutMillis), "Client has encountered a connection error and
 *     is not queryable"
 * Wrapped errors count by their `cause`.
 */

/** Seconds a client is asked to wait (Retry-After) before trying again. */
export const DATABASE_RETRY_AFTER_S = 5;

const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EAI_AGAIN']);
const MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Query read timeout$/,
];

function matches(err: object): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || NODE_CODES.has(code))) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
}

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  if (matches(err)) return true;
  // AggregateError of the addresses tried: unavailable when every attempt was
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable((err as { cause?: unknown }).cause, depth + 1);
}

/** One line for the log: the error's SQLSTATE or Node code and message, never a stack. */
export function describeUnavailable(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  // an AggregateError's own message is empty: its first attempt's says what happened
  if ((message === '' || message === undefined) && Array.isArray(errors) && errors.length > 0) return describeUnavailable(errors[0]);
  const text = typeof message === 'string' && message !== '' ? message : String(err);
  return typeof code === 'string' ? `${code} ${text}` : text;
}

/**
 * Run `fn`, and again while it fails because the database is away (a restart takes seconds): for
 * a write whose loss would cost more than the wait, such as the result of an import step.
 * Pauses 0.5 s, 1 s, 2 s … (at most `maxPauseMs`); gives up with the last error after `attempts`.
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, attempts = 10, firstPauseMs = 500, maxPauseMs = 5000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isDatabaseUnavailable(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.min(firstPauseMs * 2 ** (attempt - 1), maxPauseMs)));
    }
  }
}
