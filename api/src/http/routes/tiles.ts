import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
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

export function tilesRouter(pool: Pool, srid: number): Router {
  const router = Router();

  router.get('/tiles/:layer.json', async (req, res) => {
    const layer = layerOf(req.params.layer);
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const ext = await pool.query<{ b: number[] | null }>(
      layer.id === 'gemeenten'
        ? 'SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM municipality) s WHERE e IS NOT NULL'
        : 'SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM asset WHERE system = $1) s WHERE e IS NOT NULL',
      layer.id === 'gemeenten' ? [] : [layer.id],
    );
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
    const r = await pool.query<{ st_asmvt: Buffer | null }>(layer.sql, [zoom, x, y, srid, simplifyTolerance(zoom), layer.id]);
    const mvt = r.rows[0]?.st_asmvt;
    if (!mvt || mvt.length === 0) {
      res.status(204).end();
      return;
    }
    res.type('application/vnd.mapbox-vector-tile').set('Cache-Control', 'no-cache').send(mvt);
  });

  return router;
}
