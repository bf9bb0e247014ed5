/**
 * The second wall: PostgreSQL row-level security (migration 006). The API's connections act as
 * the role `samenhang_app` (no BYPASSRLS, owns nothing), and every transaction carries the
 * caller's facts as transaction-local settings (`set_config(..., true)` = SET LOCAL), which the
 * policies read. The caller of the moment travels with the request in AsyncLocalStorage, so
 * routes keep calling `pool.query`: `tenantPool` wraps each query in such a transaction.
 *
 * `system` is the context of trusted code paths (sign-in lookups, loads, the KLIC importer); it
 * is only ever set by code, never from a request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Pool, type PoolExtras, createPool, withTransaction } from './pool.ts';

export interface TenantContext {
  system: boolean;
  partner: boolean;
  orgId: number | null;
  userId: number | null;
  admin: boolean;
  /** hex EWKB of the project areas valid today */
  areas: string | null;
}

export const APP_ROLE = 'samenhang_app';
export const SYSTEM: TenantContext = { system: true, partner: false, orgId: null, userId: null, admin: false, areas: null };
export const NOBODY: TenantContext = { system: false, partner: false, orgId: null, userId: null, admin: false, areas: null };

const store = new AsyncLocalStorage<TenantContext>();

export function runWithContext<T>(ctx: TenantContext, fn: () => T): T {
  return store.run(ctx, fn);
}

export function asSystem<T>(fn: () => Promise<T>): Promise<T> {
  return store.run(SYSTEM, fn);
}

export function currentContext(): TenantContext {
  return store.getStore() ?? NOBODY;
}

/** One statement setting the context for the current transaction; values are checked, never free text. */
export function contextSql(ctx: TenantContext = currentContext()): string {
  const org = ctx.orgId === null ? '' : String(Math.trunc(ctx.orgId));
  const user = ctx.userId === null ? '' : String(Math.trunc(ctx.userId));
  const areas = ctx.areas ?? '';
  if (!/^\d*$/.test(org) || !/^\d*$/.test(user) || !/^[0-9a-f]*$/i.test(areas)) throw new Error('invalid tenant context');
  return `SELECT set_config('samenhang.system', '${ctx.system ? 'on' : ''}', true), set_config('samenhang.partner', '${ctx.partner ? '1' : ''}', true),
    set_config('samenhang.org', '${org}', true), set_config('samenhang.user', '${user}', true), set_config('samenhang.admin', '${ctx.admin ? '1' : ''}', true), set_config('samenhang.areas', '${areas}', true)`;
}

type QueryFn = Pool['query'];

/**
 * The pool the routes get: `query` runs inside BEGIN + the caller's context + COMMIT. `connect`
 * hands out plain clients; code that uses one (withTransaction, export cursors) sets the context
 * itself with `contextSql()` after BEGIN.
 */
export function tenantPool(base: Pool): Pool {
  // withTransaction opens the transaction with the caller's context
  const query = (text: unknown, params?: unknown) => withTransaction(base, (client) => client.query(text as string, params as unknown[]));
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'query') return query as unknown as QueryFn;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A pool whose every connection acts as the application role from its start (the API server's pool). */
export function createAppPool(connectionString: string, max = 10, extras: PoolExtras = {}): Pool {
  return createPool(connectionString, max, APP_ROLE, extras);
}
