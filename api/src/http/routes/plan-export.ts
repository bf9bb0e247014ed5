/**
 * Exports of the plan: `GET /api/works/export?format=geojson|gpkg|csv|ics` and
 * `GET /api/moratoria/export?format=geojson|gpkg|csv`, with optional `crs` (EPSG:4326 or
 * EPSG:28992), `bbox` (WGS84) and a time window `from`/`to` (ISO dates). The GeoPackage of works
 * holds the moratoria as a second layer. Registered before the `/:id` routes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Request, type Response, Router } from 'express';
import type { Audit } from '../../auth/audit.ts';
import { policyParams } from '../../auth/policy.ts';
import type { Pool } from '../../db/pool.ts';
import { worksCalendar } from '../../export/ics.ts';
import { type PlanLayer, type PlanSelection, planCsv, planGeoJson, planRows, writePlanGeoPackage } from '../../export/plan-export.ts';
import type { ExportSrid } from '../../export/formats.ts';
import { forbidden, principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { parseBbox } from './datasets.ts';

const FORMATS: Readonly<Record<PlanLayer, readonly string[]>> = { works: ['geojson', 'gpkg', 'csv', 'ics'], moratoria: ['geojson', 'gpkg', 'csv'] };
const TYPES: Readonly<Record<string, string>> = {
  geojson: 'application/geo+json', gpkg: 'application/geopackage+sqlite3', csv: 'text/csv; charset=utf-8', ics: 'text/calendar; charset=utf-8',
};
const SRIDS: Readonly<Record<string, ExportSrid>> = { 'EPSG:4326': 4326, 'EPSG:28992': 28992 };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function isoDate(name: string, v: unknown): string | null {
  const s = text(v);
  if (s === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) throw badRequest('invalid_date', `${name} must be a date as YYYY-MM-DD, not ${s}`);
  return s;
}

function parse(layer: PlanLayer, q: Record<string, unknown>): { format: string; selection: Omit<PlanSelection, 'policy'> } {
  const format = text(q.format) ?? 'geojson';
  if (!FORMATS[layer].includes(format)) throw badRequest('invalid_format', `format must be one of ${FORMATS[layer].join(', ')}`);
  const crs = text(q.crs);
  const srid = crs === undefined ? (format === 'gpkg' ? 28992 : 4326) : SRIDS[crs];
  if (srid === undefined) throw badRequest('invalid_crs', `crs must be one of ${Object.keys(SRIDS).join(', ')}`);
  // GeoJSON in RD New carries the legacy `crs` member, which GDAL and QGIS read (RFC 7946 GeoJSON is WGS84)
  const bbox = text(q.bbox) === undefined ? null : parseBbox(String(q.bbox));
  const from = isoDate('from', q.from);
  const to = isoDate('to', q.to);
  if (from && to && to < from) throw badRequest('invalid_window', `to (${to}) lies before from (${from})`);
  return { format, selection: { srid, bbox, from, to } };
}

const fileName = (layer: PlanLayer, ext: string): string => `samenhang-${layer === 'works' ? 'werken' : 'graafrust'}-${new Date().toISOString().slice(0, 10)}.${ext}`;

export function planExportRouter(pool: Pool, audit: Audit): Router {
  const router = Router();

  const send = (layer: PlanLayer) => async (req: Request, res: Response): Promise<void> => {
    const p = principalOf(res);
    if (!p.partner) throw forbidden(p, 'exports are for partners');
    const { format, selection } = parse(layer, req.query);
    const s: PlanSelection = { ...selection, policy: policyParams(p) };
    const rows = await planRows(pool, layer, s);
    await audit(p, { action: 'export', result: 'ok', objectType: 'layer', objectId: layer, ip: req.ip, detail: { format, count: rows.length } });
    res.set({ 'Content-Type': TYPES[format], 'Content-Disposition': `attachment; filename="${fileName(layer, format)}"`, 'Cache-Control': 'no-store' });
    if (format === 'geojson') res.send(planGeoJson(layer, rows, s.srid));
    else if (format === 'csv') res.send(planCsv(layer, rows));
    else if (format === 'ics') {
      const dated = rows.filter((r) => typeof r.preferredStart === 'string' && typeof r.preferredEnd === 'string');
      res.send(worksCalendar(dated.map((r) => ({
        id: Number(r.id), title: String(r.title), kind: (r.kind as string | null) ?? null, owner: (r.ownerName as string | null) ?? null,
        status: (r.status as string | null) ?? null, preferredStart: String(r.preferredStart), preferredEnd: String(r.preferredEnd),
        url: `${req.protocol}://${req.get('host') ?? 'localhost'}/api/works/${String(r.id)}`,
      })), req.hostname || 'samenhang'));
    } else {
      const layers = layer === 'works'
        ? [{ layer, rows }, { layer: 'moratoria' as const, rows: await planRows(pool, 'moratoria', s) }]
        : [{ layer, rows }];
      const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-plan-'));
      try {
        const file = path.join(dir, 'plan.gpkg');
        await writePlanGeoPackage(pool, file, layers, s.srid);
        res.send(await readFile(file));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  };

  router.get('/api/works/export', send('works'));
  router.get('/api/moratoria/export', send('moratoria'));
  return router;
}
