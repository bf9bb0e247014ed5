/**
 * OGC API – Features at /ogc (issue 8): Part 1 Core with GeoJSON, HTML and OpenAPI 3.0, and Part 2
 * (CRS by reference: CRS84, EPSG:4326, EPSG:28992). Clients such as GDAL (`OAPIF:…/ogc`) and
 * QGIS read every collection page by page. The caller is the rest of the API's principal (session
 * cookie or Bearer token) and each collection applies the access rules of api/src/ogc/collections.ts.
 *   GET /ogc  /ogc/conformance  /ogc/api  /ogc/collections  /ogc/collections/{id}
 *   GET /ogc/collections/{id}/items   (bbox, bbox-crs, crs, datetime, limit, offset, system/owner/status)
 *   GET /ogc/collections/{id}/items/{featureId}   (crs)
 * JSON or HTML by f=json|html or the Accept header.
 */
import { type Request, type Response, Router } from 'express';
import { bundleExportRow, exportProperties, findingExportRow } from '../../analysis/export.ts';
import type { Audit } from '../../auth/audit.ts';
import { policyParams } from '../../auth/policy.ts';
import type { Pool } from '../../db/pool.ts';
import { assetColumns, bulkReadableSql } from '../../export/query.ts';
import { ASSET_FROM, COLLECTIONS, type Collection, collectionOf, filtersOf } from '../../ogc/collections.ts';
import { contentCrs, parseCrs } from '../../ogc/crs.ts';
import { type Extent, collectionDoc, collectionsDoc, conformance, itemDoc, itemsDoc, itemsJson, landing } from '../../ogc/documents.ts';
import { type AnalysisRow, type Feature, analysisFeatures, boxToCrs84, sqlExtent, sqlItem, sqlItems } from '../../ogc/items.ts';
import { GEOJSON_TYPE, JSON_TYPE, OPENAPI_TYPE, type Format, apiRoot, formatOf, selfLinks } from '../../ogc/links.ts';
import { openApiDocument } from '../../ogc/openapi.ts';
import { apiPage, collectionPage, collectionsPage, conformancePage, itemPage, itemsPage, landingPage } from '../../ogc/pages.ts';
import { parseItemsQuery, rejectUnknown, single } from '../../ogc/params.ts';
import { principalOf } from '../auth.ts';
import { notFound } from '../errors.ts';
import { bundlesFor, findingsFor } from '../../analysis/for-caller.ts';
import type { ReplicaReads } from '../../db/replica.ts';
import type { TileFamily } from '../tile-cache.ts';

/**
 * The tile family whose NOTIFY announces a change of the collection's rows, so a replica can be
 * held to it (db/replica.ts); null: always read from the primary (hotspots are announced on
 * another channel, findings and bundles are computed per caller).
 */
function replicaFamily(c: Collection): TileFamily | null {
  if (c.system) return 'assets';
  return c.id === 'works' || c.id === 'moratoria' ? c.id : null;
}

/**
 * Answer JSON or HTML; what it holds depends on who asks, so never from a shared cache. `json`:
 * the body's JSON text when it is already written (items pages, itemsJson), else JSON.stringify(body).
 */
function send(res: Response, format: Format, jsonType: string, body: unknown, html: () => string, json?: () => string): void {
  res.set({ 'Cache-Control': 'private, no-cache', Vary: 'Accept, Cookie, Authorization' });
  if (format === 'html') res.type('text/html; charset=utf-8').send(html());
  else res.type(jsonType).send(json ? json() : JSON.stringify(body));
}

/** JSON text written in pieces (an items page: ~740 KB never joined into one string), with send's caching rules. */
function sendPieces(res: Response, jsonType: string, pieces: readonly string[]): void {
  res.set({ 'Cache-Control': 'private, no-cache', Vary: 'Accept, Cookie, Authorization' });
  res.type(jsonType);
  res.cork();
  for (const piece of pieces) res.write(piece);
  res.uncork();
  res.end();
}

/** The format of a request that takes no parameters other than `f` (and `crs` where given). */
function plainFormat(req: Request, allowed: readonly string[] = ['f']): Format {
  rejectUnknown(req.query, allowed);
  return formatOf(req);
}

