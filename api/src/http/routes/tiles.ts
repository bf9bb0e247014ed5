/**
 * Vector tiles per layer (one per vital system, `gemeenten`, `works`, `moratoria`):
 * `/tiles/{layer}.json` is the layer's TileJSON 3.0.0 and `/tiles/{layer}/{z}/{x}/{y}.mvt` its
 * Mapbox vector tiles. `/tiles/networks.json?layers=a,b` and `/tiles/networks/{z}/{x}/{y}.mvt?layers=a,b`
 * serve several systems as one tileset, a source-layer each (decision 120, model/network-tiles.ts),
 * in the map's lean encoding: the asset id as feature id, no other fields but a density cell's, and
 * a tile over NETWORK_TILE_BUDGET with its largest layers merged (decision 121).
 * The tile itself (SQL, access, ETag, caching) is served by tile-serve.ts, which the OGC API –
 * Tiles routes (ogc-tiles.ts) share.
 */
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import type { Audit } from '../../auth/audit.ts';
import { principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { TILE_MAX_Z, TILE_ZOOM, WORLD_BOUNDS, sendTileBytes, setTileCaching, tileEtag, tileGetter, tileLayerBounds, tileLayerOf, tileSender } from '../tile-serve.ts';
import type { TileCache } from '../tile-cache.ts';
import type { ReplicaReads } from '../../db/replica.ts';
import { NETWORKS_TILESET, networkLayersParam, parseNetworkLayers } from '../../model/network-tiles.ts';
import { LEAN_ASSET_FIELDS, type TileLayer } from '../../db/sql/tiles.ts';
import type { SystemCode } from '../../model/systems.ts';
import { createHash } from 'node:crypto';

const TileParams = z.object({
  z: z.coerce.number().int().min(0).max(TILE_MAX_Z),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

/**
 * The most bytes a networks tile may have (the issue's "no tile above 500 KB"): the lean layers of
 * a tile over it are merged, largest first, until it fits (decision 121).
 */
export const NETWORK_TILE_BUDGET = 500 * 1024;

export function tilesRouter(pool: Pool, srid: number, audit: Audit, cache: TileCache | null = null, replica: ReplicaReads | null = null,
  networkTileBudget = NETWORK_TILE_BUDGET): Router {
  const router = Router();
  const sendTile = tileSender(pool, srid, audit, cache, replica);
  const getTile = tileGetter(pool, srid, audit, cache, replica);
  const tileOf = (params: unknown) => {
    const parsed = TileParams.safeParse(params);
    if (!parsed.success) throw badRequest('invalid_tile', `z, x and y must be non-negative integers, z ≤ ${TILE_MAX_Z}`);
    const { z: zoom, x, y } = parsed.data;
    if (x >= 2 ** zoom || y >= 2 ** zoom) throw badRequest('invalid_tile', `tile ${zoom}/${x}/${y} is outside the tile matrix`);
    return parsed.data;
  };
  const networkCodes = (query: Request['query']): SystemCode[] => {
    const parsed = parseNetworkLayers(query.layers);
    if (!parsed.ok) throw badRequest('invalid_layers', parsed.problem);
    return parsed.codes;
  };
  const networkLayers = (query: Request['query']): TileLayer[] => networkCodes(query).map((code) => tileLayerOf(code));

  // the networks as one tileset: registered before /tiles/:layer, which has no layer 'networks'
  router.get(`/tiles/${NETWORKS_TILESET}.json`, async (req, res) => {
    const codes = networkCodes(req.query);
    const layers = codes.map((code) => tileLayerOf(code));
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const p = principalOf(res);
    const all = (await Promise.all(layers.map((l) => tileLayerBounds(pool, l, p)))).filter((b) => b !== null);
    const bounds = all.length === 0 ? WORLD_BOUNDS : [Math.min(...all.map((b) => b[0])), Math.min(...all.map((b) => b[1])), Math.max(...all.map((b) => b[2])), Math.max(...all.map((b) => b[3]))];
    const v = typeof req.query.v === 'string' ? `&v=${encodeURIComponent(req.query.v)}` : '';
    setTileCaching(res, layers[0] as TileLayer); // every network layer depends on the caller
    res.json({
      tilejson: '3.0.0',
      name: NETWORKS_TILESET,
      description: layers.map((l) => l.title).join(', '),
      version: '1.0.0',
      attribution: [...new Set(layers.map((l) => l.attribution))].join('; '),
      scheme: 'xyz',
      tiles: [`${origin}/tiles/${NETWORKS_TILESET}/{z}/{x}/{y}.mvt?${networkLayersParam(codes)}${v}`],
      minzoom: TILE_ZOOM.min,
      maxzoom: TILE_ZOOM.max,
      bounds,
      vector_layers: layers.map((l) => ({ id: l.id, description: l.title, fields: LEAN_ASSET_FIELDS, minzoom: TILE_ZOOM.min, maxzoom: TILE_ZOOM.max })),
    });
  });

  router.get(`/tiles/${NETWORKS_TILESET}/:z/:x/:y.mvt`, async (req, res) => {
    const layers = networkLayers(req.query);
    const xyz = tileOf(req.params);
    const got = await Promise.all(layers.map((l) => getTile(res, l, xyz, 'lean')));
    // over the budget: the largest lean layers merged (one feature per geometry dimension) until it fits
    let total = got.reduce((n, g) => n + g.tile.bytes.length, 0);
    const merged: string[] = [];
    if (total > networkTileBudget) {
      const largestFirst = got.map((g, i) => ({ i, n: g.tile.bytes.length })).sort((a, b) => b.n - a.n || a.i - b.i);
      for (const { i, n } of largestFirst) {
        if (total <= networkTileBudget) break;
        const layer = layers[i] as TileLayer;
        const m = await getTile(res, layer, xyz, 'merged');
        got[i] = m;
        total += m.tile.bytes.length - n;
        merged.push(layer.id);
      }
    }
    if (merged.length > 0) res.set('X-Tile-Merged', merged.join(','));
    const parts = got.map((g) => g.tile).filter((t) => t.bytes.length > 0);
    // the ETag names the layers' tiles in order (lean or merged ones have their own), without hashing their bytes again
    const etag = parts.length === 0 ? tileEtag(Buffer.alloc(0)) : `"${createHash('sha256').update(got.map((g, i) => `${layers[i]?.id}:${g.tile.etag}`).join(',')).digest('base64url').slice(0, 32)}"`;
    const bytes = parts.length === 1 ? (parts[0]?.bytes ?? Buffer.alloc(0)) : Buffer.concat(parts.map((t) => t.bytes));
    if (got.every((g) => g.cache !== null)) res.set('X-Tile-Cache', got.every((g) => g.cache === 'hit') ? 'hit' : 'miss');
    setTileCaching(res, layers[0] as TileLayer);
    sendTileBytes(req, res, { bytes, etag });
  });

  router.get('/tiles/:layer.json', async (req, res) => {
    const layer = tileLayerOf(req.params.layer);
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const bounds = await tileLayerBounds(pool, layer, principalOf(res));
    // the bounds are what this caller may see: cached like the layer's tiles
    setTileCaching(res, layer);
    res.json({
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.title,
      version: '1.0.0',
      attribution: layer.attribution,
      scheme: 'xyz',
      tiles: [`${origin}/tiles/${layer.id}/{z}/{x}/{y}.mvt`],
      minzoom: TILE_ZOOM.min,
      maxzoom: TILE_ZOOM.max,
      bounds: bounds ?? WORLD_BOUNDS,
      vector_layers: [{ id: layer.id, description: layer.title, fields: layer.fields, minzoom: TILE_ZOOM.min, maxzoom: TILE_ZOOM.max }],
    });
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (req, res) => {
    const layer = tileLayerOf(req.params.layer);
    await sendTile(req, res, layer, tileOf(req.params));
  });

  return router;
}
