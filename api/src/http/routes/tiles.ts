import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import type { Audit } from '../../auth/audit.ts';
import { policyParams } from '../../auth/policy.ts';
import { principalOf } from '../auth.ts';
import { TILE_LAYERS, type TileLayer, simplifyTolerance } from '../../db/sql/tiles.ts';
import { badRequest, notFound } from '../errors.ts';

const TileParams = z.object({
  z: z.coerce.number().int().min(0).max(24),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

function layerOf(id: string | undefined): TileLayer {
  const layer = id === undefined ? undefined : TILE_LAYERS.get(id as never);
  if (!layer) throw notFound(`tile layer '${id ?? ''}'`);
  return layer;
}

/** C3 reads through tiles are logged once per user and layer per 10 minutes (a map view is ~100 tiles). */
function c3TileLogger(audit: Audit): (p: ReturnType<typeof principalOf>, layer: string, tile: string) => void {
  const last = new Map<string, number>();
  return (p, layer, tile) => {
    if (p.areas === null || p.userId === null) return;
    const key = `${p.userId}/${layer}`;
    if ((last.get(key) ?? 0) > Date.now() - 600_000) return;
    last.set(key, Date.now());
    void audit(p, { action: 'read_c3_tiles', result: 'ok', objectType: 'layer', objectId: layer, detail: { firstTile: tile, note: 'tiles may include C3 rows of others inside the user\'s project areas' } });
  };
}

export function tilesRouter(pool: Pool, srid: number, audit: Audit): Router {
  const router = Router();
  const logC3 = c3TileLogger(audit);

  router.get('/tiles/:layer.json', async (req, res) => {
    const layer = layerOf(req.params.layer);
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const ext = await pool.query<{ b: number[] | null }>(layer.extentSql, layer.public ? [] : policyParams(principalOf(res)));
    res.json({
      tilejson: '3.0.0',
      name: layer.id,
      scheme: 'xyz',
      tiles: [`${origin}/tiles/${layer.id}/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: 22,
      bounds: ext.rows[0]?.b ?? [-180, -85.0511, 180, 85.0511],
      vector_layers: [{ id: layer.id, fields: layer.fields }],
    });
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (req, res) => {
    const layer = layerOf(req.params.layer);
    const parsed = TileParams.safeParse(req.params);
    if (!parsed.success) throw badRequest('invalid_tile', 'z, x and y must be non-negative integers, z ≤ 24');
    const { z: zoom, x, y } = parsed.data;
    if (x >= 2 ** zoom || y >= 2 ** zoom) throw badRequest('invalid_tile', `tile ${zoom}/${x}/${y} is outside the tile matrix`);
    const p = principalOf(res);
    const params = [zoom, x, y, srid, simplifyTolerance(zoom), layer.id, ...(layer.public ? [] : policyParams(p))];
    const r = await pool.query<{ st_asmvt: Buffer | null }>(layer.sql, params);
    const mvt = r.rows[0]?.st_asmvt;
    // what a tile holds depends on who asks: never stored by shared caches unless public
    res.set('Cache-Control', layer.public ? 'public, no-cache' : 'private, no-cache').set('Vary', 'Cookie, Authorization');
    if (!layer.public && mvt && mvt.length > 0) logC3(p, layer.id, `${zoom}/${x}/${y}`);
    if (!mvt || mvt.length === 0) {
      res.status(204).end();
      return;
    }
    res.type('application/vnd.mapbox-vector-tile').send(mvt);
  });

  return router;
}
