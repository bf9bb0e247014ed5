/**
 * `GET /api/export?format=gpkg|geojson|csv&layers=<system codes, works, moratoria>
 *   &area=<CBS municipality code> | &bbox=<w,s,e,n WGS84>&from=YYYY-MM-DD&to=YYYY-MM-DD&crs=EPSG:28992|EPSG:4326`
 * (issue 8): the selection export of export/selection.ts. The rules of the single-layer exports:
 * partners only, only rows the caller may read and never others' C3 rows (bulk), one unit of the
 * daily export quota, audited. Every bad parameter answers 400 naming it.
 * `GET /api/export/areas[?near=lon,lat]` lists the municipalities to choose from (public reference
 * data), with the one at `near` (the map's centre) as the suggestion.
 */
import { Router } from 'express';
import type { Audit } from '../../auth/audit.ts';
import { policyParams } from '../../auth/policy.ts';
import type { Pool } from '../../db/pool.ts';
import { CONTENT_TYPES, exportFileName } from '../../export/formats.ts';
import {
  type Selection, type SelectionLayer, type SelectionSource, isSelectionLayer,
  writeSelectionCsv, writeSelectionGeoJson, writeSelectionGeoPackage, writeSelectionZip,
} from '../../export/selection.ts';
import { SYSTEM_CODES } from '../../model/systems.ts';
import { forbidden, principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { sendGeoPackage } from '../send-geopackage.ts';
import { exportQuota, parseExportRequest } from './datasets.ts';
import { isoDate } from './plan-export.ts';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export const SELECTION_LAYERS: readonly SelectionLayer[] = [...SYSTEM_CODES, 'works', 'moratoria'];

function parseLayers(v: unknown): SelectionLayer[] {
  const list = (text(v) ?? '').split(',').map((l) => l.trim()).filter((l) => l !== '');
  if (list.length === 0) throw badRequest('invalid_layers', `layers is required: a comma-separated list of ${SELECTION_LAYERS.join(', ')}`);
  const unknown = list.filter((l) => !isSelectionLayer(l));
  if (unknown.length > 0) throw badRequest('invalid_layers', `unknown layer${unknown.length > 1 ? 's' : ''} ${unknown.map((l) => `'${l}'`).join(', ')} in layers; known: ${SELECTION_LAYERS.join(', ')}`);
  return [...new Set(list as SelectionLayer[])];
}

/** Every parameter checked; the municipality must exist. */
async function parseSelection(pool: Pool, q: Record<string, unknown>): Promise<Selection> {
  const { format, srid, bbox } = parseExportRequest(q);
  const layers = parseLayers(q.layers);
  const area = q.area === undefined ? undefined : (text(q.area) ?? '');
  if (area !== undefined && bbox !== null) throw badRequest('invalid_area', 'give either area (a municipality) or bbox, not both');
  if (area !== undefined && !/^GM\d{4}$/.test(area)) throw badRequest('invalid_area', `area must be a CBS municipality code such as GM1641, not "${area}"`);
  if (area !== undefined) {
    const found = await pool.query('SELECT 1 FROM municipality WHERE code = $1', [area]);
    if (found.rowCount === 0) throw badRequest('unknown_area', `area ${area} is not a known municipality`);
  }
  const from = isoDate('from', q.from);
  const to = isoDate('to', q.to);
  if (from && to && to < from) throw badRequest('invalid_window', `to (${to}) lies before from (${from})`);
  return { format, srid, layers, municipality: area ?? null, bbox, from, to };
}

/** samenhang-selectie-<yyyymmdd>.<gpkg|geojson|csv|zip> */
function fileName(s: Selection): string {
  const name = exportFileName('selectie', s.format);
  return s.format === 'csv' && s.layers.length > 1 ? name.replace(/\.csv$/, '.zip') : name;
}

export function selectionExportRouter(pool: Pool, workingSrid: number, audit: Audit): Router {
  const router = Router();
  const withinQuota = exportQuota(pool);

  router.get('/api/export/areas', async (req, res) => {
    const near = text(req.query.near)?.split(',').map(Number);
    const point = near?.length === 2 && near.every(Number.isFinite) ? near : null;
    const r = await pool.query<{ code: string; name: string; here: boolean }>(
      `SELECT code, name, coalesce(ST_Intersects(geom, ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), ST_SRID(geom))), false) AS here
       FROM municipality ORDER BY name, code`, [point?.[0] ?? null, point?.[1] ?? null]);
    res.json({ areas: r.rows.map(({ code, name }) => ({ code, name })), suggested: r.rows.find((m) => m.here)?.code ?? null });
  });

  router.get('/api/export', async (req, res) => {
    const p = principalOf(res);
    if (!p.partner) throw forbidden(p, 'exports are for partners');
    const s = await parseSelection(pool, req.query);
    withinQuota(p, res);
    await audit(p, {
      action: 'export', result: 'ok', objectType: 'selection', objectId: s.layers.join(','), ip: req.ip,
      detail: { format: s.format, crs: `EPSG:${s.srid}`, layers: s.layers, area: s.municipality, bbox: s.bbox, from: s.from, to: s.to },
    });
    const zipped = s.format === 'csv' && s.layers.length > 1;
    res.set({
      'Content-Type': zipped ? 'application/zip' : CONTENT_TYPES[s.format],
      'Content-Disposition': `attachment; filename="${fileName(s)}"`,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end(); // Express routes HEAD to GET handlers: do not run a whole export for nothing
      return;
    }
    const src: SelectionSource = { pool, workingSrid, policy: policyParams(p) };
    try {
      if (s.format === 'gpkg') await sendGeoPackage(res, (file, signal) => writeSelectionGeoPackage(src, s, file, signal));
      else if (s.format === 'geojson') await writeSelectionGeoJson(src, s, res);
      else if (zipped) await writeSelectionZip(src, s, res);
      else await writeSelectionCsv(src, s, res);
    } catch (err) {
      // before the first byte the error middleware can still answer with JSON, not as an attachment
      if (!res.headersSent) {
        res.removeHeader('Content-Disposition');
        res.removeHeader('Content-Type');
      }
      throw err;
    }
  });

  return router;
}
