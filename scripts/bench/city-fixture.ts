/**
 * The set-up the tile and feature benchmarks share: a fresh database with the SYNTHETIC city
 * (generate-city.ts), the anchors' expression indexes (mapserver.ts), a signed-in caller (bearer
 * token of the municipality's administrator) and the extent of the benchmarked layer.
 */
import pg from 'pg';
import { asSystem } from '../../api/src/db/tenant-context.ts';
import { benchTokens, ownerPool } from './analysis-api.ts';
import { type FreshDatabase, benchServer, freshProductDatabase } from './bench-db.ts';
import { type CityStats, generateCity } from './generate-city.ts';
import { ANCHOR_INDEXES } from './mapserver.ts';
import { type Bbox, layerBbox } from './tiles-sql.ts';

/** The layer the benchmarks serve: the drinking-water mains (22 % of the segments). */
export const BENCH_SYSTEM = 'drinkwater';

export interface CityFixture {
  db: FreshDatabase;
  city: CityStats;
  /** the bench's own connection (owner role) */
  sql: pg.Client;
  /** `Bearer <token>` of the municipality's administrator */
  auth: string;
  /** WGS84 extent of BENCH_SYSTEM */
  bbox: Bbox;
  close(): Promise<void>;
}

export async function cityFixture(size: number, seed: number, log: (m: string) => void): Promise<CityFixture> {
  const db = await freshProductDatabase(benchServer());
  const owner = ownerPool(db.url);
  const sql = new pg.Client({ connectionString: db.url, application_name: 'samenhang-bench' });
  const close = async () => {
    await sql.end().catch(() => undefined);
    await owner.end().catch(() => undefined);
    await db.drop();
  };
  try {
    const city = await generateCity(db.url, seed, size, log);
    await sql.connect();
    for (const s of ANCHOR_INDEXES) await sql.query(s);
    await sql.query('ANALYZE asset');
    const tokens = await benchTokens(owner);
    const orgId = (await asSystem(() => owner.query<{ id: number }>("SELECT id FROM organisation WHERE slug = 'syn-gemeente'"))).rows[0]?.id ?? 0;
    return { db, city, sql, auth: `Bearer ${tokens.get(orgId) ?? ''}`, bbox: await layerBbox(sql, BENCH_SYSTEM), close };
  } catch (err) {
    await close();
    throw err;
  }
}
