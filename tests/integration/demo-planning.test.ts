/**
 * The FICTIONAL demo planning (issue 6, data/demo-planning): `npm run setup` loads it after the
 * real KLIC deliveries, all or nothing and idempotently; the committed file is exactly what the
 * seeded generator makes from the real networks (so nobody edited it by hand); and the analysis
 * finds every finding type in it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAll } from '../../api/src/analysis/store.ts';
import { asSystem, tenantPool } from '../../api/src/db/tenant-context.ts';
import { FINDING_TYPES } from '../../api/src/model/analysis-rules.ts';
import { DEFAULT_PLANNING_SEED, PLANNING_FILE, generatePlanning } from '../../scripts/demo/generate-planning.ts';
import { ROOT } from '../helpers/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;

function setup(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['tsx', 'api/src/cli/setup.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`setup failed (${code}):\n${out}`))));
  });
}

let firstRun = '';

beforeAll(async () => {
  db = await createTestDatabase('demo_planning');
  firstRun = await setup(db.url);
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

describe('the fictional demo planning', () => {
  it('is loaded by setup: 40 works of four owners, each labelled fictional, and the moratoria of the finished reconstructions', async () => {
    expect(firstRun).toMatch(/FICTIEVE demo-planning: 40 werken \(nieuw 40, bijgewerkt 0, ongewijzigd 0\); graafrust gemaakt 2/);
    const works = await asSystem(() => db.pool.query<{ slug: string; n: number; fictional: number; from: string; to: string }>(
      `SELECT o.slug, count(*)::int AS n, count(*) FILTER (WHERE w.title LIKE '%(fictief,%')::int AS fictional,
              min(w.preferred_start)::text AS from, max(w.preferred_end)::text AS to
       FROM work w JOIN organisation o ON o.id = w.owner_id WHERE w.source_kind = 'import' GROUP BY o.slug ORDER BY o.slug`));
    expect(works.rows.map((r) => r.slug)).toEqual(['enexis', 'kpn', 'maasgouw', 'wml']);
    expect(works.rows.reduce((s, r) => s + r.n, 0)).toBe(40);
    for (const r of works.rows) expect(r.fictional, r.slug).toBe(r.n);
    expect(works.rows.every((r) => r.from >= '2026-01-01' && r.to <= '2033-12-31')).toBe(true);
    const moratoria = await asSystem(() => db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM moratorium m JOIN work w ON w.id = m.source_work_id WHERE w.kind = 'reconstructie weg' AND w.status = 'gereed'`));
    expect(moratoria.rows[0]?.n).toBe(2);
  });

  it('follows the real networks: every line work lies within a metre of real KLIC lines along most of its length', async () => {
    const r = await asSystem(() => db.pool.query<{ id: string; share: number }>(
      `SELECT w.source_id AS id,
              1 - ST_Length(ST_Difference(w.geom, (SELECT ST_Buffer(ST_Collect(a.geom), 1) FROM asset a
                 WHERE a.source_kind = 'klic' AND ST_DWithin(a.geom, w.geom, 1)))) / ST_Length(w.geom) AS share
       FROM work w WHERE w.source_kind = 'import' AND ST_Dimension(w.geom) = 1`));
    expect(r.rows.length).toBeGreaterThan(30);
    for (const row of r.rows) expect(row.share, row.id).toBeGreaterThan(0.9);
  });

  it('is exactly what the seeded generator makes from the real networks', async () => {
    const file = JSON.parse(await readFile(PLANNING_FILE, 'utf8')) as { features: unknown[] };
    const made = await generatePlanning(db.url, DEFAULT_PLANNING_SEED);
    expect(made.features).toEqual(file.features);
  }, 60_000);

  it('makes the analysis find every type of finding', async () => {
    const pool = tenantPool(db.pool);
    const byType = await asSystem(async () => {
      await refreshAll(pool);
      const r = await pool.query<{ type: string; n: number }>(
        `SELECT f.type, count(*)::int AS n FROM finding f
         WHERE NOT EXISTS (SELECT 1 FROM unnest(f.work_ids) i JOIN work w ON w.id = i WHERE w.source_kind <> 'import')
         GROUP BY f.type`);
      return Object.fromEntries(r.rows.map((x) => [x.type, x.n]));
    });
    for (const t of FINDING_TYPES) expect(byType[t] ?? 0, t).toBeGreaterThan(0);
  }, 60_000);

  it('is idempotent: a second setup changes nothing', async () => {
    const again = await setup(db.url);
    expect(again).toMatch(/FICTIEVE demo-planning: 40 werken \(nieuw 0, bijgewerkt 0, ongewijzigd 40\); graafrust gemaakt 0/);
    const n = await asSystem(() => db.pool.query<{ works: number; moratoria: number }>(
      `SELECT (SELECT count(*)::int FROM work WHERE source_kind = 'import') AS works, (SELECT count(*)::int FROM moratorium) AS moratoria`));
    expect(n.rows[0]).toEqual({ works: 40, moratoria: 2 });
  }, 240_000);
});
