/**
 * OGC API – Tiles (issue 8) and the caching of vector tiles, against PostGIS with one real KLIC
 * delivery (C3 cables and pipes of the operators) and the CBS municipality outlines (public):
 * the tile matrix set and tileset documents (checked against the OpenAPI schemas the API
 * publishes for them), a tile by its OGC path equal byte for byte to the /tiles tile (OGC orders
 * z/row(y)/col(x)), strong ETags with 304, public vs private caching, nothing private for anonymous
 * callers, 404 outside the matrix and for collections without tiles, and TileJSON 3.0.
 */
import path from 'node:path';
import Ajv from 'ajv';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { loadMunicipalities } from '../../api/src/ingest/reference/municipalities.ts';
import { TILES_CONFORMANCE, TILES_OPENAPI_PATHS } from '../../api/src/ogc/tiles-meta.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { areaWideAnalyst } from '../helpers/auth.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'data');
// z16 over Maasbracht: gas pipes of the delivery (the golden tile of api.test.ts)
const [Z, X, Y] = [16, 33840, 21897];

let db: TestDatabase;
let server: TestServer;
let token = '';

beforeAll(async () => {
  db = await createTestDatabase('it_ogc_tiles');
  await importKlicZip(db.pool, path.join(DATA, 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  await loadMunicipalities(db.pool, path.join(DATA, 'cbs-gemeenten-2023', 'gemeenten-2023.geojson'), 28992);
  server = await startTestServer(db.pool);
  token = await areaWideAnalyst(db.pool, 'ogc-tiles@samenhang.test');
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

/** GET as the analyst (whose project area covers the delivery), or anonymous with `anon`. */
const get = (p: string, headers: Record<string, string> = {}, anon = false): Promise<Response> =>
  fetch(server.baseUrl + p, { headers: { ...(anon ? {} : { authorization: `Bearer ${token}` }), ...headers } });

async function json(p: string, anon = false): Promise<Record<string, unknown>> {
  const res = await get(p, {}, anon);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

const bytes = async (res: Response): Promise<Buffer> => Buffer.from(await res.arrayBuffer());

/** The 200 schema the OpenAPI document publishes for a path (ogc/tiles-meta.ts). */
function validator(p: string): (doc: unknown) => boolean {
  const item = TILES_OPENAPI_PATHS[p] as { get: { responses: { 200: { content: { 'application/json': { schema: object } } } } } };
  const validate = new Ajv({ strict: false }).compile(item.get.responses[200].content['application/json'].schema);
  return (doc) => validate(doc) || (console.error(validate.errors), false);
}

type Link = { href: string; rel: string; type?: string; templated?: boolean };

describe('tile matrix sets', () => {
  it('serves the standard WebMercatorQuad definition (TMS 2.0 JSON)', async () => {
    const list = await json('/ogc/tileMatrixSets');
    expect(validator('/tileMatrixSets')(list)).toBe(true);
    const entry = (list.tileMatrixSets as { id: string; links: Link[] }[])[0];
    expect(entry?.id).toBe('WebMercatorQuad');
    expect(entry?.links[0]?.href).toBe(`${server.baseUrl}/ogc/tileMatrixSets/WebMercatorQuad`);

    const tms = await json('/ogc/tileMatrixSets/WebMercatorQuad');
    expect(validator('/tileMatrixSets/{tileMatrixSetId}')(tms)).toBe(true);
    expect(tms).toMatchObject({
      id: 'WebMercatorQuad', uri: 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad',
      crs: 'http://www.opengis.net/def/crs/EPSG/0/3857', wellKnownScaleSet: 'http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible',
    });
    const matrices = tms.tileMatrices as { id: string; scaleDenominator: number; cellSize: number; pointOfOrigin: number[]; matrixWidth: number; matrixHeight: number; tileWidth: number }[];
    expect(matrices.map((m) => m.id)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    // the values of the OGC definition (17-083r4 annex D)
    expect(matrices[0]?.scaleDenominator).toBeCloseTo(559082264.028717, 5);
    expect(matrices[0]?.cellSize).toBeCloseTo(156543.033928041, 8);
    expect(matrices[18]).toMatchObject({ matrixWidth: 262144, matrixHeight: 262144, tileWidth: 256, pointOfOrigin: [-20037508.3427892, 20037508.3427892] });
    expect(matrices[18]?.scaleDenominator).toBeCloseTo(2132.72958384, 6);
    expect((await get('/ogc/tileMatrixSets/WorldCRS84Quad')).status).toBe(404);
  });
});

describe('tilesets of a collection', () => {
  it('lists the vector tileset of a collection with its tiling scheme', async () => {
    const doc = await json('/ogc/collections/gas_ld/tiles');
    expect(validator('/collections/{collectionId}/tiles')(doc)).toBe(true);
    const [set] = doc.tilesets as { dataType: string; crs: string; links: Link[] }[];
    expect(set).toMatchObject({ dataType: 'vector', crs: 'http://www.opengis.net/def/crs/EPSG/0/3857' });
    expect(set?.links).toEqual(expect.arrayContaining([
      expect.objectContaining({ rel: 'self', href: `${server.baseUrl}/ogc/collections/gas_ld/tiles/WebMercatorQuad` }),
      expect.objectContaining({ rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme', href: `${server.baseUrl}/ogc/tileMatrixSets/WebMercatorQuad` }),
    ]));
  });

  it('describes the tileset: URL template, the layer with its fields, the extent the caller sees, zoom range', async () => {
    const doc = await json('/ogc/collections/gas_ld/tiles/WebMercatorQuad');
    expect(validator('/collections/{collectionId}/tiles/{tileMatrixSetId}')(doc)).toBe(true);
    const item = (doc.links as Link[]).find((l) => l.rel === 'item');
    expect(item).toMatchObject({ templated: true, type: 'application/vnd.mapbox-vector-tile', href: `${server.baseUrl}/ogc/collections/gas_ld/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}` });
    expect(doc).toMatchObject({ dataType: 'vector', tileMatrixSetURI: 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad' });
    const [layer] = doc.layers as { id: string; minTileMatrix: string; maxTileMatrix: string; propertiesSchema: { properties: Record<string, { type: string }> } }[];
    expect(layer).toMatchObject({ id: 'gas_ld', minTileMatrix: '0', maxTileMatrix: '22' });
    expect(layer?.propertiesSchema.properties).toMatchObject({ id: { type: 'number' }, owner: { type: 'string' }, feature_type: { type: 'string' } });
    const box = doc.boundingBox as { lowerLeft: number[]; upperRight: number[] };
    const ext = await db.pool.query<{ w: number; s: number; e: number; n: number }>(
      "SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM asset WHERE system = 'gas_ld') x");
    const r = ext.rows[0];
    expect(box.lowerLeft[0]).toBeCloseTo(r?.w ?? NaN, 6);
    expect(box.upperRight[1]).toBeCloseTo(r?.n ?? NaN, 6);
    // anonymous callers see none of the (C3) pipes, so not their extent either
    const anon = await json('/ogc/collections/gas_ld/tiles/WebMercatorQuad', true);
    expect((anon.boundingBox as { lowerLeft: number[] }).lowerLeft).toEqual([-180, -85.0511287798066]);
  });

  it('offers a plain HTML page with f=html', async () => {
    const res = await get('/ogc/collections/works/tiles?f=html');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain(`<a href="${server.baseUrl}/ogc/collections/works/tiles/WebMercatorQuad">`);
    expect((await get('/ogc/collections/works/tiles?f=xml')).status).toBe(400);
  });

  it('answers 404 naming the collection when it has no tiles', async () => {
    for (const id of ['findings', 'nope', 'gemeenten']) {
      const res = await get(`/ogc/collections/${id}/tiles`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(`'${id}'`);
    }
    expect((await get('/ogc/collections/hotspots/tiles/WebMercatorQuad/0/0/0')).status).toBe(404);
  });

  it('claims the conformance classes it implements', () => {
    expect(TILES_CONFORMANCE).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets', 'http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset',
    ]));
  });
});

describe('tiles', () => {
  const ogc = `/ogc/collections/gas_ld/tiles/WebMercatorQuad/${Z}/${Y}/${X}`;
  const xyz = `/tiles/gas_ld/${Z}/${X}/${Y}.mvt`;

  it('a tile by its OGC path (z/row/col) is the /tiles tile (z/x/y) byte for byte', async () => {
    const [a, b] = await Promise.all([get(ogc), get(xyz)]);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const [ab, bb] = await Promise.all([bytes(a), bytes(b)]);
    expect(ab.length).toBeGreaterThan(0);
    expect(ab.equals(bb)).toBe(true);
    expect(new VectorTile(new PbfReader(new Uint8Array(ab))).layers.gas_ld?.length).toBeGreaterThan(0);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
  });

  it('has a strong ETag and answers 304 to If-None-Match, keeping the caching headers', async () => {
    for (const p of [ogc, xyz]) {
      const first = await get(p);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await get(p, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('private, no-cache');
      expect((await get(p, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
      expect((await get(p, { 'if-none-match': '"other"' })).status).toBe(200);
    }
  });

  it('private layers: private, no-cache and Vary on Cookie and Authorization; public outlines: public, max-age=300', async () => {
    const priv = await get(ogc);
    expect(priv.headers.get('cache-control')).toBe('private, no-cache');
    expect(priv.headers.get('vary')).toMatch(/Cookie, Authorization/);
    const pub = await get('/tiles/gemeenten/12/2115/1368.mvt', {}, true);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('cache-control')).toBe('public, max-age=300');
    expect(pub.headers.get('vary') ?? '').not.toMatch(/Cookie|Authorization/);
    const etag = pub.headers.get('etag') ?? '';
    // the same public tile for everyone: same bytes, same tag
    expect((await get('/tiles/gemeenten/12/2115/1368.mvt')).headers.get('etag')).toBe(etag);
    const revalidated = await get('/tiles/gemeenten/12/2115/1368.mvt', { 'if-none-match': etag }, true);
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('gives anonymous callers no private data: 204 with the private caching headers', async () => {
    for (const p of [ogc, xyz, `/ogc/collections/works/tiles/WebMercatorQuad/${Z}/${Y}/${X}`]) {
      const res = await get(p, {}, true);
      expect(res.status).toBe(204);
      expect((await bytes(res)).length).toBe(0);
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(res.headers.get('vary')).toMatch(/Cookie, Authorization/);
      expect(res.headers.get('etag')).toMatch(/^"/);
    }
    // the analyst's tile is not the anonymous one
    expect((await get(ogc)).headers.get('etag')).not.toBe((await get(ogc, {}, true)).headers.get('etag'));
  });

  it('answers 404 for a level, row or column outside the tile matrix and 400 for one that is not a number', async () => {
    const base = '/ogc/collections/gas_ld/tiles/WebMercatorQuad';
    for (const t of ['16/65536/0', '16/0/65536', '3/8/0', '3/0/8', '25/0/0']) expect((await get(`${base}/${t}`)).status, t).toBe(404);
    expect((await get(`${base}/3/x/0`)).status).toBe(400);
    expect((await get('/ogc/collections/gas_ld/tiles/WorldCRS84Quad/0/0/0')).status).toBe(404);
  });
});

describe('TileJSON 3.0', () => {
  it('has the required and the useful optional fields of the specification', async () => {
    const doc = await json('/tiles/gas_ld.json');
    expect(doc).toMatchObject({ tilejson: '3.0.0', scheme: 'xyz', minzoom: 0, maxzoom: 22, attribution: expect.stringContaining('Kadaster') });
    expect(doc.tiles).toEqual([`${server.baseUrl}/tiles/gas_ld/{z}/{x}/{y}.mvt`]);
    const [w, s, e, n] = doc.bounds as number[];
    expect([w, s, e, n].every((v) => typeof v === 'number')).toBe(true);
    expect(w).toBeGreaterThan(5.8);
    expect(n).toBeLessThan(51.2);
    expect(doc.vector_layers).toEqual([expect.objectContaining({ id: 'gas_ld', minzoom: 0, maxzoom: 22, fields: expect.objectContaining({ owner: 'String' }) })]);
    const pub = await get('/tiles/gemeenten.json', {}, true);
    expect(pub.headers.get('cache-control')).toBe('public, max-age=300');
    expect(((await pub.json()) as { attribution: string }).attribution).toContain('CBS');
  });
});
