/**
 * Downloads: any layer — a dataset or all assets of a vital system — as GeoJSON, GeoPackage or
 * CSV (WKT), optionally within a WGS84 bbox and in EPSG:4326 or EPSG:28992.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Response, Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../db/pool.ts';
import { writeCsv } from '../../export/csv.ts';
import { EXPORT_FORMATS, type ExportSelection } from '../../export/export-query.ts';
import { writeGeoJson } from '../../export/geojson.ts';
import { writeGeoPackage } from '../../export/gpkg.ts';
import { isSystemCode } from '../../model/systems.ts';
import { badRequest, notFound } from '../errors.ts';
import { parseId } from './assets.ts';

const Query = z.object({
  format: z.enum(EXPORT_FORMATS as [string, ...string[]]),
  crs: z.enum(['EPSG:4326', 'EPSG:28992']).optional(),
  bbox: z.string().regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/).optional(),
});

function parseQuery(query: unknown): { format: string; epsg: 4326 | 28992 | null; bbox: ExportSelection['bbox'] } {
  const parsed = Query.safeParse(query);
  if (!parsed.success) {
    throw badRequest('invalid_export', `give format=${EXPORT_FORMATS.join('|')}, optional crs=EPSG:4326|EPSG:28992 and bbox=w,s,e,n (WGS84)`);
  }
  const q = parsed.data;
  const bbox = q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : null;
  return { format: q.format, epsg: q.crs === 'EPSG:4326' ? 4326 : q.crs === 'EPSG:28992' ? 28992 : null, bbox };
}

function fileSlug(name: string): string {
  return name.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase().slice(0, 60) || 'laag';
}

async function send(pool: Pool, res: Response, name: string, q: ReturnType<typeof parseQuery>, by: ExportSelection['by']): Promise<void> {
  const epsg = q.epsg ?? (q.format === 'geojson' ? 4326 : 28992);
  const sel: ExportSelection = { by, epsg, bbox: q.bbox };
  const base = `samenhang-${fileSlug(name)}-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  if (q.format === 'geojson') {
    res.type('application/geo+json').attachment(`${base}.geojson`);
    await writeGeoJson(pool, sel, res);
  } else if (q.format === 'csv') {
    res.type('text/csv; charset=utf-8').attachment(`${base}.csv`);
    await writeCsv(pool, sel, res);
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-export-'));
    try {
      const file = path.join(dir, `${base}.gpkg`);
      await writeGeoPackage(pool, sel, file, fileSlug(name).replaceAll('-', '_'));
      res.type('application/geopackage+sqlite3').attachment(`${base}.gpkg`);
      await pipeline(createReadStream(file), res);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

export function exportsRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/datasets/:id/export', async (req, res) => {
    const id = parseId(req.params);
    const q = parseQuery(req.query);
    const d = await pool.query<{ name: string }>('SELECT name FROM dataset WHERE id = $1', [id]);
    const name = d.rows[0]?.name;
    if (name === undefined) throw notFound(`dataset ${id}`);
    await send(pool, res, name, q, { datasetId: id });
  });
  router.get('/api/layers/:system/export', async (req, res) => {
    const system = req.params.system;
    if (!isSystemCode(system)) throw notFound(`layer '${system}'`);
    await send(pool, res, system, parseQuery(req.query), { system });
  });
  return router;
}
