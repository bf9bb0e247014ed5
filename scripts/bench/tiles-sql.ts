/**
 * Tiles over the SYNTHETIC city, and the bare SQL cost of a tile measured inside PostgreSQL: the
 * same ST_AsMVT of the same rows, columns and simplification as the product's layer SQL
 * (api/src/db/sql/tiles.ts), without access control, HTTP or Node, in its fastest form (no parallel
 * workers, no JIT, ST_AsMVTGeom evaluated once per row, the generic plan of a prepared statement as
 * the API runs it); planning + execution time from EXPLAIN ANALYZE (TIMING OFF).
 */
import type pg from 'pg';
import { mercatorSql, simplifyTolerance } from '../../api/src/db/sql/tiles.ts';
import { median } from './measure.ts';

export type Bbox = readonly [number, number, number, number];
export interface Tile { z: number; x: number; y: number }

export async function layerBbox(c: pg.Client, system: string): Promise<Bbox> {
  const r = await c.query<{ b: number[] }>(
    'SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM asset WHERE system = $1) s', [system]);
  const b = r.rows[0]?.b;
  if (!b || b.length !== 4) throw new Error(`no rows of ${system} in the bench database`);
  return [b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0];
}

const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** Every tile of zoom z that touches the bbox, row by row. */
export function tilesOver(b: Bbox, z: number): Tile[] {
  const out: Tile[] = [];
  for (let y = tileY(b[3], z); y <= tileY(b[1], z); y++) for (let x = tileX(b[0], z); x <= tileX(b[2], z); x++) out.push({ z, x, y });
  return out;
}

/** Only the tiles whose whole area lies inside the bbox (no half-empty edge tiles in the timed lists). */
export function innerTiles(b: Bbox, z: number): Tile[] {
  const all = tilesOver(b, z);
  const xs = all.map((t) => t.x);
  const ys = all.map((t) => t.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const inner = all.filter((t) => t.x > x0 && t.x < x1 && t.y > y0 && t.y < y1);
  return inner.length > 0 ? inner : all;
}

export function bareTileSql(system: string): string {
  if (!/^[a-z_]+$/.test(system)) throw new Error(`bad system ${system}`);
  return `
  WITH b AS MATERIALIZED (SELECT ST_TileEnvelope($1, $2, $3) AS env, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 28992) AS envw,
                    samenhang_tile_affine($1, $2, $3, 28992, 4096, 64) AS k)
  SELECT ST_AsMVT(t, '${system}', 4096, 'geom', 'fid') FROM (
    SELECT a.id AS fid, a.id, a.system, a.asset_class AS feature_type, o.name AS owner, a.status, a.label,
           ST_AsMVTGeom(${mercatorSql('CASE WHEN $4::float8 > 0 THEN ST_Simplify(a.geom, $4::float8, true) ELSE a.geom END')}, b.env, 4096, 64, true) AS geom
    FROM asset a CROSS JOIN b LEFT JOIN organisation o ON o.id = a.owner_id
    WHERE a.system = '${system}' AND a.geom && b.envw OFFSET 0
  ) t WHERE t.geom IS NOT NULL`;
}

/**
 * Median over the tiles of planning + execution time (ms) of the bare tile SQL, one untimed pass
 * first. Its fastest form, as the API runs a single-feature tile (decision 100): a prepared
 * statement with its generic plan cached (planning ~0), no parallel workers, no JIT.
 */
export async function bareTileMs(c: pg.Client, system: string, tiles: readonly Tile[]): Promise<number> {
  await c.query('SET max_parallel_workers_per_gather = 0'); // a tile's scan is too small to pay for workers
  await c.query('SET jit = off'); // as the API's pool (db/pool.ts)
  await c.query(`PREPARE bare_tile (integer, integer, integer, float8) AS ${bareTileSql(system)}`);
  await c.query('SET plan_cache_mode = force_generic_plan');
  try {
    const run = async (t: Tile) => {
      const args = [t.z, t.x, t.y, simplifyTolerance(t.z)].map((v) => { if (!Number.isFinite(v)) throw new Error(`bad tile ${JSON.stringify(t)}`); return String(v); });
      const r = await c.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(
        `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) EXECUTE bare_tile(${args.join(', ')})`);
      const plan = r.rows[0]?.['QUERY PLAN'][0];
      return (plan?.['Planning Time'] ?? NaN) + (plan?.['Execution Time'] ?? NaN);
    };
    for (const t of tiles) await run(t);
    const ms: number[] = [];
    for (const t of tiles) ms.push(await run(t));
    return median(ms);
  } finally {
    await c.query('DEALLOCATE bare_tile');
    await c.query('RESET plan_cache_mode; RESET jit; RESET max_parallel_workers_per_gather');
  }
}
