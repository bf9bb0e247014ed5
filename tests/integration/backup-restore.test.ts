/**
 * Issue 10: `npm run backup` / `npm run restore` round trip. A database set up as `npm start` does
 * (migrations, the Maasgouw KLIC deliveries, demo accounts and the FICTIONAL demo planning) plus a
 * file layer (its own asset partition) is dumped by scripts/backup.mjs and restored into a new
 * database by scripts/restore.mjs; per-layer and per-table counts and checksums must match, the
 * row-security wall must still hold for the API's role, a changed row must be named, and a damaged
 * dump must fail with nothing left behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, compareManifests, computeManifest, manifestPathFor } from '../../scripts/lib/checksums.mjs';
import { ROOT } from '../helpers/app-process.ts';
import { type TestDatabase, createTestDatabase, testServerUrl } from '../helpers/db.ts';

const FILE_LAYER = path.join(ROOT, 'tests', 'fixtures', 'formats', 'bgt-delft.gpkg');

function urlOf(name: string): string {
  const u = new URL(testServerUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Run a command to the end with DATABASE_URL = `databaseUrl`; exit code and all output. */
function runCommand(cmd: string, args: string[], databaseUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The databases whose name starts with `tag`_, sorted. */
async function databasesOf(tag: string): Promise<string[]> {
  return withClient(testServerUrl(), async (c) => {
    const r = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname COLLATE "C"', [`${tag}\\_%`]);
    return r.rows.map((x) => x.datname);
  });
}

/** Per dataset: count and an ordered checksum, computed here without scripts/lib/checksums.mjs. */
async function layerSums(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    await c.query("SET TimeZone = 'UTC'");
    const r = await c.query<{ dataset_id: number; n: string; sum: string }>(
      'SELECT dataset_id, count(*) AS n, md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM asset t GROUP BY 1 ORDER BY 1',
    );
    return Object.fromEntries(r.rows.map((x) => [x.dataset_id, `${x.n}:${x.sum}`]));
  });
}

