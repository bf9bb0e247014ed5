/**
 * Import jobs over HTTP: POST the raw file, follow progress as Server-Sent Events, post the
 * mapping to load, DELETE to cancel. The upload is streamed to a file in the upload directory all
 * API processes share, with its size limit checked while it arrives; only allow-listed file types
 * are accepted. Jobs live in PostgreSQL (jobs/job-store.ts): every route works on any process.
 *
 * Idempotency (issue 10, migration 021): POST /api/imports may carry `Idempotency-Key` (1–200
 * printable ASCII characters, else 400), chosen by the client once per file it means to import and
 * kept for every retry of the journey. Keys are per user. The same key again, with the same ?name=
 * and ?epsg= (else 422 idempotency_key_reused; the content is not compared):
 *   - the latest attempt under the key is analysing, awaiting a mapping, loading or done → 200 with
 *     that job (header Idempotent-Replayed: true); the body is not read into a new upload, nothing
 *     is loaded twice: the layer and its counts stay those of that job;
 *   - it failed or was cancelled (a job whose process died is failed once its lease expires) → the
 *     import runs anew as a new job under the same key (202): a failed attempt does not poison it;
 *   - two requests racing with a new key: one job is made, the other answers with it.
 * POST /:id/load is repeat-safe too: the same mapping posted to a job that is loading or loaded
 * answers with that job (202) instead of 409. So a client that lost its connection anywhere repeats
 * the journey from the upload with its key and reaches the same job, or a fresh one if that failed.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Request, type Response, Router } from 'express';
import { LoadRequest } from '../../model/asset-mapping.ts';
import { JobConflict, type ImportJobs, isKeyTaken } from '../../jobs/import-jobs.ts';
import { TERMINAL, type ImportJob } from '../../jobs/import-job.ts';
import { HttpError, badRequest, notFound } from '../errors.ts';
import type { Audit } from '../../auth/audit.ts';
import { AttemptLimiter } from '../../auth/attempts.ts';
import { canWrite } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { forbidden, principalOf } from '../auth.ts';

export const UPLOAD_EXTENSIONS = ['.zip', '.geojson', '.json', '.gpkg', '.fgb', '.csv', '.kml'];

export interface ImportRouteOptions {
  maxUploadBytes: number;
}

export function safeFileName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('missing_name', 'give the file name as ?name=');
  const base = path.basename(name.replaceAll('\\', '/')).replace(/[^\p{L}\p{N}._ -]/gu, '_');
  const ext = path.extname(base).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(ext)) {
    throw new HttpError(415, 'unsupported_type', `${base}: file type ${ext || '(none)'} is not supported; use ${UPLOAD_EXTENSIONS.join(', ')} (a Shapefile as .zip)`);
  }
  return base;
}

/** Stream the request body to disk; more than `limit` bytes aborts with 413. */
export async function receive(req: Request, file: string, limit: number, name: string): Promise<void> {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      if (received > limit) cb(new HttpError(413, 'file_too_large', `${name}: larger than the upload limit of ${Math.round(limit / 1024 ** 2)} MB`));
      else cb(null, chunk);
    },
  });
  await pipeline(req, counter, createWriteStream(file));
  if (received === 0) throw badRequest('empty_file', `${name}: the upload is empty`);
}

/** Optional ?epsg=28992: the analyst states the CRS of a file that has none (or a wrong one). */
function epsgOf(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw badRequest('invalid_epsg', `epsg must be an EPSG code such as 28992 or 4326, not ${String(value)}`);
  return n;
}

/** `Idempotency-Key`: absent → undefined; present → 1–200 printable ASCII characters, else 400. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  if (key.length === 0 || key.length > 200) {
    throw badRequest('invalid_idempotency_key', `the Idempotency-Key header must be 1–200 characters long, not ${key.length}`);
  }
  if (!/^[\x20-\x7e]+$/.test(key)) {
    throw badRequest('invalid_idempotency_key', 'the Idempotency-Key header may only hold printable ASCII characters (space to ~)');
  }
  return key;
}

/** Importing is for administrators and analysts; a job is only visible to the user who started it. */
function importer(p: Principal): Principal & { userId: number; orgId: number } {
  if (p.partner && p.scope === 'read') throw forbidden(p, 'this API token is read-only; importing needs a write token');
  if (!canWrite(p, 'import_layer') || p.userId === null || p.orgId === null) throw forbidden(p, 'importing layers is for analysts and administrators');
  return p as Principal & { userId: number; orgId: number };
}

