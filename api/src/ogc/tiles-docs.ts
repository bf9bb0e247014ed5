/**
 * The JSON documents of OGC API – Tiles (issue 8): the WebMercatorQuad tile matrix set as defined
 * by OGC Two Dimensional Tile Matrix Set 2.0 (17-083r4, JSON encoding), and per collection the
 * tileset list and the tileset metadata (TMS 2.0 TileSetMetadata). Pure functions of the tile
 * layer registry (db/sql/tiles.ts) and the caller's extent; routes/ogc-tiles.ts serves them.
 */
import type { TileLayer } from '../db/sql/tiles.ts';
import { MVT_TYPE, TILE_MAX_Z, TILE_ZOOM, WORLD_BOUNDS } from '../http/tile-serve.ts';
import { a, escapeHtml, page } from './html.ts';
import { JSON_TYPE, type Link as OgcLink } from './links.ts';

export const WEB_MERCATOR_QUAD = 'WebMercatorQuad';
const TMS_URI = 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad';
const CRS_3857 = 'http://www.opengis.net/def/crs/EPSG/0/3857';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const REL = 'http://www.opengis.net/def/rel/ogc/1.0';
/** Half the side of the Web Mercator square in metres (π × 6378137). */
const ORIGIN = 20037508.3427892;
/** 0.28 mm: the "standardized rendering pixel size" that links cell size and scale denominator. */
const PIXEL = 0.00028;

/** A link of the OGC API (links.ts); a tile URL template says `templated`. */
export type Link = OgcLink & { templated?: boolean };

/** The tile matrix set, levels 0..24, exactly the OGC definition (top-left origin, 256-pixel tiles). */
export function webMercatorQuad(): Record<string, unknown> {
  const tileMatrices = Array.from({ length: TILE_MAX_Z + 1 }, (_, z) => {
    const cellSize = (2 * ORIGIN) / 256 / 2 ** z;
    return {
      id: String(z), scaleDenominator: cellSize / PIXEL, cellSize, cornerOfOrigin: 'topLeft', pointOfOrigin: [-ORIGIN, ORIGIN],
      tileWidth: 256, tileHeight: 256, matrixWidth: 2 ** z, matrixHeight: 2 ** z,
    };
  });
  return {
    id: WEB_MERCATOR_QUAD, title: 'Google Maps Compatible for the World', uri: TMS_URI, crs: CRS_3857, orderedAxes: ['X', 'Y'],
    wellKnownScaleSet: 'http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible',
    tileMatrices,
  };
}

/** `self` (and `alternate`) links of each document come from the route (links.ts selfLinks). */
export function tileMatrixSetList(base: string, self: readonly Link[]): Record<string, unknown> {
  return {
    links: self,
    tileMatrixSets: [{
      id: WEB_MERCATOR_QUAD, title: 'Google Maps Compatible for the World', uri: TMS_URI, crs: CRS_3857,
      links: [{ href: `${base}/tileMatrixSets/${WEB_MERCATOR_QUAD}`, rel: `${REL}/tiling-scheme`, type: JSON_TYPE, title: WEB_MERCATOR_QUAD }],
    }],
  };
}

const tilesetUrl = (base: string, id: string): string => `${base}/collections/${id}/tiles/${WEB_MERCATOR_QUAD}`;

function tilesetLinks(base: string, layer: TileLayer): Link[] {
  return [
    { href: tilesetUrl(base, layer.id), rel: 'self', type: JSON_TYPE, title: `${layer.title}: vector tiles (${WEB_MERCATOR_QUAD})` },
    { href: `${base}/tileMatrixSets/${WEB_MERCATOR_QUAD}`, rel: `${REL}/tiling-scheme`, type: JSON_TYPE, title: WEB_MERCATOR_QUAD },
  ];
}

/** /collections/{id}/tiles: the one tileset of a collection. */
export function tilesetList(base: string, layer: TileLayer, self: readonly Link[]): Record<string, unknown> {
  return {
    links: [
      ...self,
      { href: `${base}/collections/${layer.id}`, rel: `${REL}/geodata`, type: JSON_TYPE, title: layer.title },
    ],
    tilesets: [{ title: layer.title, dataType: 'vector', crs: CRS_3857, tileMatrixSetURI: TMS_URI, links: tilesetLinks(base, layer) }],
  };
}

/** TileJSON field types → JSON Schema types of the tileset's propertiesSchema. */
const SCHEMA_TYPES: Readonly<Record<string, string>> = { Number: 'number', String: 'string', Boolean: 'boolean' };

/**
 * /collections/{id}/tiles/WebMercatorQuad: URL template, one vector layer with its fields, the
 * extent the caller may see (CRS84) and the zoom range. The tile layer inside each MVT has the
 * collection's id as its name.
 */
export function tilesetMetadata(base: string, layer: TileLayer, bounds: readonly number[] | null, self: readonly Link[]): Record<string, unknown> {
  const [w, s, e, n] = bounds ?? WORLD_BOUNDS;
  const properties = Object.fromEntries(Object.entries(layer.fields).map(([name, type]) => [name, { type: SCHEMA_TYPES[type] ?? 'string' }]));
  return {
    title: layer.title,
    description: `${layer.title}: Mapbox vector tiles with only what the caller may see`,
    attribution: layer.attribution,
    dataType: 'vector',
    crs: CRS_3857,
    tileMatrixSetURI: TMS_URI,
    mediaTypes: [MVT_TYPE],
    boundingBox: { lowerLeft: [w, s], upperRight: [e, n], crs: CRS84 },
    links: [
      ...self,
      ...tilesetLinks(base, layer).filter((l) => l.rel !== 'self'),
      { href: `${tilesetUrl(base, layer.id)}/{tileMatrix}/{tileRow}/{tileCol}`, rel: 'item', type: MVT_TYPE, templated: true, title: `${layer.title}: one tile` },
      { href: `${base}/collections/${layer.id}`, rel: `${REL}/geodata`, type: JSON_TYPE, title: layer.title },
    ],
    layers: [{
      id: layer.id, title: layer.title, dataType: 'vector',
      minTileMatrix: String(TILE_ZOOM.min), maxTileMatrix: String(TILE_ZOOM.max),
      boundingBox: { lowerLeft: [w, s], upperRight: [e, n], crs: CRS84 },
      propertiesSchema: { type: 'object', properties },
    }],
  };
}

/**
 * f=html: the features module's page (html.ts) with the document's own links, the links inside it
 * (the tilesets, the tiling scheme) and the JSON itself.
 */
export function tilesHtml(title: string, root: string, doc: Record<string, unknown>): string {
  const own = (doc.links ?? []) as Link[];
  const nested: Link[] = [];
  JSON.stringify(doc, (key, value: unknown) => {
    if (key !== 'links' && Array.isArray(value)) nested.push(...value.flatMap((v: { links?: Link[] }) => (Array.isArray(v?.links) ? v.links : [])));
    return value;
  });
  const items = nested.map((l) => `<li>${l.templated ? escapeHtml(l.href) : a(l.href, l.title ?? l.href)} <small>(${escapeHtml(l.rel)})</small></li>`);
  return page(title, root, `${items.length > 0 ? `<ul>${items.join('')}</ul>` : ''}<pre>${escapeHtml(JSON.stringify(doc, null, 2))}</pre>`, own);
}
