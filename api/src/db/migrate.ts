import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEMS } from '../model/systems.ts';
import { type Pool, withTransaction } from './pool.ts';
import { asSystem } from './tenant-context.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_LOCK = 727_001; // pg_advisory_xact_lock key: one migrator at a time

export interface MigrateOptions {
  /** Working CRS for geometry columns; only used by the first migration. */
  srid?: number;
}

/** Apply forward-only SQL migrations in name order, each once, then sync the system taxonomy. */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<string[]> {
  const srid = options.srid ?? 28992;
  if (!Number.isInteger(srid) || srid <= 0) throw new Error(`invalid working SRID ${srid}`);
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  return asSystem(() => withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migration');
    const applied = new Map(done.rows.map((r) => [r.name, r.checksum]));
    const ran: string[] = [];
    for (const file of files) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = applied.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${file} was changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query(sql.replaceAll(':SRID', String(srid)));
      await client.query('INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)', [file, checksum]);
      ran.push(file);
    }
    await syncSystems(client);
    return ran;
  }));
}

async function syncSystems(client: import('./pool.ts').Client): Promise<void> {
  await client.query(
    `INSERT INTO vital_system (code, label_nl, label_en, color, sort_order)
     SELECT * FROM json_to_recordset($1::json) AS s(code text, label_nl text, label_en text, color text, sort_order int)
     ON CONFLICT (code) DO UPDATE SET label_nl = EXCLUDED.label_nl, label_en = EXCLUDED.label_en,
       color = EXCLUDED.color, sort_order = EXCLUDED.sort_order`,
    [JSON.stringify(SYSTEMS.map((s) => ({ code: s.code, label_nl: s.labelNl, label_en: s.labelEn, color: s.color, sort_order: s.order })))],
  );
}

export async function workingSrid(pool: Pool): Promise<number> {
  const r = await pool.query<{ value: string }>("SELECT value FROM app_setting WHERE key = 'working_srid'");
  const v = r.rows[0]?.value;
  if (!v) throw new Error('database is not migrated (no working_srid)');
  return Number(v);
}
