/**
 * The OpenAPI 3.0 definition served at /ogc/api (conformance class oas30): every path served under
 * /ogc with response schemas precise enough to validate the answers against (the integration test
 * does, with ajv). Schemas keep to the part of OpenAPI 3.0 that is also JSON Schema (no `nullable`,
 * no `example`), so a validator can use them as they are. The tiles module adds its own paths.
 */
import { COLLECTIONS } from './collections.ts';
import { CRS84, CRS_URIS } from './crs.ts';
import { GEOJSON_TYPE, HTML_TYPE, JSON_TYPE, OPENAPI_TYPE } from './links.ts';
import { DEFAULT_LIMIT, FILTER_NAMES, MAX_LIMIT } from './params.ts';
import { TILES_OPENAPI_PATHS } from './tiles-meta.ts';

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string): { $ref: string } => ({ $ref: `#/components/parameters/${name}` });

const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];

const SCHEMAS = {
  link: {
    type: 'object', required: ['href', 'rel'],
    properties: { href: { type: 'string', format: 'uri' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' }, hreflang: { type: 'string' } },
  },
  links: { type: 'array', items: ref('link') },
  landingPage: {
    type: 'object', required: ['links'],
    properties: { title: { type: 'string' }, description: { type: 'string' }, links: ref('links') },
  },
  confClasses: {
    type: 'object', required: ['conformsTo'],
    properties: { conformsTo: { type: 'array', minItems: 1, items: { type: 'string', format: 'uri' } } },
  },
  extent: {
    type: 'object',
    properties: {
      spatial: {
        type: 'object', required: ['bbox'],
        properties: {
          bbox: { type: 'array', minItems: 1, items: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
          crs: { type: 'string', enum: [CRS84] },
        },
      },
      temporal: {
        type: 'object', required: ['interval'],
        properties: {
          interval: { type: 'array', minItems: 1, items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', format: 'date-time' } } },
          trs: { type: 'string' },
        },
      },
    },
  },
  collection: {
    type: 'object', required: ['id', 'links'],
    properties: {
      id: { type: 'string', enum: COLLECTIONS.map((c) => c.id) }, title: { type: 'string' }, description: { type: 'string' },
      links: ref('links'), extent: ref('extent'), itemType: { type: 'string', enum: ['feature'] },
      crs: { type: 'array', items: { type: 'string', enum: [...CRS_URIS] } }, storageCrs: { type: 'string', format: 'uri' },
    },
  },
  collections: {
    type: 'object', required: ['links', 'collections'],
    properties: { links: ref('links'), collections: { type: 'array', items: ref('collection') }, crs: { type: 'array', items: { type: 'string' } } },
  },
  geometryGeoJSON: {
    oneOf: [
      { type: 'object', required: ['type', 'coordinates'], properties: { type: { type: 'string', enum: GEOMETRY_TYPES }, coordinates: { type: 'array' } } },
      { type: 'object', required: ['type', 'geometries'], properties: { type: { type: 'string', enum: ['GeometryCollection'] }, geometries: { type: 'array', items: ref('geometryGeoJSON') } } },
    ],
  },
  featureGeoJSON: {
    type: 'object', required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      geometry: ref('geometryGeoJSON'),
      properties: { type: 'object' },
      links: ref('links'),
    },
  },
  featureCollectionGeoJSON: {
    type: 'object', required: ['type', 'features', 'links', 'numberMatched', 'numberReturned', 'timeStamp'],
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: ref('featureGeoJSON') },
      links: ref('links'),
      timeStamp: { type: 'string', format: 'date-time' },
      numberMatched: { type: 'integer', minimum: 0 },
      numberReturned: { type: 'integer', minimum: 0 },
    },
  },
  exception: {
    type: 'object', required: ['error'],
    properties: {
      error: {
        type: 'object', required: ['status', 'code', 'message'],
        properties: { status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' }, id: { type: 'string' } },
      },
    },
  },
};

const PARAMETERS = {
  collectionId: { name: 'collectionId', in: 'path', required: true, description: 'the collection', schema: { type: 'string', enum: COLLECTIONS.map((c) => c.id) } },
  featureId: { name: 'featureId', in: 'path', required: true, description: 'the feature (a number, a finding or bundle id such as combine:12-34, or a hotspot UUID)', schema: { type: 'string' } },
  f: { name: 'f', in: 'query', required: false, description: 'json or html (else the Accept header decides)', schema: { type: 'string', enum: ['json', 'html'] } },
  limit: {
    name: 'limit', in: 'query', required: false, style: 'form', explode: false,
    description: `features per page (default ${DEFAULT_LIMIT}); larger values are clamped to ${MAX_LIMIT}`,
    schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
  },
  offset: { name: 'offset', in: 'query', required: false, description: 'features to skip (the next and prev links set it)', schema: { type: 'integer', minimum: 0, default: 0 } },
  bbox: {
    name: 'bbox', in: 'query', required: false, style: 'form', explode: false,
    description: 'minx,miny,maxx,maxy in bbox-crs (default CRS84: lon/lat)',
    schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
  },
  'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, description: 'the CRS of bbox', schema: { type: 'string', format: 'uri', enum: [...CRS_URIS], default: CRS84 } },
  crs: { name: 'crs', in: 'query', required: false, description: 'the CRS of the geometries returned (see the Content-Crs header)', schema: { type: 'string', format: 'uri', enum: [...CRS_URIS], default: CRS84 } },
  datetime: {
    name: 'datetime', in: 'query', required: false, style: 'form', explode: false,
    description: 'an RFC 3339 instant or interval (start/end, `..` for an open end), compared per day with the windows of works and the periods of moratoria; ignored by collections without time',
    schema: { type: 'string' },
  },
  ...Object.fromEntries(FILTER_NAMES.map((n) => [n, {
    name: n, in: 'query', required: false, description: `equality filter on ${n} (collections that have it${n === 'owner' ? ': the organisation\'s slug' : ''}; others refuse it)`, schema: { type: 'string' },
  }])),
};

const json = (schema: string, type = JSON_TYPE) => ({ [type]: { schema: ref(schema) }, [HTML_TYPE]: { schema: { type: 'string' } } });
const ok = (description: string, schema: string, type = JSON_TYPE) => ({ description, content: json(schema, type) });
const errors = {
  400: { description: 'a bad or unknown parameter (the message names it)', content: { [JSON_TYPE]: { schema: ref('exception') } } },
  404: { description: 'no such collection or feature (or not visible to you)', content: { [JSON_TYPE]: { schema: ref('exception') } } },
};
const contentCrs = { 'Content-Crs': { description: 'the CRS of the geometries, as <uri>', schema: { type: 'string' } } };

/** The OpenAPI document, with the server URL of this request's host. */
export function openApiDocument(root: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Samenhang OGC API – Features', version: '1.0.0',
      description: 'Vital systems, works, moratoria, findings, bundles and published hotspots as you may see them. '
        + 'Authenticate with a session cookie or `Authorization: Bearer <token>`. Unknown query parameters are refused with 400.',
    },
    servers: [{ url: root }],
    paths: {
      '/': { get: { summary: 'landing page', operationId: 'getLandingPage', parameters: [param('f')], responses: { 200: ok('the landing page', 'landingPage'), 400: errors[400] } } },
      '/conformance': { get: { summary: 'conformance classes', operationId: 'getConformance', parameters: [param('f')], responses: { 200: ok('the conformance classes implemented', 'confClasses'), 400: errors[400] } } },
      '/api': {
        get: {
          summary: 'this API definition', operationId: 'getApi', parameters: [param('f')],
          responses: { 200: { description: 'the OpenAPI document', content: { [OPENAPI_TYPE]: { schema: { type: 'object' } }, [HTML_TYPE]: { schema: { type: 'string' } } } }, 400: errors[400] },
        },
      },
      '/collections': { get: { summary: 'the collections', operationId: 'getCollections', parameters: [param('f')], responses: { 200: ok('the collections you may read', 'collections'), 400: errors[400] } } },
      '/collections/{collectionId}': {
        get: { summary: 'one collection', operationId: 'describeCollection', parameters: [param('collectionId'), param('f')], responses: { 200: ok('the collection', 'collection'), ...errors } },
      },
      '/collections/{collectionId}/items': {
        get: {
          summary: 'features of a collection, a page at a time', operationId: 'getFeatures',
          parameters: ['collectionId', 'f', 'limit', 'offset', 'bbox', 'bbox-crs', 'crs', 'datetime', ...FILTER_NAMES].map(param),
          responses: { 200: { ...ok('a page of features', 'featureCollectionGeoJSON', GEOJSON_TYPE), headers: contentCrs }, ...errors },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          summary: 'one feature', operationId: 'getFeature', parameters: ['collectionId', 'featureId', 'f', 'crs'].map(param),
          responses: { 200: { ...ok('the feature', 'featureGeoJSON', GEOJSON_TYPE), headers: contentCrs }, ...errors },
        },
      },
      ...TILES_OPENAPI_PATHS,
    },
    components: { schemas: SCHEMAS, parameters: PARAMETERS },
  };
}