/** Assets the API's role reads: no context, a partner (Maasgouw) and the system context. */
async function visibleToApp(url: string): Promise<number[]> {
  return withClient(url, async (c) => {
    const counts: number[] = [];
    for (const settings of [[], [['samenhang.partner', '1'], ['samenhang.org', 'maasgouw']], [['samenhang.system', 'on']]]) {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE samenhang_app');
      for (const [k, v] of settings) {
        const value = v === 'maasgouw' ? (await c.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'maasgouw'")).rows[0]?.id : v;
        await c.query('SELECT set_config($1, $2, true)', [k, String(value)]);
      }
      counts.push(Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM asset')).rows[0]?.n));
      await c.query('ROLLBACK');
    }
    return counts;
  });
}

describe('backup and restore round trip', () => {
  let src: TestDatabase;
  const tag = `bkr_${randomBytes(3).toString('hex')}`;
  const restored = `${tag}_restored`;
  const dir = mkdtempSync(path.join(tmpdir(), 'samenhang-backup-'));
  const dump = path.join(dir, 'source.dump');
  let manifest: Manifest;
  const script = (name: string, ...args: string[]) => runCommand(process.execPath, [path.join('scripts', `${name}.mjs`), ...args], src.url);

  beforeAll(async () => {
    src = await createTestDatabase(`${tag}_src`);
    const setup = await runCommand('npx', ['tsx', 'api/src/cli/setup.ts'], src.url);
    expect(setup.code, setup.output).toBe(0);
    const layer = await runCommand(process.execPath, ['--import', 'tsx', 'api/src/cli/import.ts', '--org', 'maasgouw', FILE_LAYER], src.url);
    expect(layer.code, layer.output).toBe(0);
  });

  afterAll(async () => {
    await src?.drop();
    await withClient(testServerUrl(), async (c) => {
      for (const name of await databasesOf(tag)) if (/^[a-z0-9_]+$/.test(name)) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up with a manifest of per-layer and per-table counts and checksums', async () => {
    const r = await script('backup', '--out', dump);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/\d+\.\d MB/);
    manifest = JSON.parse(readFileSync(manifestPathFor(dump), 'utf8')) as Manifest;
    expect(manifest.file.bytes).toBe(statSync(dump).size);
    // the manifest's counts agree with the source counted here
    const sums = await layerSums(src.url);
    for (const l of manifest.layers) expect(l.rows).toBe(Number((sums[l.id] ?? '0:').split(':')[0]));
    const fileLayer = manifest.layers.find((l) => l.name === 'begroeidterreindeel');
    expect(fileLayer?.rows).toBe(126);
    expect(manifest.layers.filter((l) => l.name.startsWith('KLIC-levering')).length).toBeGreaterThanOrEqual(5);
    const tables = new Map(manifest.tables.map((t) => [t.name, t.rows]));
    for (const t of ['organisation', 'app_user', 'work', 'moratorium', 'walk', 'hotspot', 'dataset']) expect(tables.has(t), t).toBe(true);
    expect(tables.get('work')).toBeGreaterThan(0);
    expect(tables.get('app_user')).toBeGreaterThan(0);
    expect(manifest.security.policies?.count).toBeGreaterThan(20);
  });

  it('restores into a new database with equal counts, checksums and row security', async () => {
    const r = await script('restore', dump, '--database', restored);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('counts and checksums match the manifest');
    const copy = await withClient(urlOf(restored), (c) => computeManifest(c));
    expect(compareManifests(manifest, copy)).toEqual([]);
    expect(copy.layers).toEqual(manifest.layers);
    // checked a second way: counts and a checksum ordered by id, computed without the shared module
    expect(await layerSums(urlOf(restored))).toEqual(await layerSums(src.url));
    // grants and policies came along: the API's role sees what it saw before, and no more
    const [none, partner, system] = await visibleToApp(urlOf(restored));
    expect([none, partner, system]).toEqual(await visibleToApp(src.url));
    expect(none).toBe(0);
    expect(partner).toBeGreaterThan(0);
    expect(partner).toBeLessThan(system ?? 0);
    expect(system).toBe(manifest.layers.reduce((n, l) => n + l.rows, 0));
  });

  it('names the layer and the table whose rows changed after the restore', async () => {
    const fileLayer = manifest.layers.find((l) => l.name === 'begroeidterreindeel');
    await withClient(urlOf(restored), async (c) => {
      await c.query("UPDATE asset SET label = coalesce(label, '') || '*' WHERE id = (SELECT min(id) FROM asset WHERE dataset_id = $1)", [fileLayer?.id]);
      await c.query('DELETE FROM moratorium WHERE id = (SELECT max(id) FROM moratorium)');
      await c.query("SELECT setval('work_id_seq', 1)"); // the next planned work would collide
    });
    const r = await script('restore', dump, '--database', restored, '--verify-only');
    expect(r.code).toBe(1);
    const mismatches = r.output.split('\n').filter((l) => l.includes('MISMATCH'));
    expect(mismatches).toEqual([
      expect.stringContaining(`layer ${fileLayer?.id} "begroeidterreindeel": checksum differs`),
      expect.stringMatching(/table moratorium: rows \d+ expected, \d+ found/),
      expect.stringContaining('table moratorium: checksum differs'),
      expect.stringMatching(/sequence work_id_seq: next value 2 is not above work\.id's \d+/),
    ]);
  });

  it('takes a consistent backup while rows are being written', async () => {
    const live = path.join(dir, 'live.dump');
    let writing = true;
    let written = 0;
    const writer = withClient(src.url, async (c) => {
      while (writing) {
        await c.query("INSERT INTO audit_log (action, result) VALUES ('backup-test', 'ok')");
        written++;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = written;
    const backup = await script('backup', '--out', live);
    const during = written - before;
    writing = false;
    await writer;
    expect(backup.code, backup.output).toBe(0);
    expect(during).toBeGreaterThan(10);
    // the dump and the manifest read one snapshot: the restore matches although rows kept coming
    const r = await script('restore', live, '--database', `${tag}_live`);
    expect(r.code, r.output).toBe(0);
    const inBackup = (JSON.parse(readFileSync(manifestPathFor(live), 'utf8')) as Manifest).tables.find((t) => t.name === 'audit_log')?.rows ?? 0;
    const inSource = await withClient(src.url, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM audit_log')).rows[0]?.n));
    expect(inBackup).toBeGreaterThanOrEqual(before);
    expect(inBackup).toBeLessThan(inSource);
    await withClient(testServerUrl(), (c) => c.query(`DROP DATABASE ${tag}_live WITH (FORCE)`));
  });

  it('refuses a damaged dump and leaves no database behind', async () => {
    const truncated = path.join(dir, 'truncated.dump');
    copyFileSync(dump, truncated);
    truncateSync(truncated, Math.floor(statSync(dump).size * 0.6));
    // with its manifest: refused before anything is created
    copyFileSync(manifestPathFor(dump), manifestPathFor(truncated));
    const checked = await script('restore', truncated, '--database', `${tag}_trunc`);
    expect(checked.code).toBe(1);
    expect(checked.output).toContain('is damaged or is not the dump its manifest describes');
    // without a manifest (--no-verify): pg_restore fails part-way, its transaction and database go
    rmSync(manifestPathFor(truncated));
    const unchecked = await script('restore', truncated, '--database', `${tag}_trunc`, '--no-verify');
    expect(unchecked.code).toBe(1);
    expect(unchecked.output).toMatch(/pg_restore failed, nothing was restored .*end of file/);
    const flipped = path.join(dir, 'flipped.dump');
    const bytes = readFileSync(dump);
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 512; i++) bytes[i] = (bytes[i] ?? 0) ^ 0x55;
    writeFileSync(flipped, bytes);
    const corrupt = await script('restore', flipped, '--database', `${tag}_flip`, '--no-verify');
    expect(corrupt.code).toBe(1);
    expect(corrupt.output).toContain('pg_restore failed, nothing was restored');
    // nothing left: not the targets, not the side databases the restores went into
    expect(await databasesOf(tag)).toEqual([restored, src.url.split('/').pop()].sort());
  });

  it('replaces a database with --force only when nobody is connected, keeping the old one', async () => {
    const holder = new pg.Client({ connectionString: urlOf(restored), application_name: 'holder' });
    await holder.connect();
    const refused = await script('restore', dump, '--database', restored, '--force');
    await holder.end();
    expect(refused.code).toBe(1);
    // the holder is named (a pool of the test's own may show as an unnamed client beside it)
    expect(refused.output).toMatch(/is in use \([^)]*1 × holder/);
    const r = await script('restore', dump, '--database', restored, '--force');
    expect(r.code, r.output).toBe(0);
    expect((await script('restore', dump, '--database', restored, '--verify-only')).code).toBe(0);
    const kept = await withClient(testServerUrl(), (c) => c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${restored}\\_before\\_restore\\_%`]));
    expect(kept.rowCount).toBe(1);
    expect(existsSync(dump)).toBe(true);
  });
});
