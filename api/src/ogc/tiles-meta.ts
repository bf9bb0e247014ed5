/**
 * What the OGC API – Tiles part of /ogc adds to the landing page's conformance list and to the
 * OpenAPI document (issue 8). Kept here so the features module (api/src/ogc/*) claims exactly what
 * the tiles module (routes/ogc-tiles.ts) implements. Paths are relative to the API root `/ogc`
 * (the OpenAPI document's server URL), like the features paths (`/collections/{collectionId}`).
 */
import { SYSTEM_CODES } from '../model/systems.ts';

const TILES = 'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf';
const TMS = 'http://www.opengis.net/spec/tms/2.0/conf';

export const TILES_CONFORMANCE: readonly string[] = [
  `${TILES}/core`,
  `${TILES}/tileset`,
  `${TILES}/tilesets-list`,
  `${TILES}/geodata-tilesets`,
  `${TILES}/mvt`,
  `${TILES}/oas30`,
  `${TMS}/tilematrixset`,
  `${TMS}/json-tilematrixset`,
  `${TMS}/tilesetmetadata`,
  `${TMS}/json-tilesetmetadata`,
];

/** The collections that have vector tiles: one per vital system, works and moratoria. */
export const TILE_COLLECTIONS: readonly string[] = [...SYSTEM_CODES, 'works', 'moratoria'];

const link = { type: 'object', required: ['href', 'rel'], properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' }, templated: { type: 'boolean' } } };
const links = { type: 'array', items: link };
const error = { description: 'error', content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { type: 'object' } } } } } };
const cacheHeaders = {
  ETag: { description: 'strong validator: a hash of the tile bytes', schema: { type: 'string' } },
  'Cache-Control': { description: '`public, max-age=300` for public layers; `private, no-cache` (with `Vary: Cookie, Authorization`) for layers whose content depends on the caller', schema: { type: 'string' } },
};

const collectionId = { name: 'collectionId', in: 'path', required: true, description: 'a collection with vector tiles', schema: { type: 'string', enum: [...TILE_COLLECTIONS] } };
const tileMatrixSetId = { name: 'tileMatrixSetId', in: 'path', required: true, schema: { type: 'string', enum: ['WebMercatorQuad'] } };
const fParam = { name: 'f', in: 'query', required: false, description: 'output format', schema: { type: 'string', enum: ['json', 'html'] } };
const intPath = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', minimum: 0 } });

const tileMatrix = {
  type: 'object',
  required: ['id', 'scaleDenominator', 'cellSize', 'pointOfOrigin', 'tileWidth', 'tileHeight', 'matrixWidth', 'matrixHeight'],
  properties: {
    id: { type: 'string' }, scaleDenominator: { type: 'number' }, cellSize: { type: 'number' }, cornerOfOrigin: { type: 'string', enum: ['topLeft', 'bottomLeft'] },
    pointOfOrigin: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    tileWidth: { type: 'integer' }, tileHeight: { type: 'integer' }, matrixWidth: { type: 'integer' }, matrixHeight: { type: 'integer' },
  },
};
const tileMatrixSet = {
  type: 'object', required: ['id', 'crs', 'tileMatrices'],
  properties: { id: { type: 'string' }, title: { type: 'string' }, uri: { type: 'string' }, crs: { type: 'string' }, orderedAxes: { type: 'array', items: { type: 'string' } }, wellKnownScaleSet: { type: 'string' }, tileMatrices: { type: 'array', items: tileMatrix } },
};
const tileSetItem = {
  type: 'object', required: ['dataType', 'crs', 'links'],
  properties: { title: { type: 'string' }, dataType: { type: 'string', enum: ['vector'] }, crs: { type: 'string' }, tileMatrixSetURI: { type: 'string' }, links },
};
const tileSet = {
  type: 'object', required: ['dataType', 'crs', 'links'],
  properties: {
    ...tileSetItem.properties,
    boundingBox: { type: 'object', required: ['lowerLeft', 'upperRight'], properties: { lowerLeft: { type: 'array', items: { type: 'number' } }, upperRight: { type: 'array', items: { type: 'number' } }, crs: { type: 'string' } } },
    description: { type: 'string' }, attribution: { type: 'string' }, mediaTypes: { type: 'array', items: { type: 'string' } },
    layers: {
      type: 'array',
      items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, dataType: { type: 'string' }, minTileMatrix: { type: 'string' }, maxTileMatrix: { type: 'string' }, propertiesSchema: { type: 'object' } } },
    },
  },
};
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });

/** OpenAPI 3.0 path items of the tiles endpoints, keyed by path. */
export const TILES_OPENAPI_PATHS: Readonly<Record<string, unknown>> = {
  '/tileMatrixSets': {
    get: {
      tags: ['Tiles'], summary: 'the tile matrix sets offered (WebMercatorQuad)', operationId: 'getTileMatrixSetsList', parameters: [fParam],
      responses: { 200: json('tile matrix sets', { type: 'object', required: ['tileMatrixSets'], properties: { tileMatrixSets: { type: 'array', items: { type: 'object', required: ['links'], properties: { id: { type: 'string' }, title: { type: 'string' }, uri: { type: 'string' }, links } } } } }) },
    },
  },
  '/tileMatrixSets/{tileMatrixSetId}': {
    get: {
      tags: ['Tiles'], summary: 'a tile matrix set (OGC Two Dimensional Tile Matrix Set 2.0, JSON)', operationId: 'getTileMatrixSet', parameters: [tileMatrixSetId, fParam],
      responses: { 200: json('the tile matrix set', tileMatrixSet), 404: error },
    },
  },
  '/collections/{collectionId}/tiles': {
    get: {
      tags: ['Tiles'], summary: 'the vector tilesets of a collection', operationId: 'getCollectionVectorTileSetsList', parameters: [collectionId, fParam],
      responses: { 200: json('tilesets', { type: 'object', required: ['tilesets'], properties: { links, tilesets: { type: 'array', items: tileSetItem } } }), 404: error },
    },
  },
  '/collections/{collectionId}/tiles/{tileMatrixSetId}': {
    get: {
      tags: ['Tiles'], summary: 'tileset metadata: tile URL template, layers and their fields, bounding box, zoom range', operationId: 'getCollectionVectorTileSet', parameters: [collectionId, tileMatrixSetId, fParam],
      responses: { 200: json('tileset metadata (OGC TMS 2.0 TileSetMetadata)', tileSet), 404: error },
    },
  },
  '/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}': {
    get: {
      tags: ['Tiles'], summary: 'a Mapbox vector tile of the collection (only what the caller may see)', operationId: 'getCollectionVectorTile',
      parameters: [collectionId, tileMatrixSetId, intPath('tileMatrix', 'zoom level (0–24)'), intPath('tileRow', 'row (y), from the top'), intPath('tileCol', 'column (x), from the left')],
      responses: {
        200: { description: 'the tile', headers: cacheHeaders, content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
        204: { description: 'no features in this tile (for this caller)', headers: cacheHeaders },
        304: { description: 'not modified (If-None-Match matched the ETag)', headers: cacheHeaders },
        400: error,
        404: error,
      },
    },
  },
};
