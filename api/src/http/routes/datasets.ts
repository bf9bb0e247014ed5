/**
 * Downloads: any layer — one imported dataset, or every asset of a vital system — as GeoJSON,
 * GeoPackage or CSV, in EPSG:4326 or EPSG:28992, optionally cut to a WGS84 bbox.
 * GeoJSON and CSV stream from a database cursor straight into the response; a GeoPackage is a
 * SQLite file, so it is written to a temp file first, then streamed and deleted.
 * (The dataset list, GET /api/datasets, lives in dataset-list.ts.)
 */
import { type Request, type Response, Router } from 'express';
import type { Pool } from '../../db/pool.ts';
import type { Audit } from '../../auth/audit.ts';
import { type Level, assetReadableSql, canExport, policyParams } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { AttemptLimiter } from '../../auth/attempts.ts';
import { forbidden, principalOf } from '../auth.ts';
import { type CellValue } from '../../export/columns.ts';
import { fetchInBatches } from '../../export/cursor.ts';
import { writeCsv } from '../../export/csv.ts';
import {
  CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSrid,
  defaultSrid,
  exportFileName,
  isExportFormat,
  tableName,
} from '../../export/formats.ts';
import { writeGeoJson } from '../../export/geojson.ts';
import { writeGeoPackageExport } from '../../export/gpkg-export.ts';
import { type Bbox, type ExportQueryOptions, type ExportScope, assetColumns, csvQuery, geoJsonQuery } from '../../export/query.ts';
import { getSystem, isSystemCode } from '../../model/systems.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { sendGeoPackage } from '../send-geopackage.ts';
import { parseId } from './assets.ts';

const CRS_PARAMS: Readonly<Record<string, ExportSrid>> = { 'EPSG:4326': 4326, 'EPSG:28992': 28992 };

interface ExportRequest {
  format: ExportFormat;
  srid: ExportSrid;
  bbox: Bbox | null;
}

