/**
 * The OGC API – Features read by a real, independent client (issue 8): GDAL's OAPIF driver
 * (`ogrinfo`, `ogr2ogr` from Debian's gdal-bin) against the running API, signed in with an API
 * token through GDAL_HTTP_HEADERS, on the real KLIC delivery 22G003179 and the FICTIONAL demo
 * planning. A whole collection is downloaded page by page into a GeoPackage and compared with the
 * database: the same ids, each once, with the same attributes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../api/src/auth/accounts.ts';
import { seedDemo } from '../../api/src/auth/demo.ts';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { importWorksFile } from '../../api/src/ingest/works/import-works.ts';
import { ROOT } from '../helpers/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// never execFileSync: the API runs in this process and must keep answering GDAL
const run = promisify(execFile);
const FIXED = ['works', 'moratoria', 'findings', 'bundles', 'hotspots'];

let db: TestDatabase;
let server: TestServer;
let enexis = '';
let municipality = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'ogc-gdal-'));

beforeAll(async () => {
  expect(existsSync('/usr/bin/ogrinfo'), 'GDAL (apt gdal-bin) is installed by npm test').toBe(true);
  db = await createTestDatabase('it_ogc_gdal');
  await importKlicZip(db.pool, path.join(ROOT, 'data', 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await seedDemo(db.pool);
  await importWorksFile(db.pool, path.join(ROOT, 'data', 'demo-planning', 'werken-fictief.geojson'), 28992, { defaultOwner: null, allowedOwners: null, userId: null, orgId: null });
  server = await startTestServer(db.pool);
  enexis = (await createToken(db.pool, 'analist@enexis.demo', 'read', 'gdal')).token;
  municipality = (await createToken(db.pool, 'regisseur@maasgouw.demo', 'read', 'gdal')).token;
}, 180_000);
afterAll(async () => {
  await server.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A GDAL command as the holder of `token` (none: anonymous); stdout and the HTTP requests it made (CPL_DEBUG). */
async function gdal(cmd: string, args: string[], token: string | null): Promise<{ out: string; fetched: string[] }> {
  const { GDAL_HTTP_HEADERS: _none, ...inherited } = process.env;
  const env = { ...inherited, CPL_DEBUG: 'ON', ...(token ? { GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}` } : {}) };
  const { stdout, stderr } = await run(cmd, args, { env, maxBuffer: 256 * 1024 * 1024 });
  return { out: stdout, fetched: [...stderr.matchAll(/HTTP: Fetch\((\S+)\)/g)].map((m) => m[1] ?? '') };
}

const layersOf = (out: string): string[] => [...out.matchAll(/^\d+: (\S+) \(title: /gm)].map((m) => m[1] ?? '');
const systemsOf = async (slug: string): Promise<string[]> =>
  (await db.pool.query<{ s: string }>('SELECT DISTINCT a.system AS s FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE o.slug = $1', [slug])).rows.map((r) => r.s);

describe('ogrinfo', () => {
  it('lists the collections the token may read; anonymous callers get the public ones', async () => {
    const url = `OAPIF:${server.baseUrl}/ogc`;
    const signedIn = await gdal('ogrinfo', ['-ro', '-so', url], enexis);
    expect(layersOf(signedIn.out).sort()).toEqual([...(await systemsOf('enexis')), ...FIXED].sort());
    expect(signedIn.fetched[0]).toBe(`${server.baseUrl}/ogc/collections`);
    const anonymous = await gdal('ogrinfo', ['-ro', '-so', url], null);
    expect(layersOf(anonymous.out)).toEqual(FIXED);
  });

  it('reads one collection\'s feature count and fields', async () => {
    const { out } = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${server.baseUrl}/ogc`, 'gas_ld'], enexis);
    const n = (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.system = 'gas_ld' AND o.slug = 'enexis'")).rows[0]?.n;
    expect(out).toContain(`Feature Count: ${n}`);
    expect(out).toMatch(/^source_id: String/m);
    expect(out).toMatch(/^owner: String/m);
  });
});

describe('ogr2ogr', () => {
  it('downloads a whole asset collection page by page: every feature once, ids and attributes as in the database', async () => {
    const file = path.join(dir, 'laagspanning.gpkg');
    const pageSize = 60;
    const { fetched } = await gdal('ogr2ogr', ['-f', 'GPKG', file, `OAPIF:${server.baseUrl}/ogc`, 'elektriciteit_ls', '-preserve_fid', '-oo', `PAGE_SIZE=${pageSize}`], enexis);
    const expected = (await db.pool.query<{ id: string; source_id: string; status: string }>(
      `SELECT a.id, a.source_id, a.status FROM asset a JOIN organisation o ON o.id = a.owner_id
       WHERE a.system = 'elektriciteit_ls' AND o.slug = 'enexis' ORDER BY a.id`)).rows;
    expect(expected.length).toBeGreaterThan(pageSize * 5);
    const pages = fetched.filter((u) => u.includes('/collections/elektriciteit_ls/items'));
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / pageSize));
    expect(pages.every((u) => new URL(u).searchParams.get('limit') === String(pageSize))).toBe(true);
    const gpkg = new Database(file, { readonly: true });
    try {
      const rows = gpkg.prepare('SELECT fid, source_id, status FROM elektriciteit_ls ORDER BY fid').all() as { fid: number; source_id: string; status: string }[];
      expect(rows.map((r) => r.fid)).toEqual(expected.map((r) => Number(r.id)));
      expect(rows.map((r) => [r.source_id, r.status])).toEqual(expected.map((r) => [r.source_id, r.status]));
      const srs = gpkg.prepare("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'elektriciteit_ls'").get() as { srs_id: number };
      expect(srs.srs_id).toBe(4326);
    } finally {
      gpkg.close();
    }
  });

  it('downloads the planned works a partner may see, with their properties', async () => {
    const file = path.join(dir, 'werken.gpkg');
    await gdal('ogr2ogr', ['-f', 'GPKG', file, `OAPIF:${server.baseUrl}/ogc`, 'works', '-preserve_fid', '-oo', 'PAGE_SIZE=9'], municipality);
    const expected = (await db.pool.query<{ id: string; title: string; owner: string }>(
      'SELECT w.id, w.title, o.slug AS owner FROM work w LEFT JOIN organisation o ON o.id = w.owner_id ORDER BY w.id')).rows;
    const gpkg = new Database(file, { readonly: true });
    try {
      const rows = gpkg.prepare('SELECT fid, title, owner FROM works ORDER BY fid').all() as { fid: number; title: string; owner: string }[];
      expect(rows).toEqual(expected.map((r) => ({ fid: Number(r.id), title: r.title, owner: r.owner })));
    } finally {
      gpkg.close();
    }
  });
});
