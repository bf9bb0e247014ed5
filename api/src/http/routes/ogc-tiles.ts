/**
 * OGC API – Tiles under /ogc (issue 8), next to the OGC API – Features routes (ogc.ts):
 *   /ogc/tileMatrixSets, /ogc/tileMatrixSets/WebMercatorQuad           the tile matrix set (TMS 2.0 JSON)
 *   /ogc/collections/{id}/tiles                                        the collection's tilesets
 *   /ogc/collections/{id}/tiles/WebMercatorQuad                        tileset metadata
 *   /ogc/collections/{id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}   one MVT
 * for the collections that have a tile layer (ogc/tiles-meta.ts TILE_COLLECTIONS). A tile is the
 * same answer as /tiles/{id}/{z}/{x}/{y}.mvt with z = tileMatrix, y = tileRow, x = tileCol
 * (tile-serve.ts: access, ETag, caching). JSON by default, an HTML page with f=html (or an
 * Accept that prefers HTML), negotiated and linked as the features routes do (ogc/links.ts).
 */
import { type Request, type Response, Router } from 'express';
import type { Audit } from '../../auth/audit.ts';
import type { TileLayer } from '../../db/sql/tiles.ts';
import type { Pool } from '../../db/pool.ts';
import { JSON_TYPE, type Link, apiRoot, formatOf, selfLinks } from '../../ogc/links.ts';
import { WEB_MERCATOR_QUAD, tileMatrixSetList, tilesHtml, tilesetList, tilesetMetadata, webMercatorQuad } from '../../ogc/tiles-docs.ts';
import { TILE_COLLECTIONS } from '../../ogc/tiles-meta.ts';
import { principalOf } from '../auth.ts';
import { HttpError, badRequest } from '../errors.ts';
import { TILE_MAX_Z, setTileCaching, tileLayerBounds, tileLayerOf, tileSender } from '../tile-serve.ts';
import type { TileCache } from '../tile-cache.ts';
import type { ReplicaReads } from '../../db/replica.ts';

const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);

/** The document as JSON or as an HTML page; `make` gets this answer's self/alternate links. */
function sendDoc(req: Request, res: Response, title: string, make: (self: Link[]) => Record<string, unknown>): void {
  const format = formatOf(req);
  const self = selfLinks(req, format, JSON_TYPE);
  const doc = make(self);
  if (format === 'html') res.type('html').send(tilesHtml(title, apiRoot(req), { ...doc, links: doc.links ?? self }));
  else res.type(JSON_TYPE).send(JSON.stringify(doc));
}

function collectionLayer(id: string): TileLayer {
  if (!TILE_COLLECTIONS.includes(id)) throw notFound(`collection '${id}' has no tiles (tiles exist for: ${TILE_COLLECTIONS.join(', ')})`);
  return tileLayerOf(id);
}

function checkTms(id: string): void {
  if (id !== WEB_MERCATOR_QUAD) throw notFound(`tile matrix set '${id}' is not offered (only ${WEB_MERCATOR_QUAD})`);
}

/** tileMatrix/tileRow/tileCol: not a number → 400; a level or row/column outside the matrix → 404. */
function tileOf(params: Record<string, string | undefined>): { z: number; x: number; y: number } {
  const [z, y, x] = [params.tileMatrix, params.tileRow, params.tileCol].map((v) => (v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : NaN));
  if (z === undefined || y === undefined || x === undefined || [z, y, x].some(Number.isNaN)) {
    throw badRequest('invalid_tile', 'tileMatrix, tileRow and tileCol must be non-negative integers');
  }
  if (z > TILE_MAX_Z) throw notFound(`tile matrix ${z} is not in ${WEB_MERCATOR_QUAD} (0–${TILE_MAX_Z})`);
  if (x >= 2 ** z || y >= 2 ** z) throw notFound(`tile row ${y}, column ${x} lies outside tile matrix ${z} (0–${2 ** z - 1})`);
  return { z, x, y };
}

export function ogcTilesRouter(pool: Pool, srid: number, audit: Audit, cache: TileCache | null = null, replica: ReplicaReads | null = null): Router {
  const router = Router();
  const sendTile = tileSender(pool, srid, audit, cache, replica);

  router.get('/ogc/tileMatrixSets', (req, res) => {
    res.set('Cache-Control', 'public, max-age=3600');
    sendDoc(req, res, 'Tile matrix sets', (self) => tileMatrixSetList(apiRoot(req), self));
  });

  router.get('/ogc/tileMatrixSets/:tms', (req, res) => {
    checkTms(req.params.tms);
    res.set('Cache-Control', 'public, max-age=3600');
    sendDoc(req, res, WEB_MERCATOR_QUAD, () => webMercatorQuad());
  });

  router.get('/ogc/collections/:id/tiles', (req, res) => {
    const layer = collectionLayer(req.params.id);
    sendDoc(req, res, `${layer.title}: tilesets`, (self) => tilesetList(apiRoot(req), layer, self));
  });

  router.get('/ogc/collections/:id/tiles/:tms', async (req, res) => {
    const layer = collectionLayer(req.params.id);
    checkTms(req.params.tms);
    const bounds = await tileLayerBounds(pool, layer, principalOf(res));
    setTileCaching(res, layer); // the extent is what this caller may see
    sendDoc(req, res, `${layer.title}: ${WEB_MERCATOR_QUAD}`, (self) => tilesetMetadata(apiRoot(req), layer, bounds, self));
  });

  router.get('/ogc/collections/:id/tiles/:tms/:tileMatrix/:tileRow/:tileCol', async (req, res) => {
    const layer = collectionLayer(req.params.id);
    checkTms(req.params.tms);
    await sendTile(req, res, layer, tileOf(req.params));
  });

  return router;
}