/** What the layer is called: in the file name, as GeoPackage table and as its readable title. */
interface LayerNames {
  file: string;
  table: string;
  title: string;
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** format (default geojson), crs (default per format) and bbox=w,s,e,n in WGS84 degrees. */
export function parseExportRequest(query: Record<string, unknown>): ExportRequest {
  const format = single(query.format) ?? 'geojson';
  if (!isExportFormat(format)) throw badRequest('invalid_format', `format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const crs = single(query.crs);
  const srid = crs === undefined ? defaultSrid(format) : CRS_PARAMS[crs];
  if (srid === undefined) throw badRequest('invalid_crs', `crs must be one of ${Object.keys(CRS_PARAMS).join(', ')}`);
  const bboxText = query.bbox === undefined ? undefined : (single(query.bbox) ?? '');
  return { format, srid, bbox: bboxText === undefined ? null : parseBbox(bboxText) };
}

export function parseBbox(text: string): Bbox {
  const n = text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  const [w, s, e, north] = n;
  if (n.length !== 4 || w === undefined || s === undefined || e === undefined || north === undefined || !n.every(Number.isFinite)) {
    throw badRequest('invalid_bbox', 'bbox must be four numbers: west,south,east,north in WGS84 degrees');
  }
  if (w < -180 || e > 180 || s < -90 || north > 90 || w >= e || s >= north) {
    throw badRequest('invalid_bbox', 'bbox must lie within -180..180, -90..90 with west < east and south < north');
  }
  return [w, s, e, north];
}

async function sendExport(req: Request, res: Response, pool: Pool, opts: ExportQueryOptions, format: ExportFormat, names: LayerNames): Promise<void> {
  res.set({
    'Content-Type': CONTENT_TYPES[format],
    'Content-Disposition': `attachment; filename="${exportFileName(names.file, format)}"`,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end(); // Express routes HEAD to GET handlers: do not run a whole export for nothing
    return;
  }
  try {
    if (format === 'geojson') {
      await writeGeoJson(fetchInBatches<{ feature: string }>(pool, geoJsonQuery(opts)), res, { srid: opts.targetSrid, layerName: names.table });
    } else if (format === 'csv') {
      await writeCsv(fetchInBatches<Record<string, CellValue>>(pool, csvQuery(opts)), res);
    } else {
      await sendGeoPackage(res, (file, signal) =>
        writeGeoPackageExport(pool, opts, { table: names.table, identifier: names.title, description: `Samenhang export: ${names.title}` }, file, signal));
    }
  } catch (err) {
    // Before the first byte the error middleware can still answer with JSON, not as an attachment;
    // after it, it cuts the response short (errors.ts).
    if (!res.headersSent) {
      res.removeHeader('Content-Disposition');
      res.removeHeader('Content-Type');
    }
    throw err;
  }
}

async function queryOptions(pool: Pool, scope: ExportScope, request: ExportRequest, workingSrid: number, p: Principal): Promise<ExportQueryOptions> {
  return { scope, targetSrid: request.srid, workingSrid, bbox: request.bbox, assetColumns: await assetColumns(pool), policy: policyParams(p) };
}

/** Bulk exports per user per 24 hours ("exports within quota"); SAMENHANG_EXPORT_QUOTA overrides. */
export const EXPORT_QUOTA = Number(process.env.SAMENHANG_EXPORT_QUOTA ?? 100);

const quotas = new WeakMap<Pool, AttemptLimiter>();

/** The quota of bulk downloads per user, one per app (keyed by its pool): every export route counts against it. */
export function exportQuota(pool: Pool): (p: Principal, res: Response) => void {
  const quota = quotas.get(pool) ?? new AttemptLimiter({ max: EXPORT_QUOTA, windowMs: 24 * 3_600_000 });
  quotas.set(pool, quota);
  /** count one export against the caller's quota, or answer 429 with Retry-After */
  return (p, res) => {
    const key = String(p.userId);
    const wait = quota.retryAfter(key);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new HttpError(429, 'export_quota', `export quota of ${EXPORT_QUOTA} downloads a day reached; try again in ${Math.ceil(wait / 60)} min`);
    }
    quota.record(key);
  };
}

export function datasetsRouter(pool: Pool, srid: number, audit: Audit): Router {
  const router = Router();
  const withinQuota = exportQuota(pool);

  router.get('/api/datasets/:id/export', async (req, res) => {
    const id = parseId(req.params);
    const request = parseExportRequest(req.query);
    const p = principalOf(res);
    const d = await pool.query<{ name: string; confidentiality: Level; owner_id: number | null; visible: boolean }>(
      `SELECT d.name, d.confidentiality, d.owner_id,
              EXISTS (SELECT 1 FROM asset a WHERE a.dataset_id = d.id AND a.part IN (0, d.id) AND ${assetReadableSql(2)}) AS visible
       FROM dataset d WHERE d.id = $1`, [id, ...policyParams(p)]);
    const row = d.rows[0];
    const owned = p.partner && row?.owner_id === p.orgId;
    // a dataset the caller can see nothing of does not exist for them
    if (!row || !(row.visible || owned)) throw notFound(`dataset ${id}`);
    const shared = p.shares.some((s) => s.datasetId === id && s.area === null);
    if (!canExport(p, { level: row.confidentiality, ownerOrgIds: [row.owner_id], datasetId: id, shared })) {
      await audit(p, { action: 'export', result: 'denied', objectType: 'dataset', objectId: id, ip: req.ip });
      res.locals.audited = true;
      throw forbidden(p, row.confidentiality === 'C3' ? 'critical-infrastructure (C3) layers of other organisations are never exported in bulk' : 'you may not export this layer');
    }
    withinQuota(p, res);
    await audit(p, { action: 'export', result: 'ok', objectType: 'dataset', objectId: id, ip: req.ip, detail: { format: request.format } });
    const name = row.name;
    const scope: ExportScope = { kind: 'dataset', id };
    const names = { file: name, table: tableName(name, `dataset_${id}`), title: name };
    await sendExport(req, res, pool, await queryOptions(pool, scope, request, srid, p), request.format, names);
  });

  router.get('/api/layers/:system/export', async (req, res) => {
    const code = req.params.system;
    if (!isSystemCode(code)) throw notFound(`layer '${code}'`);
    const request = parseExportRequest(req.query);
    const p = principalOf(res);
    if (!p.partner) throw forbidden(p, 'exports are for partners');
    withinQuota(p, res);
    await audit(p, { action: 'export', result: 'ok', objectType: 'layer', objectId: code, ip: req.ip, detail: { format: request.format } });
    const scope: ExportScope = { kind: 'system', code };
    const names = { file: code, table: code, title: getSystem(code).labelNl };
    await sendExport(req, res, pool, await queryOptions(pool, scope, request, srid, p), request.format, names);
  });

  return router;
}
