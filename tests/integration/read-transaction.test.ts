/**
 * withReadTransaction (db/pool.ts), which tiles and OGC items pages run in: the answer comes back
 * before the COMMIT's round trip, so the test checks what that must not cost — the transaction is
 * read only (a write fails and nothing is written), the caller's context is set inside it, a
 * failure rolls back, and every client goes back to the pool once its COMMIT is done (a pool of two
 * that leaked one would hang on the third call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool, withReadTransaction } from '../../api/src/db/pool.ts';
import { runWithContext } from '../../api/src/db/tenant-context.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let small: Pool;

beforeAll(async () => {
  db = await createTestDatabase('it_read_txn');
  await db.pool.query('CREATE TABLE scratch (v integer)');
  small = createPool(db.url, 2);
});
afterAll(async () => {
  await small?.end();
  await db.drop();
});

describe('withReadTransaction', () => {
  it('returns what the reads return, and every client goes back to the pool after its COMMIT', async () => {
    for (let i = 0; i < 20; i++) {
      const got = await withReadTransaction(small, async (c) => (await c.query<{ n: number }>('SELECT $1::int * 2 AS n', [i])).rows[0]?.n);
      expect(got).toBe(i * 2);
    }
    // the COMMITs ran after the answers: wait until the pool has its two clients back
    for (let i = 0; i < 50 && small.idleCount < small.totalCount; i++) await new Promise((r) => setTimeout(r, 10));
    expect(small.waitingCount).toBe(0);
    expect(small.idleCount).toBe(small.totalCount);
    expect(small.totalCount).toBeLessThanOrEqual(2);
  });

  it('refuses a write (read-only transaction), writes nothing and still returns the client', async () => {
    await expect(withReadTransaction(small, (c) => c.query('INSERT INTO scratch VALUES (1)'))).rejects.toThrow(/read-only transaction/);
    expect((await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM scratch')).rows[0]?.n).toBe(0);
    const after = await withReadTransaction(small, async (c) => (await c.query<{ ok: boolean }>('SELECT true AS ok')).rows[0]?.ok);
    expect(after).toBe(true);
  });

  it('reads with the caller\'s row-security context set inside the transaction, and only there', async () => {
    const ctx = { system: false, partner: true, orgId: 42, userId: 7, admin: false, areas: null };
    const inside = await runWithContext(ctx, () => withReadTransaction(small, async (c) =>
      (await c.query<{ org: string; partner: string }>("SELECT current_setting('samenhang.org') AS org, current_setting('samenhang.partner') AS partner")).rows[0]));
    expect(inside).toEqual({ org: '42', partner: '1' });
    const c = await small.connect();
    try {
      const outside = await c.query<{ org: string | null }>("SELECT current_setting('samenhang.org', true) AS org");
      expect(outside.rows[0]?.org ?? '').toBe('');
    } finally {
      c.release();
    }
  });
});
