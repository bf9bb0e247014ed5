/**
 * Row-level security, the database's own wall behind the application's policy: read from the
 * catalog, tried as the application role without any WHERE, its cost on spatial indexes, and the
 * project areas it reads, assigned through the admin CLI. Fixture: tests/helpers/access-fixture.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AT, LAYERS, features, fx, get, setUpAccessFixture, tearDownAccessFixture } from '../helpers/access-fixture.ts';
import { contextSql, createAppPool } from '../../api/src/db/tenant-context.ts';
import { reprojectGeometry } from '../../api/src/ingest/crs/reproject.ts';

beforeAll(() => setUpAccessFixture('it_rls'));
afterAll(tearDownAccessFixture);

describe('row-level security: the second wall, read from the catalog and tried without the application', () => {
  const TENANT_TABLES = ['asset', 'asset_shared', 'dataset', 'work', 'dataset_share', 'area_assignment', 'audit_log',
    'app_user', 'user_session', 'api_token', 'password_reset'];

  it('is enabled and forced on every tenant table, file-layer partitions included', async () => {
    const r = await fx.db.pool.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
       WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND (relname = ANY($1) OR relname LIKE 'asset\\_file\\_%')`,
      [TENANT_TABLES]);
    const names = r.rows.map((x) => x.relname);
    for (const t of TENANT_TABLES) expect(names).toContain(t);
    expect(names.filter((n) => n.startsWith('asset_file_'))).toHaveLength(LAYERS.length);
    for (const row of r.rows) expect([row.relname, row.relrowsecurity, row.relforcerowsecurity]).toEqual([row.relname, true, true]);
  });

  it('the application role has no BYPASSRLS, is no superuser and owns no table; the server acts as it', async () => {
    const role = await fx.db.pool.query<{ rolbypassrls: boolean; rolsuper: boolean; owned: number }>(
      `SELECT r.rolbypassrls, r.rolsuper, (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
       FROM pg_roles r WHERE r.rolname = 'samenhang_app'`);
    expect(role.rows[0]).toEqual({ rolbypassrls: false, rolsuper: false, owned: 0 });
    const app = createAppPool((fx.db.pool as unknown as { options: { connectionString: string } }).options.connectionString, 1);
    try {
      expect((await app.query<{ u: string }>('SELECT current_user AS u')).rows[0]?.u).toBe('samenhang_app');
    } finally {
      await app.end();
    }
  });

  it('a query that forgets the policy still only gets the rows the caller may see', async () => {
    const app = createAppPool((fx.db.pool as unknown as { options: { connectionString: string } }).options.connectionString, 1);
    const as = async (ctx: Parameters<typeof contextSql>[0], sql: string): Promise<number> => {
      const c = await app.connect();
      try {
        await c.query(`BEGIN; ${contextSql(ctx)}`);
        const r = await c.query<{ n: number }>(sql);
        await c.query('ROLLBACK');
        return r.rows[0]?.n ?? -1;
      } finally {
        c.release();
      }
    };
    try {
      const nobody = { system: false, partner: false, orgId: null, userId: null, admin: false, areas: null };
      const orgB = (await fx.db.pool.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'net-b'")).rows[0]?.id ?? 0;
      const partnerB = { ...nobody, partner: true, orgId: orgB };
      // no WHERE at all: the database alone decides
      expect(await as(nobody, 'SELECT count(*)::int AS n FROM asset')).toBe(2); // C0 in + out
      expect(await as(partnerB, 'SELECT count(*)::int AS n FROM asset')).toBe(6); // C0, C1, C2 shared with B
      expect(await as(nobody, 'SELECT count(*)::int AS n FROM asset_shared')).toBe(0);
      expect(await as(partnerB, 'SELECT count(*)::int AS n FROM area_assignment')).toBe(0);
      expect(await as(partnerB, "SELECT count(*)::int AS n FROM dataset WHERE confidentiality = 'C2'")).toBe(1); // only the shared one
      expect(await as({ ...nobody, system: true }, 'SELECT count(*)::int AS n FROM asset')).toBe(10);
      await expect(as(partnerB, "INSERT INTO dataset (name, source_kind, source_ref, content_sha256) VALUES ('x', 'file', 'x', 'x') RETURNING 1 AS n"))
        .rejects.toThrow(/row-level security/);
    } finally {
      await app.end();
    }
  });
});

describe('row-level security keeps spatial indexes usable', () => {
  it('&& is LEAKPROOF, so under RLS a bounding-box query still goes through the GiST index', async () => {
    const leak = await fx.db.pool.query<{ proleakproof: boolean }>("SELECT proleakproof FROM pg_proc WHERE oid = 'geometry_overlaps(geometry, geometry)'::regprocedure");
    expect(leak.rows[0]?.proleakproof).toBe(true);
    const app = createAppPool((fx.db.pool as unknown as { options: { connectionString: string } }).options.connectionString, 1);
    const c = await app.connect();
    try {
      await c.query(`BEGIN; ${contextSql({ system: false, partner: true, orgId: null, userId: null, admin: false, areas: null })}; SET LOCAL enable_seqscan = off`);
      const plan = await c.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN SELECT id FROM asset WHERE geom && ST_MakeEnvelope(149000, 449000, 151000, 451000, 28992)');
      await c.query('ROLLBACK');
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan (using|on) \S*geom\S*/); // the GiST of a layer partition
      expect(text).not.toMatch(/Seq Scan on asset/);
    } finally {
      c.release();
      await app.end();
    }
  });
});

describe('npm run admin -- assign-area', () => {
  it('gives a user a project area from a GeoJSON file in WGS84, after which others\' C3 there is visible', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const pathMod = await import('node:path');
    const [x, y] = AT.in;
    const ring = [[x - 50, y - 50], [x + 50, y - 50], [x + 50, y + 50], [x - 50, y + 50], [x - 50, y - 50]];
    const wgs = reprojectGeometry({ type: 'Polygon', coordinates: [ring] }, 28992, 4326);
    const file = pathMod.join(await mkdtemp(pathMod.join(os.tmpdir(), 'area-')), 'gebied.geojson');
    await writeFile(file, JSON.stringify({ type: 'Feature', properties: {}, geometry: wgs }));
    const c3in = [...features].find(([, [l, w]]) => l === 'c3' && w === 'in')?.[0];
    expect((await get('partnerNoArea', `/api/assets/${c3in}`)).status).toBe(404);
    const url = (fx.db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli/admin.ts', 'assign-area', '--email', 'partnernoarea@matrix.test',
      '--name', 'Proef', '--until', '2099-12-31', '--file', file], { cwd: pathMod.resolve(import.meta.dirname, '..', '..'), env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('project area "Proef" assigned');
    expect((await get('partnerNoArea', `/api/assets/${c3in}`)).status).toBe(200);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli/admin.ts', 'assign-area', '--email', 'partnernoarea@matrix.test',
      '--name', 'Fout', '--until', '2099-12-31', '--works', 'x'], { cwd: pathMod.resolve(import.meta.dirname, '..', '..'), env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--works is a comma-separated list of work ids');
    await fx.db.pool.query("DELETE FROM area_assignment WHERE name = 'Proef'");
  });
});
