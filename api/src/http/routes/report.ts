/**
 * The area report over HTTP (issue 8), for partners:
 *   GET  /api/reports/areas                the municipalities with works the caller may see (the dialog's list)
 *   POST /api/reports                      {area: {municipality: "GM1641"} | {bbox: [w, s, e, n]}, from?, to?}
 *                                          → 202 {id, status, progress, step}; horizon default today .. +5 years
 *   GET  /api/reports/:id                  {status: queued|running|done|failed, progress 0..1, step (Dutch), error?}
 *   GET  /api/reports/:id/report.html      the printable document, once made
 *   GET  /api/reports/:id/report.pdf       the same, printed by Chromium
 * A report belongs to the user who asked for it: anyone else gets 404. Jobs are kept in memory
 * (report/jobs.ts); the report itself is made in the requester's row-security context.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Audit } from '../../auth/audit.ts';
import { policyParams, workReadableSql } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Pool } from '../../db/pool.ts';
import type { ReportRequest } from '../../report/collect.ts';
import { ReportJobs, ReportLimitError } from '../../report/jobs.ts';
import { forbidden, principalOf } from '../auth.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseBbox } from './datasets.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const ReportBody = z.object({
  area: z.union([
    z.object({ municipality: z.string().regex(/^GM\d{4}$/, 'a CBS municipality code such as GM1641') }).strict(),
    z.object({ bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }).strict(),
  ], { error: 'give {municipality: "GM1641"} or {bbox: [west, south, east, north]} in WGS84' }),
  from: isoDate.optional(),
  to: isoDate.optional(),
}).strict();

const MAX_HORIZON_YEARS = 15;

const addYears = (iso: string, years: number): string => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`.replace(/-02-29$/, '-02-28');

function partner(p: Principal): Principal & { userId: number } {
  if (!p.partner || p.userId === null) throw forbidden(p, 'the area report is for partner organisations');
  return p as Principal & { userId: number };
}

/** The request with its horizon (default today .. today + 5 years), checked. */
export function reportRequest(body: unknown, today = new Date().toISOString().slice(0, 10)): ReportRequest {
  const b = parseBody(ReportBody, body);
  const from = b.from ?? today;
  const to = b.to ?? addYears(from, 5);
  if (to < from) throw badRequest('invalid_body', 'to: the horizon ends before it starts (from must be on or before to)');
  if (to > addYears(from, MAX_HORIZON_YEARS)) throw badRequest('invalid_body', `to: a horizon of at most ${MAX_HORIZON_YEARS} years`);
  const area = 'bbox' in b.area ? { bbox: parseBbox(b.area.bbox.join(',')) } : { municipality: b.area.municipality };
  return { area, from, to };
}

export function reportRouter(pool: Pool, audit: Audit, jobs: ReportJobs = new ReportJobs(pool)): Router {
  const router = Router();

  const jobOf = (res: Response, id: string) => {
    const p = partner(principalOf(res));
    const job = jobs.get(id, p.userId);
    if (!job) throw notFound(`report ${id}`);
    return job;
  };

  router.get('/api/reports/areas', async (_req, res) => {
    const p = partner(principalOf(res));
    const r = await pool.query<{ code: string; name: string; works: number }>(
      `SELECT g.code, g.name, count(*)::int AS works FROM work w JOIN municipality g ON ST_Intersects(g.geom, w.geom)
       WHERE w.status <> 'vervallen' AND ${workReadableSql(1)} GROUP BY g.code, g.name ORDER BY g.name`, policyParams(p));
    res.set('Cache-Control', 'private, no-cache').json({ areas: r.rows });
  });

  router.post('/api/reports', async (req, res) => {
    const p = partner(principalOf(res));
    const request = reportRequest(req.body);
    if ('municipality' in request.area) {
      const m = await pool.query('SELECT 1 FROM municipality WHERE code = $1', [request.area.municipality]);
      if (m.rowCount === 0) throw badRequest('invalid_body', `area.municipality: no municipality ${request.area.municipality}`);
    }
    let job;
    try {
      job = jobs.start(p, request);
    } catch (err) {
      if (err instanceof ReportLimitError) throw new HttpError(429, 'too_many_reports', err.message);
      throw err;
    }
    await audit(p, { action: 'export', result: 'ok', objectType: 'report', objectId: job.id, ip: req.ip, detail: { ...request, note: 'the map draws the networks the user may read (others\' C3 inside their project areas), generalised, without attributes' } });
    res.status(202).location(`/api/reports/${job.id}`).json(jobs.view(job));
  });

  router.get('/api/reports/:id', (req, res) => {
    res.set('Cache-Control', 'no-store').json(jobs.view(jobOf(res, String(req.params.id))));
  });

  router.get('/api/reports/:id/report.html', (req, res) => {
    const job = jobOf(res, String(req.params.id));
    if (job.html === null) throw new HttpError(409, 'not_ready', `report ${job.id} is not ready yet (${job.status})`);
    res.set('Cache-Control', 'private, no-store').type('html').send(job.html);
  });

  router.get('/api/reports/:id/report.pdf', (req, res) => {
    const job = jobOf(res, String(req.params.id));
    if (job.pdf === null) throw new HttpError(409, 'not_ready', `the PDF of report ${job.id} is not ready (${job.status})`);
    res.set({ 'Cache-Control': 'private, no-store', 'Content-Disposition': `attachment; filename="${job.fileName}.pdf"` }).type('application/pdf').send(job.pdf);
  });

  return router;
}
