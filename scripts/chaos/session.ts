/**
 * HTTP callers for the chaos parts: a browser-like session (sign-in with a session cookie and its
 * CSRF token, as the web client does) or a Bearer token, and what every answer of a failing API
 * must look like (issue 10 §2: JSON with a code, no stack trace).
 */
import { DEMO_PASSWORD } from '../../api/src/auth/demo.ts';

export interface Caller {
  /** who, for failure messages */
  name: string;
  headers: Record<string, string>;
}

/** Sign in as an account (the demo password by default) and keep its session cookie and CSRF token. */
export async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<Caller> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`sign-in of ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const body = (await res.json()) as { csrfToken?: unknown };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('samenhang_session='));
  if (cookie === undefined || typeof body.csrfToken !== 'string') throw new Error(`sign-in of ${email} gave no session cookie and CSRF token`);
  return { name: email, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

export function tokenCaller(name: string, token: string): Caller {
  return { name, headers: { authorization: `Bearer ${token}` } };
}

/** One JSON request; throws only when no HTTP answer came (connection refused or reset). */
export function call(baseUrl: string, who: Caller, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
}

/** The version in an ETag `"work-<id>-v<version>"`, or null. */
export function versionOf(etag: string | null): number | null {
  const m = /-v(\d+)"$/.exec(etag ?? '');
  return m ? Number(m[1]) : null;
}

/** Signs of a stack trace or internals in an answer's body: `    at fn (file.ts:1:2)`, file paths, node_modules. */
export function stackTextIn(body: string): string | null {
  const m = /\n\s+at \S|\bat (?:async )?\S+ \(|node_modules|\.(?:ts|js|mjs):\d+:\d+|\/work\/|\/home\/|\/usr\//.exec(body);
  return m ? m[0].trim() : null;
}

/**
 * What is wrong with an answer given while the database is away (null = nothing): it must be 503
 * with Retry-After and a JSON error body with a code, and no stack text.
 */
export function unavailableProblem(status: number, retryAfter: string | null, body: string): string | null {
  if (status !== 503) return `status ${status}: ${body.slice(0, 200)}`;
  if (retryAfter === null || !/^\d+$/.test(retryAfter)) return `503 without a Retry-After of whole seconds (${retryAfter ?? 'none'})`;
  let code: unknown;
  try {
    code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
  } catch {
    return `503 whose body is not JSON: ${body.slice(0, 120)}`;
  }
  if (typeof code !== 'string') return `503 without an error code: ${body.slice(0, 120)}`;
  const stack = stackTextIn(body);
  return stack === null ? null : `503 body shows internals (${stack}): ${body.slice(0, 200)}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
