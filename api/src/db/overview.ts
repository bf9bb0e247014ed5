/**
 * The low-zoom overview of a network layer (migration 020; decision 84): counts, lengths and
 * merged geometry per cell at three levels, from which tiles below z14 are drawn. Built after a
 * load commits, in a transaction of its own, so a load's all-or-nothing transaction does not grow
 * and a failed build never undoes a load: until it is built (dataset.overview_at IS NULL) the tile
 * SQL draws that layer from its rows, and the next start of the API builds what is missing.
 */
import { type Pool, withTransaction } from './pool.ts';
import { SYSTEM, contextSql } from './tenant-context.ts';
import { layerTable } from '../ingest/load/load-sql.ts';

export interface OverviewBuilt {
  datasetId: number;
  rows: number;
  ms: number;
}

/** (Re)build one dataset's overview as trusted code (system context, owner role). */
export async function buildOverview(pool: Pool, datasetId: number): Promise<OverviewBuilt> {
  const started = performance.now();
  const rows = await withTransaction(pool, async (c) => {
    await c.query(`SET LOCAL ROLE NONE; ${contextSql(SYSTEM)}`);
    await c.query("SET LOCAL maintenance_work_mem = '256MB'");
    // A partition a load has just attached has no column statistics until autovacuum gets to it;
    // without them the planner joined the sparse cells to the rows by a hash on the system alone,
    // and a 1,000,000-row overview took over 7 minutes instead of ~17 s. The layer's own partition
    // is analysed first (a KLIC delivery has none: its rows are in the shared one); a sample of
    // 30,000 rows, well under a second.
    const part = await c.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [layerTable(datasetId)]);
    const table = part.rows[0]?.t;
    if (table) await c.query(`ANALYZE ${table}`);
    const r = await c.query<{ n: number }>('SELECT samenhang_build_overview($1) AS n', [datasetId]);
    return r.rows[0]?.n ?? 0;
  });
  return { datasetId, rows, ms: Math.round(performance.now() - started) };
}

/** Datasets whose overview is missing (a build that never ran or failed), oldest first. */
export async function datasetsWithoutOverview(pool: Pool): Promise<number[]> {
  return withTransaction(pool, async (c) => {
    await c.query(`SET LOCAL ROLE NONE; ${contextSql(SYSTEM)}`);
    const r = await c.query<{ id: number }>('SELECT id FROM dataset WHERE overview_at IS NULL ORDER BY id');
    return r.rows.map((x) => x.id);
  });
}

/** Build every missing overview, one after the other (at start-up; errors are reported, not thrown). */
export async function buildMissingOverviews(pool: Pool, log: (m: string) => void): Promise<OverviewBuilt[]> {
  const built: OverviewBuilt[] = [];
  for (const id of await datasetsWithoutOverview(pool)) {
    try {
      built.push(await buildOverview(pool, id));
    } catch (err) {
      log(`overview of dataset ${id} not built: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return built;
}
