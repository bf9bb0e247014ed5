/**
 * One read in one round trip (db/pipelined.ts, decision 116): the caller's row-security context and
 * the settings travel with the named statement before one Sync. Against the real server: the
 * context and the settings hold inside the statement and are gone after it (transaction-local, the
 * implicit transaction ends at the Sync), row security sees the caller, an error leaves the
 * connection usable and the pool whole, and the named statement is parsed once per connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../api/src/db/pool.ts';
import { pipelinedRead } from '../../api/src/db/pipelined.ts';
import { createAppPool, runWithContext, NOBODY, SYSTEM, type TenantContext } from '../../api/src/db/tenant-context.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let app: Pool;
let orgA = 0;
let orgB = 0;

beforeAll(async () => {
  db = await createTestDatabase('it_pipelined');
  app = createAppPool(db.url, 1); // one connection: every read below meets what the one before left on it
  const orgs = await db.pool.query<{ id: number }>("INSERT INTO organisation (slug, name, kind) VALUES ('pipe-a', 'Pipe A', 'gemeente'), ('pipe-b', 'Pipe B', 'telecom') RETURNING id");
  [orgA, orgB] = orgs.rows.map((r) => r.id) as [number, number];
  // a C2 layer of A: its owner's partners see it, other partners and the public not
  await db.pool.query("INSERT INTO dataset (name, source_kind, source_ref, content_sha256, owner_id, confidentiality) VALUES ('pipe', 'file', 'pipe.gpkg', 'x', $1, 'C2')", [orgA]);
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

const SETTINGS = {
  name: 'it:settings',
  text: `SELECT current_setting('samenhang.org', true) AS org, current_setting('samenhang.partner', true) AS partner,
           current_setting('plan_cache_mode') AS mode, current_setting('max_parallel_workers_per_gather') AS workers,
           $1::int + 1 AS next, txid_current_if_assigned() IS NULL AS read_only`,
  values: [41],
};

const partner = (orgId: number): TenantContext => ({ ...NOBODY, partner: true, orgId });

describe('pipelinedRead', () => {
  it('runs the statement inside the caller\'s context and settings, which end with it', async () => {
    const r = await runWithContext(partner(7), () => pipelinedRead<{ org: string; partner: string; mode: string; workers: string; next: number; read_only: boolean }>(app, 'genericTile', SETTINGS));
    expect(r.rows).toEqual([{ org: '7', partner: '1', mode: 'force_generic_plan', workers: '0', next: 42, read_only: true }]);
    // the same (only) connection afterwards, outside any context: nothing of it is left
    const after = await app.query<{ org: string | null; mode: string; workers: string }>(
      "SELECT current_setting('samenhang.org', true) AS org, current_setting('plan_cache_mode') AS mode, current_setting('max_parallel_workers_per_gather') AS workers");
    expect(after.rows[0]?.org ?? '').toBe('');
    expect(after.rows[0]?.mode).toBe('auto');
    expect(after.rows[0]?.workers).not.toBe('0');
  });

  it('gives each caller its own context on the same connection, through row security', async () => {
    const layers = { name: 'it:layers', text: 'SELECT count(*)::int AS n FROM dataset WHERE source_ref = $1', values: ['pipe.gpkg'] };
    const seen = (ctx: TenantContext) => runWithContext(ctx, () => pipelinedRead<{ n: number }>(app, 'genericTile', layers)).then((r) => r.rows[0]?.n);
    expect(await seen(SYSTEM)).toBe(1);
    expect(await Promise.all([seen(partner(orgA)), seen(partner(orgB)), seen(NOBODY), seen(partner(orgA))])).toEqual([1, 0, 0, 1]);
    const [a, b] = await Promise.all([
      runWithContext(partner(orgA), () => pipelinedRead<{ org: string }>(app, 'genericTile', SETTINGS)),
      runWithContext(partner(orgB), () => pipelinedRead<{ org: string }>(app, 'genericTile', SETTINGS)),
    ]);
    expect([a.rows[0]?.org, b.rows[0]?.org]).toEqual([String(orgA), String(orgB)]);
  });

  it('turns an error of the statement into a rejected read and keeps the connection usable', async () => {
    const bad = { name: 'it:bad', text: 'SELECT 1 / $1::int AS x', values: [0] };
    await expect(runWithContext(partner(3), () => pipelinedRead(app, 'genericTile', bad))).rejects.toThrow(/division by zero/);
    // the same named statement again with a good value (it stays parsed), then the first read
    const good = await runWithContext(partner(3), () => pipelinedRead<{ x: number }>(app, 'genericTile', { ...bad, values: [2] }));
    expect(good.rows).toEqual([{ x: 0 }]);
    const r = await runWithContext(partner(4), () => pipelinedRead<{ org: string }>(app, 'genericTile', SETTINGS));
    expect(r.rows[0]?.org).toBe('4');
    expect(app.totalCount).toBe(1);
  });

  it('parses a named statement once per connection', async () => {
    const named = { name: 'it:once', text: 'SELECT $1::int * 2 AS twice', values: [5] };
    for (let i = 0; i < 3; i++) expect((await runWithContext(partner(5), () => pipelinedRead<{ twice: number }>(app, 'genericTile', named))).rows).toEqual([{ twice: 10 }]);
    const prepared = await app.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'it:once'");
    expect(prepared.rows[0]?.n).toBe(1);
  });
});
