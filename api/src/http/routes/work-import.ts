/**
 * `POST /api/works/import?name=<file>[&epsg=][&dryRun=1]`: the raw file (GeoJSON, GeoPackage,
 * CSV, zipped Shapefile...) of works an editor's organisation sends. All or nothing: 201 with the
 * report when every work was written, 422 with every rejected feature (number and reason) and
 * nothing written otherwise. Works files are small; the answer waits for the load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Router } from 'express';
import type { Audit } from '../../auth/audit.ts';
import type { Pool } from '../../db/pool.ts';
import { WorksFileError, WorksImportRejected, importWorksFile } from '../../ingest/works/import-works.ts';
import { principalOf } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { editor } from './edit-common.ts';
import { receive, safeFileName } from './imports.ts';

const MAX_WORKS_FILE = 200 * 1024 ** 2;

export function workImportRouter(pool: Pool, srid: number, audit: Audit): Router {
  const router = Router();
  router.post('/api/works/import', async (req, res) => {
    const p = editor(principalOf(res), 'importing works');
    const name = safeFileName(req.query.name);
    const epsg = req.query.epsg === undefined ? undefined : Number(req.query.epsg);
    if (epsg !== undefined && (!Number.isInteger(epsg) || epsg <= 0)) throw badRequest('invalid_epsg', 'epsg must be an EPSG code such as 28992');
    const slug = (await pool.query<{ slug: string | null }>('SELECT slug FROM organisation WHERE id = $1', [p.orgId])).rows[0]?.slug ?? null;
    if (slug === null) throw badRequest('unknown_owner', 'your organisation has no slug to own works by');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-works-'));
    try {
      const file = path.join(dir, name);
      await receive(req, file, MAX_WORKS_FILE, name);
      const report = await importWorksFile(pool, file, srid, {
        defaultOwner: slug, allowedOwners: [slug], userId: p.userId, orgId: p.orgId,
        open: epsg === undefined ? {} : { epsg }, dryRun: req.query.dryRun === '1' || req.query.dryRun === 'true',
      });
      await audit(p, { action: 'import', result: 'ok', objectType: 'works', objectId: name, ip: req.ip, detail: { created: report.created, updated: report.updated } });
      res.status(report.written ? 201 : 200).json({ report });
    } catch (err) {
      if (err instanceof WorksImportRejected) {
        res.status(422).json({ error: { status: 422, code: 'works_rejected', message: err.message }, report: err.report });
        return;
      }
      if (err instanceof WorksFileError) throw badRequest('invalid_file', err.message);
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  return router;
}