export function importsRouter(jobs: ImportJobs, options: ImportRouteOptions, audit: Audit): Router {
  const router = Router();
  // uploads are heavy: 60 an hour per user is far above an analyst's pace and stops a flood
  // (counted per process: behind a balancer of n processes a user gets up to n × 60)
  const uploads = new AttemptLimiter({ max: 60, windowMs: 3_600_000 });

  /** A job is only visible to the user who started it (the store asks with the caller's id). */
  async function jobOr404(p: Principal, id: string | undefined): Promise<ImportJob> {
    const job = id === undefined ? null : await jobs.get(id, p.userId);
    if (!job) throw notFound(`import ${id ?? ''}`);
    return job;
  }

  /**
   * The job an Idempotency-Key already names (answered as a replay), or null when the import must
   * run (no attempt yet, or the latest failed or was cancelled).
   */
  async function replayOf(p: { userId: number }, key: string, name: string, epsg: number | undefined): Promise<ImportJob | null> {
    const earlier = await jobs.keyed(p.userId, key);
    if (earlier === null) return null;
    if (earlier.fileName !== name || earlier.epsg !== (epsg ?? null)) {
      throw new HttpError(422, 'idempotency_key_reused', `Idempotency-Key ${JSON.stringify(key)} was used for ${earlier.fileName}`
        + `${earlier.epsg === null ? '' : ` (epsg ${earlier.epsg})`}; use a new key for another file or CRS`);
    }
    return earlier.job.state === 'failed' || earlier.job.state === 'cancelled' ? null : earlier.job;
  }

  function replay(res: Response, job: ImportJob): void {
    res.set('Idempotent-Replayed', 'true').status(200).json({ job });
  }

  router.post('/api/imports', async (req, res) => {
    const p = importer(principalOf(res));
    const key = idempotencyKeyOf(req);
    const name = safeFileName(req.query.name);
    const epsg = epsgOf(req.query.epsg);
    const earlier = key === undefined ? null : await replayOf(p, key, name, epsg);
    if (earlier !== null) {
      replay(res, earlier);
      return;
    }
    const wait = uploads.retryAfter(String(p.userId));
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new HttpError(429, 'too_many_uploads', `too many uploads in the last hour; try again in ${wait} s`);
    }
    uploads.record(String(p.userId));
    await mkdir(jobs.uploadDir, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(jobs.uploadDir, 'upload-'));
    const file = path.join(dir, name);
    try {
      await receive(req, file, options.maxUploadBytes, name);
      res.status(202).json({ job: await jobs.create(name, file, p.userId, epsg, key) });
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      // another request with the same key made its job first: answer with that one
      const winner = key !== undefined && isKeyTaken(err) ? await replayOf(p, key, name, epsg) : null;
      if (winner === null) throw err;
      replay(res, winner);
    }
  });

  router.get('/api/imports/:id', async (req, res) => {
    res.json({ job: await jobOr404(principalOf(res), req.params.id) });
  });

  router.get('/api/imports/:id/events', async (req, res) => {
    const id = String(req.params.id);
    // follow first, then read: a change that lands between the two is read again below
    let send: ((j: ImportJob) => void) | null = null;
    let missed = false;
    const unsubscribe = jobs.subscribe(id, (j) => (send ? send(j) : (missed = true)));
    let job: ImportJob;
    try {
      job = await jobOr404(principalOf(res), id);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let open = true;
    // a queued step may wait a while for a worker: a comment line now and then keeps proxies from timing out
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = (): void => {
      open = false;
      clearInterval(beat);
      unsubscribe();
    };
    send = (j) => {
      if (!open) return;
      res.write(`event: job\ndata: ${JSON.stringify(j)}\n\n`);
      if (TERMINAL.has(j.state) || j.state === 'awaiting-mapping') {
        close();
        res.end();
      }
    };
    req.on('close', close);
    send(job);
    if (missed && open) jobs.refresh(id);
  });

  router.post('/api/imports/:id/load', async (req, res) => {
    const p = importer(principalOf(res));
    const job = await jobOr404(p, req.params.id);
    const parsed = LoadRequest.safeParse(req.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw badRequest('invalid_mapping', problems);
    }
    // a layer belongs to the organisation that imports it; its features may name other owners (as IMKL does)
    await audit(p, { action: 'import', result: 'ok', objectType: 'import', objectId: job.id, ip: req.ip, detail: { file: job.fileName } });
    try {
      const loading = await jobs.load(job.id, p.userId, parsed.data, p.orgId);
      if (!loading) throw notFound(`import ${job.id}`);
      res.status(202).json({ job: loading });
    } catch (err) {
      if (err instanceof JobConflict) throw new HttpError(409, 'import_state', err.message);
      throw err;
    }
  });

  router.delete('/api/imports/:id', async (req, res) => {
    const p = principalOf(res);
    await jobOr404(p, req.params.id);
    res.json({ job: await jobs.cancel(String(req.params.id), p.userId) });
  });

  return router;
}