/**
 * The vital systems the caller can download rows of, with their extent in CRS84. An asset
 * collection is listed only when it has such rows (as /api/layers lists only layers with visible
 * rows): an empty system layer is noise, and its items would be empty. Works, moratoria, findings,
 * bundles and hotspots are always listed: they are part of the API, also when empty for you.
 */
async function systemExtents(pool: Pool, res: Response, workingSrid: number, only?: string): Promise<Map<string, number[]>> {
  const params = [...policyParams(principalOf(res)), workingSrid, ...(only ? [only] : [])];
  const r = await pool.query<{ system: string; bbox: number[] }>(
    `SELECT x.system, ARRAY[ST_XMin(x.e), ST_YMin(x.e), ST_XMax(x.e), ST_YMax(x.e)] AS bbox FROM (
       SELECT a.system, ${boxToCrs84('ST_Extent(a.geom)', '$6::integer')} AS e
       FROM ${ASSET_FROM} WHERE ${bulkReadableSql(1)} ${only ? 'AND a.system = $7::text' : ''} GROUP BY a.system) x`, params);
  return new Map(r.rows.map((row) => [row.system, row.bbox]));
}

/** Can the caller download any row of this vital system (else its collection does not exist for them)? */
async function systemVisible(pool: Pool, res: Response, code: string): Promise<boolean> {
  const r = await pool.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${ASSET_FROM} WHERE ${bulkReadableSql(1)} AND a.system = $6::text) AS ok`, [...policyParams(principalOf(res)), code]);
  return r.rows[0]?.ok === true;
}

async function extentOf(pool: Pool, res: Response, c: Collection, workingSrid: number): Promise<Extent | null> {
  if (c.source.kind !== 'sql') return null;
  return sqlExtent(pool, c.source, policyParams(principalOf(res)), workingSrid);
}

/** A collection that exists for this caller (404 otherwise), with its extent. */
async function visibleCollection(pool: Pool, res: Response, id: string, workingSrid: number): Promise<{ c: Collection; extent: Extent | null }> {
  const c = collectionOf(id);
  if (!c) throw notFound(`collection '${id}'`);
  if (c.system) {
    const bbox = (await systemExtents(pool, res, workingSrid, c.system)).get(c.system);
    if (!bbox) throw notFound(`collection '${id}'`);
    return { c, extent: { bbox, from: null, to: null } };
  }
  return { c, extent: await extentOf(pool, res, c, workingSrid) };
}

/** Findings or bundles the caller may see, as the analysis exports write them. */
async function analysisRows(pool: Pool, res: Response, which: 'findings' | 'bundles'): Promise<AnalysisRow[]> {
  const rows = which === 'findings' ? (await findingsFor(pool, policyParams(principalOf(res)), {})).map(findingExportRow) : (await bundlesFor(pool, policyParams(principalOf(res)), {})).map(bundleExportRow);
  return rows.map((r) => ({ id: r.id, works: r.works, properties: exportProperties(r) }));
}

/**
 * `audit`: a download of an asset collection is logged as an export once, at its first page (a
 * client then follows the next links; one entry per page would bury the log). OGC pages do not
 * count against the export quota of /api/…/export: a client pages through a layer in many
 * requests, and what they return is limited by the same bulk rule.
 */
export function ogcRouter(pool: Pool, workingSrid: number, audit: Audit, replica: ReplicaReads | null = null): Router {
  const router = Router();

  router.get('/ogc', (req, res) => {
    const format = plainFormat(req);
    const doc = landing(req, format);
    send(res, format, JSON_TYPE, doc, () => landingPage(apiRoot(req), doc));
  });

  router.get('/ogc/conformance', (req, res) => {
    const format = plainFormat(req);
    const doc = conformance();
    send(res, format, JSON_TYPE, doc, () => conformancePage(apiRoot(req), doc, selfLinks(req, format, JSON_TYPE)));
  });

  router.get('/ogc/api', (req, res) => {
    const format = plainFormat(req);
    const doc = openApiDocument(apiRoot(req));
    send(res, format, OPENAPI_TYPE, doc, () => apiPage(apiRoot(req), doc, selfLinks(req, format, OPENAPI_TYPE)));
  });

  router.get('/ogc/collections', async (req, res) => {
    const format = plainFormat(req);
    const systems = await systemExtents(pool, res, workingSrid);
    const listed = COLLECTIONS.filter((c) => !c.system || systems.has(c.system));
    const docs = await Promise.all(listed.map(async (c) => {
      const bbox = c.system ? systems.get(c.system) : undefined;
      const extent = bbox ? { bbox, from: null, to: null } : await extentOf(pool, res, c, workingSrid);
      return collectionDoc(req, c, extent, workingSrid, null);
    }));
    const doc = collectionsDoc(req, format, docs);
    send(res, format, JSON_TYPE, doc, () => collectionsPage(apiRoot(req), docs, doc.links as never));
  });

  router.get('/ogc/collections/:collectionId', async (req, res) => {
    const format = plainFormat(req);
    const { c, extent } = await visibleCollection(pool, res, req.params.collectionId, workingSrid);
    const doc = collectionDoc(req, c, extent, workingSrid, selfLinks(req, format, JSON_TYPE));
    send(res, format, JSON_TYPE, doc, () => collectionPage(apiRoot(req), doc));
  });

  router.get('/ogc/collections/:collectionId/items', async (req, res) => {
    const c = collectionOf(req.params.collectionId);
    if (!c) throw notFound(`collection '${req.params.collectionId}'`);
    const q = parseItemsQuery(req.query, filtersOf(c));
    const format = formatOf(req);
    const policy = policyParams(principalOf(res));
    if (c.source.kind === 'sql') {
      const family = replica ? replicaFamily(c) : null;
      const page = await sqlItems(pool, c.source, q, policy, workingSrid, await assetColumns(pool), replica && family ? { reads: replica, family } : null);
      if (page.readFrom) res.set('X-Read-From', page.readFrom);
      // a feature on the page proves the collection visible; only an empty page needs the (whole-layer) check for 404
      if (c.system && page.returned === 0 && !(await systemVisible(pool, res, c.system))) throw notFound(`collection '${c.id}'`);
      const p = principalOf(res);
      if (c.system && q.offset === 0 && p.userId !== null) {
        await audit(p, { action: 'export', result: 'ok', objectType: 'layer', objectId: c.id, ip: req.ip, detail: { format: 'ogc-api', query: req.query } });
      }
      res.set('Content-Crs', contentCrs(q.crs));
      if (format === 'json' && !q.crs.latLon) {
        // PostgreSQL wrote each feature: splice the texts in instead of parsing and writing them again
        const doc = itemsDoc(req, format, c, [], page.numberMatched, q, page.returned);
        sendPieces(res, GEOJSON_TYPE, itemsJson(doc, page.parts));
        return;
      }
      const doc = itemsDoc(req, format, c, page.features(), page.numberMatched, q);
      send(res, format, GEOJSON_TYPE, doc, () => itemsPage(apiRoot(req), c, doc));
      return;
    }
    const all = await analysisFeatures(pool, await analysisRows(pool, res, c.source.which), q, workingSrid);
    const doc = itemsDoc(req, format, c, all.slice(q.offset, q.offset + q.limit), all.length, q);
    res.set('Content-Crs', contentCrs(q.crs));
    send(res, format, GEOJSON_TYPE, doc, () => itemsPage(apiRoot(req), c, doc));
  });

  router.get('/ogc/collections/:collectionId/items/:featureId', async (req, res) => {
    const c = collectionOf(req.params.collectionId);
    if (!c) throw notFound(`collection '${req.params.collectionId}'`);
    const format = plainFormat(req, ['f', 'crs']);
    const crs = parseCrs('crs', single(req.query, 'crs'));
    const id = req.params.featureId;
    let feature: Feature | null | undefined;
    if (c.source.kind === 'sql') {
      feature = await sqlItem(pool, c.source, id, crs, policyParams(principalOf(res)), workingSrid, await assetColumns(pool));
    } else {
      const rows = (await analysisRows(pool, res, c.source.which)).filter((r) => r.id === id);
      feature = (await analysisFeatures(pool, rows, { bbox: null, bboxCrs: crs, crs }, workingSrid))[0];
    }
    if (!feature) throw notFound(`feature '${id}' in collection '${c.id}'`);
    const doc = itemDoc(req, format, c, feature);
    res.set('Content-Crs', contentCrs(crs));
    send(res, format, GEOJSON_TYPE, doc, () => itemPage(apiRoot(req), c, doc));
  });

  return router;
}
