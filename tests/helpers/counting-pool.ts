/**
 * An app pool (createAppPool, as the API's) whose `connect` calls are counted: every query of the
 * API takes a connection from its pool, so "no SQL" on a cache hit shows as no new count.
 */
import { createAppPool } from '../../api/src/db/tenant-context.ts';
import type { Pool } from '../../api/src/db/pool.ts';

export interface CountingPool { pool: Pool; connects(): number }

export function countingAppPool(db: { pool: Pool }, size = 5): CountingPool {
  const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  const base = createAppPool(url, size);
  base.on('error', () => undefined);
  let connects = 0;
  const pool = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'connect') return (...a: unknown[]) => { connects++; return (target.connect as (...b: unknown[]) => unknown)(...a); };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...b: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { pool, connects: () => connects };
}
