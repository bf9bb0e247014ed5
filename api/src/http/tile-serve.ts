/**
 * Serving one vector tile, shared by /tiles/{layer}/{z}/{x}/{y}.mvt and the OGC API – Tiles path
 * /ogc/collections/{id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol} (issue 8), so both
 * answer the same bytes with the same caching rules:
 *   - a strong ETag = hash of the tile bytes (the tile cache's family versions live in one
 *     process's memory and restart at 0, so they cannot name a tile across processes), If-None-Match → 304;
 *   - public layers `Cache-Control: public, max-age=300` (a proxy may store them);
 *   - layers whose content depends on the caller `private, no-cache` + `Vary: Cookie, Authorization`,
 *     so a shared cache never stores them and the browser revalidates every time;
 *   - 204 for an empty tile, with the same headers;
 *   - with a tile cache (tile-cache.ts) a tile seen before comes from memory, `X-Tile-Cache: hit|miss`;
 *   - with a replica (db/replica.ts) a tile made by SQL says where it was read: `X-Read-From: replica|primary`.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Audit } from '../auth/audit.ts';
import { policyParams } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { type Client, type Pool, withTransaction } from '../db/pool.ts';
import type { ReplicaReads } from '../db/replica.ts';
import { pipelinedRead } from '../db/pipelined.ts';
import { TILE_LAYERS, type TileLayer, type TileVariant, simplifyTolerance } from '../db/sql/tiles.ts';
import { principalOf } from './auth.ts';
import { type CachedTile, TileCache } from './tile-cache.ts';
import { notFound } from './errors.ts';

/** The zoom levels the layers are made for (TileJSON minzoom/maxzoom, OGC min/maxTileMatrix). */
export const TILE_ZOOM = { min: 0, max: 22 } as const;
/** The deepest zoom a tile is served for (the WebMercatorQuad tile matrix set goes to 24). */
export const TILE_MAX_Z = 24;
export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
/** WGS84 [w, s, e, n] of the whole Web Mercator square: the bounds of a layer the caller sees nothing of. */
export const WORLD_BOUNDS: readonly [number, number, number, number] = [-180, -85.0511287798066, 180, 85.0511287798066];

export function tileLayerOf(id: string | undefined): TileLayer {
  const layer = id === undefined ? undefined : TILE_LAYERS.get(id as never);
  if (!layer) throw notFound(`tile layer '${id ?? ''}'`);
  return layer;
}

/** Cache-Control and Vary for anything whose content is (public layer) or may be (others) per caller. */
export function setTileCaching(res: Response, layer: TileLayer): void {
  if (layer.public) res.set('Cache-Control', 'public, max-age=300');
  else res.set({ 'Cache-Control': 'private, no-cache', Vary: 'Cookie, Authorization' });
}

/** The layer's extent in WGS84 as far as the caller may see it, or null when they see nothing. */
export async function tileLayerBounds(pool: Pool, layer: TileLayer, p: Principal): Promise<[number, number, number, number] | null> {
  const r = await pool.query<{ b: number[] | null }>(layer.extentSql, layer.public ? [] : policyParams(p));
  const b = r.rows[0]?.b;
  return b && b.length === 4 ? [b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0] : null;
}

/** A strong entity tag of the bytes (an empty tile has one too). */
export function tileEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match (RFC 9110 13.1.2: weak comparison; `*` matches any current representation). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

/** C3 reads through tiles are logged once per user and layer per 10 minutes (a map view is ~100 tiles). */
function c3TileLogger(audit: Audit): (p: Principal, layer: string, tile: string) => void {
  const last = new Map<string, number>();
  return (p, layer, tile) => {
    if (p.areas === null || p.userId === null) return;
    const key = `${p.userId}/${layer}`;
    if ((last.get(key) ?? 0) > Date.now() - 600_000) return;
    last.set(key, Date.now());
    void audit(p, { action: 'read_c3_tiles', result: 'ok', objectType: 'layer', objectId: layer, detail: { firstTile: tile, note: 'tiles may include C3 rows of others inside the user\'s project areas' } });
  };
}

/**
 * Below z14, a tile whose layer holds more features than this (as far as the caller may read them,
 * counted from the overview's cells, tiles.ts overviewCountSql) is drawn from the overview. ~8,000 single features of
 * the tile benchmark's city make a ~270 KB tile in ~100 ms: inside the 500 KB / 200 ms budget.
 */
export const OVERVIEW_ABOVE = 8000;

/**
 * A tile's bytes in rows of at most 48 KB, in order. node-postgres receives a bytea as a hex string
 * of twice its size; V8 keeps a string over 128 KB in its large-object space, which only a full
 * collection frees, while 96 KB strings die young (tile benchmark: ~0.45 ms less Node CPU per
 * 220 KB z14 tile under load). The text is made once per layer SQL.
 */
const TILE_PART = 49_152;
interface TilePart { part: Buffer | null }
const partsSql = new Map<string, string>();
function inPartsSql(sql: string): string {
  let wrapped = partsSql.get(sql);
  if (wrapped === undefined) {
    wrapped = `SELECT substring(t.mvt FROM s FOR ${TILE_PART}) AS part
      FROM (${sql}) t(mvt) CROSS JOIN generate_series(1, greatest(length(t.mvt), 1), ${TILE_PART}) s ORDER BY s`;
    partsSql.set(sql, wrapped);
  }
  return wrapped;
}

