/**
 * Vector tiles per layer (one per vital system, `gemeenten`, `works`, `moratoria`):
 * `/tiles/{layer}.json` is the layer's TileJSON 3.0.0 and `/tiles/{layer}/{z}/{x}/{y}.mvt` its
 * Mapbox vector tiles. The tile itself (SQL, access, ETag, caching) is served by tile-serve.ts,
 * which the OGC API – Tiles routes (ogc-tiles.ts) share.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import type { Audit } from '../../auth/audit.ts';
import { principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { TILE_MAX_Z, TILE_ZOOM, WORLD_BOUNDS, setTileCaching, tileLayerBounds, tileLayerOf, tileSender } from '../tile-serve.ts';
import type { TileCache } from '../tile-cache.ts';
import type { ReplicaReads } from '../../db/replica.ts';

const TileParams = z.object({
  z: z.coerce.number().int().min(0).max(TILE_MAX_Z),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

export function tilesRouter(pool: Pool, srid: number, audit: Audit, cache: TileCache | null = null, replica: ReplicaReads | null = null): Router {
  const router = Router();
  const sendTile = tileSender(pool, srid, audit, cache, replica);

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
    const parsed = TileParams.safeParse(req.params);
    if (!parsed.success) throw badRequest('invalid_tile', `z, x and y must be non-negative integers, z ≤ ${TILE_MAX_Z}`);
    const { z: zoom, x, y } = parsed.data;
    if (x >= 2 ** zoom || y >= 2 ** zoom) throw badRequest('invalid_tile', `tile ${zoom}/${x}/${y} is outside the tile matrix`);
    await sendTile(req, res, layer, { z: zoom, x, y });
  });

  return router;
}
