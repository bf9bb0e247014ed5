/**
 * A killed import leaves no partial layer: `npm run import` (scripts/import.mjs running the bundled
 * CLI) is killed with SIGKILL while its COPY is running; afterwards the database holds no dataset and no asset of it. The input is a SYNTHETIC
 * 150,000-line GeoJSON written by the test (size is what matters here, not realism).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ROOT } from '../helpers/app-process.ts';

let db: TestDatabase;
let file: string;
const N = 150_000;

async function writeSyntheticGeoJson(target: string): Promise<void> {
  const out = createWriteStream(target);
  out.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n');
  for (let i = 0; i < N; i++) {
    const x = 150_000 + (i % 1000) * 5;
    const y = 460_000 + Math.floor(i / 1000) * 5;
    const line = `${i ? ',' : ''}{"type":"Feature","properties":{"id":${i},"materiaal":"PVC","diameter":250},"geometry":{"type":"LineString","coordinates":[[${x},${y}],[${x + 4},${y + 3}]]}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end(']}\n');
  await once(out, 'finish');
}

beforeAll(async () => {
  db = await createTestDatabase('it_kill');
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'samenhang-kill-')), 'riool_synthetisch.geojson');
  await writeSyntheticGeoJson(file);
});
afterAll(async () => {
  await db.drop();
});

async function copyRunning(): Promise<boolean> {
  const r = await db.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY asset_load_%' AND state = 'active'");
  return (r.rows[0]?.n ?? 0) > 0;
}

describe('kill -9 during an import', () => {
  it('leaves no dataset and no asset behind', async () => {
    // scripts/import.mjs is what `npm run import` runs: it runs the bundled CLI in its own process
    const child = spawn(process.execPath, ['scripts/import.mjs', '--layer', 'killed', file], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore', detached: true,
    });
    const deadline = Date.now() + 60_000;
    while (!(await copyRunning())) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the import never reached its COPY');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300)); // part-way through the COPY
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await once(child, 'exit');
    // PostgreSQL notices the lost client and rolls its transaction back.
    for (let i = 0; i < 100 && (await copyRunning()); i++) await new Promise((r) => setTimeout(r, 100));
    const r = await db.pool.query<{ d: number; a: number }>(
      `SELECT (SELECT count(*) FROM dataset WHERE layer_name = 'killed')::int AS d, (SELECT count(*) FROM asset)::int AS a,
              (SELECT count(*) FROM pg_class WHERE relname LIKE 'asset\\_load\\_%' OR relname LIKE 'asset\\_file\\_%')::int AS t`);
    expect(r.rows[0]).toEqual({ d: 0, a: 0, t: 0 });
  });

  it('the same file then imports completely', async () => {
    const child = spawn(process.execPath, ['scripts/import.mjs', '--json', '--layer', 'killed', file], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ read: N, loaded: N, new: N });
    const r = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM asset');
    expect(r.rows[0]?.n).toBe(N);
  });
});