export interface TileXYZ { z: number; x: number; y: number }
export type SendTile = (req: Request, res: Response, layer: TileLayer, tile: TileXYZ) => Promise<void>;
/**
 * One layer's tile for the caller of `res`, and whether it came from the tile cache (null: no cache).
 * `variant` (network layers, decision 121): the encoding; layers without variants give `full`.
 */
export type GetTile = (res: Response, layer: TileLayer, tile: TileXYZ, variant?: TileVariant) => Promise<{ tile: CachedTile; cache: 'hit' | 'miss' | null }>;

/**
 * The tile maker of one app (one C3 read logger); z/x/y must already lie inside the tile matrix.
 * `replica`: tiles made by SQL may be read from the streaming replica when it has replayed the
 * layer family's last change (db/replica.ts), so a tile cached under a new version is never older.
 */
export function tileGetter(pool: Pool, srid: number, audit: Audit, cache: TileCache | null = null, replica: ReplicaReads | null = null): GetTile {
  const logC3 = c3TileLogger(audit);
  const fromSql = async (res: Response, layer: TileLayer, variant: TileVariant, p: Principal, z: number, x: number, y: number): Promise<CachedTile> => {
    const policy = layer.public ? [] : policyParams(p);
    const params = [z, x, y, srid, simplifyTolerance(z), layer.id, ...policy];
    const overview = layer.overview?.(z, variant) ?? null;
    const single = variant === 'full' || !layer.variants ? layer.sql : layer.variants[variant];
    const name = variant === 'full' ? `tile:${layer.id}` : `tile:${layer.id}:${variant}`;
    // below z14 a tile of few features (what the caller may read) still shows them one by one, clickable;
    // only a dense tile is drawn from the overview (decision 84)
    // single features of a layer that allows it: one named statement, its generic plan cached per connection
    const generic = overview === null && layer.genericPlan === true;
    const query = async (c: Client) => {
      if (generic) return c.query<TilePart>({ name, text: inPartsSql(single), values: params });
      let sql = single;
      if (overview !== null && layer.overviewCountSql) {
        const n = await c.query<{ n: number }>(layer.overviewCountSql(z), [z, x, y, srid, layer.id, ...policy]);
        if ((n.rows[0]?.n ?? 0) > OVERVIEW_ABOVE) sql = overview;
      }
      return c.query<TilePart>(inPartsSql(sql), params);
    };
    const setting = generic ? 'genericTile' : 'noParallel';
    let r: Awaited<ReturnType<typeof query>>;
    if (generic && !replica) {
      // one round trip: context, settings and the named statement before one Sync (decision 116)
      r = await pipelinedRead<TilePart>(pool, 'genericTile', { name, text: inPartsSql(single), values: params });
    } else if (replica) {
      const read = await replica.read(layer.family, pool, query, setting);
      res.set('X-Read-From', read.from);
      r = read.value;
    } else r = await withTransaction(pool, query, setting);
    const parts = r.rows.flatMap((row) => (row.part === null ? [] : [row.part]));
    const bytes = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
    return { bytes, etag: tileEtag(bytes) };
  };
  return async (res, layer, { z, x, y }, asked = 'full') => {
    const p = principalOf(res);
    const variant = layer.variants ? asked : 'full';
    let tile: CachedTile;
    let state: 'hit' | 'miss' | null = null;
    if (cache?.enabled) {
      const key = TileCache.key(variant === 'full' ? layer.id : `${layer.id}:${variant}`, z, x, y, cache.scopeOf(p, layer.public));
      const hit = cache.get(key, layer.family);
      state = hit ? 'hit' : 'miss';
      if (hit) tile = hit;
      else {
        const version = cache.version(layer.family); // before the query: a change while it runs keeps this tile out
        tile = await fromSql(res, layer, variant, p, z, x, y);
        cache.set(key, layer.family, version, tile);
      }
    } else tile = await fromSql(res, layer, variant, p, z, x, y);
    if (!layer.public && tile.bytes.length > 0) logC3(p, layer.id, `${z}/${x}/${y}`);
    return { tile, cache: state };
  };
}

/** Answer tile bytes: ETag, If-None-Match → 304, empty → 204, else the MVT. Caching headers are set by the caller. */
export function sendTileBytes(req: Request, res: Response, tile: CachedTile): void {
  res.set('ETag', tile.etag);
  if (matchesIfNoneMatch(req.get('if-none-match'), tile.etag)) {
    res.status(304).end();
    return;
  }
  if (tile.bytes.length === 0) {
    res.status(204).end();
    return;
  }
  res.type(MVT_TYPE).send(tile.bytes);
}

/** The sender of one layer's tiles (see tileGetter). */
export function tileSender(pool: Pool, srid: number, audit: Audit, cache: TileCache | null = null, replica: ReplicaReads | null = null): SendTile {
  const getTile = tileGetter(pool, srid, audit, cache, replica);
  return async (req, res, layer, xyz) => {
    const { tile, cache: state } = await getTile(res, layer, xyz);
    if (state !== null) res.set('X-Tile-Cache', state);
    setTileCaching(res, layer);
    sendTileBytes(req, res, tile);
  };
}
