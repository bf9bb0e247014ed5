import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, type Pool } from '../../api/src/db/pool.ts';
import { migrate } from '../../api/src/db/migrate.ts';

/** The server `npm test` prepared (local cluster or DATABASE_URL); tests make their own databases on it. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the suite through `npm test`');
  return url;
}

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh, migrated PostGIS database for one test file; dropped again by drop(). `template`: a
 * copy of that (set-up) database instead of an empty one (app-process.ts setUpTemplate).
 */
export async function createTestDatabase(prefix: string, opts: { template?: string | null } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  if (opts.template && !/^[a-z_][a-z0-9_]*$/.test(opts.template)) throw new Error(`bad template name ${opts.template}`);
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${opts.template ? ` TEMPLATE ${opts.template}` : ''}`);
  await admin.end();
  const url = withDatabase(testServerUrl(), name);
  const pool = createPool(url, 4);
  // DROP DATABASE ... WITH (FORCE) at the end terminates idle connections; that is expected.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  await migrate(pool);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: testServerUrl() });
      await c.connect();
      // let connections that are closing finish first: FORCE is for stragglers, and terminating a
      // client in the middle of its own goodbye surfaces as an uncaught error in that client
      for (let i = 0; i < 40; i++) {
        const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if ((r.rows[0]?.n ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
