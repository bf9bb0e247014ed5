/**
 * Import jobs in PostgreSQL (migration 019): the document every API process answers with, and the
 * queue its workers take steps from. Routes read and change a job in the caller's row-security
 * context (the starter's own rows); workers, sweeps and event streams act in the system context.
 * Every change of document, state or queue moves `version`, whose trigger sends NOTIFY
 * samenhang_jobs at commit; heartbeats do not.
 */
import type { FeatureCollection } from 'geojson';
import { type Pool, withTransaction } from '../db/pool.ts';
import { type TenantContext, asSystem } from '../db/tenant-context.ts';
import { LoadRequest } from '../model/asset-mapping.ts';
import { type ImportJob, TERMINAL } from './import-job.ts';

export type JobWork = 'analyse' | 'load';

export interface JobRow {
  id: string;
  userId: number;
  context: TenantContext;
  fileName: string;
  filePath: string;
  epsg: number | null;
  /** the document, preview included */
  job: ImportJob;
  work: JobWork | null;
  loadRequest: LoadRequest | null;
  datasetOwnerId: number | null;
  claimedBy: string | null;
}

interface DbRow {
  id: string;
  user_id: number;
  context: TenantContext;
  file_name: string;
  file_path: string;
  epsg: number | null;
  job: ImportJob;
  preview: FeatureCollection | null;
  work: JobWork | null;
  load_request: unknown;
  dataset_owner_id: number | null;
  claimed_by: string | null;
}

const COLUMNS = 'id, user_id, context, file_name, file_path, epsg, job, preview, work, load_request, dataset_owner_id, claimed_by';
const TERMINAL_SQL = `('done', 'failed', 'cancelled')`;
/** ids are UUIDs; anything else cannot be a job (and must not reach a uuid cast as a 500) */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class JobConflict extends Error {}

export function isJobId(id: string): boolean {
  return UUID.test(id);
}

function fromDb(r: DbRow): JobRow {
  return {
    id: r.id, userId: r.user_id, context: r.context, fileName: r.file_name, filePath: r.file_path, epsg: r.epsg,
    // spread keeps the document's key order: `preview` stays where newJob put it
    job: { ...r.job, preview: r.preview },
    work: r.work, loadRequest: r.load_request === null ? null : LoadRequest.parse(r.load_request),
    datasetOwnerId: r.dataset_owner_id, claimedBy: r.claimed_by,
  };
}

const json = (v: unknown): string => JSON.stringify(v);
/** The document as stored: without its (large, written-once) preview. */
const stored = (job: ImportJob): string => json({ ...job, preview: null });

export interface NewJobRow {
  job: ImportJob;
  userId: number;
  context: TenantContext;
  filePath: string;
  epsg: number | null;
  /** the process that analyses it: the one that received the upload and has the file open */
  claimedBy: string;
  /** the caller's Idempotency-Key (migration 021), if it sent one */
  idempotencyKey?: string | null;
}

/** A new job whose analysis the uploading process has claimed. Runs in the caller's context. */
export async function insertJob(pool: Pool, n: NewJobRow): Promise<void> {
  await pool.query(
    `INSERT INTO import_job (id, user_id, context, file_name, file_path, epsg, state, job, work, claimed_by, heartbeat, idempotency_key)
     VALUES ($1, $2, $3::json, $4, $5, $6, $7, $8::json, 'analyse', $9, now(), $10)`,
    [n.job.id, n.userId, json(n.context), n.job.fileName, n.filePath, n.epsg, n.job.state, stored(n.job), n.claimedBy, n.idempotencyKey ?? null]);
}

/** An attempt under an Idempotency-Key: the job and what the key was used for. */
export interface KeyedAttempt {
  job: ImportJob;
  fileName: string;
  epsg: number | null;
}

/** The latest attempt of the caller under an Idempotency-Key, whatever its state, or null. */
export async function latestKeyedJob(pool: Pool, userId: number, key: string): Promise<KeyedAttempt | null> {
  const r = await pool.query<DbRow>(
    `SELECT ${COLUMNS} FROM import_job WHERE user_id = $1 AND idempotency_key = $2 ORDER BY created_at DESC LIMIT 1`, [userId, key]);
  const row = r.rows[0];
  if (!row) return null;
  const { job, fileName, epsg } = fromDb(row);
  return { job, fileName, epsg };
}

/** The insert lost a race: another request took the same key first (the unique index of migration 021). */
export function isKeyTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e !== null && typeof e === 'object' && e.code === '23505' && e.constraint === 'import_job_idempotency';
}

/** The uploads every job row still names (the upload directory's sweep keeps these). */
export async function jobUploads(pool: Pool): Promise<Set<string>> {
  const r = await asSystem(() => pool.query<{ file_path: string }>('SELECT file_path FROM import_job'));
  return new Set(r.rows.map((row) => row.file_path));
}

/** The caller's own job (row security and the explicit user check agree), or null. */
export async function readOwnJob(pool: Pool, id: string, userId: number | null): Promise<ImportJob | null> {
  if (!isJobId(id) || userId === null) return null;
  const r = await pool.query<DbRow>(`SELECT ${COLUMNS} FROM import_job WHERE id = $1 AND user_id = $2`, [id, userId]);
  const row = r.rows[0];
  return row ? fromDb(row).job : null;
}

/** Any job, for event streams that checked the caller already. */
export async function readJob(pool: Pool, id: string): Promise<ImportJob | null> {
  const r = await asSystem(() => pool.query<DbRow>(`SELECT ${COLUMNS} FROM import_job WHERE id = $1`, [id]));
  const row = r.rows[0];
  return row ? fromDb(row).job : null;
}

/**
 * The analyst's mapping: the job moves to `loading` and its load is queued for any process's
 * worker. Null when the caller has no such job; JobConflict when it does not await a mapping
 * (unless it is loading or loaded with this very mapping: a repeated request answers with the job).
 */
export async function requestLoad(pool: Pool, id: string, userId: number, request: LoadRequest, datasetOwnerId: number | null): Promise<ImportJob | null> {
  if (!isJobId(id)) return null;
  return withTransaction(pool, async (client) => {
    const r = await client.query<DbRow>(`SELECT ${COLUMNS} FROM import_job WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId]);
    const row = r.rows[0];
    if (!row) return null;
    const { job, loadRequest } = fromDb(row);
    // the same mapping posted again (a client's retry) answers with the load it started: no second load
    if ((job.state === 'loading' || job.state === 'done') && loadRequest !== null && json(loadRequest) === json(request)) return job;
    if (job.state !== 'awaiting-mapping') throw new JobConflict(`import ${id} is ${job.state}, not awaiting a mapping`);
    job.state = 'loading';
    job.progress = { phase: 'load', parsed: 0, loaded: 0, total: job.featureCount, percent: 0 };
    await client.query(
      `UPDATE import_job SET state = $2, job = $3::json, work = 'load', load_request = $4::json, dataset_owner_id = $5,
         version = version + 1, updated_at = now() WHERE id = $1`,
      [id, job.state, stored(job), json(request), datasetOwnerId]);
    return job;
  });
}

export interface Cancelled {
  job: ImportJob;
  /** a process is working on it: that process stops and cleans up */
  claimed: boolean;
  filePath: string;
}

/** Cancel the caller's job unless it ended already. Null when the caller has no such job. */
export async function requestCancel(pool: Pool, id: string, userId: number | null): Promise<Cancelled | null> {
  if (!isJobId(id) || userId === null) return null;
  return withTransaction(pool, async (client) => {
    const r = await client.query<DbRow>(`SELECT ${COLUMNS} FROM import_job WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId]);
    const row = r.rows[0];
    if (!row) return null;
    const { job, claimedBy, filePath } = fromDb(row);
    if (!TERMINAL.has(job.state)) {
      job.state = 'cancelled';
      await client.query(
        `UPDATE import_job SET state = 'cancelled', job = $2::json, work = NULL, version = version + 1, updated_at = now() WHERE id = $1`,
        [id, stored(job)]);
    }
    return { job, claimed: claimedBy !== null, filePath };
  });
}

/** Take the oldest queued step no other process holds (SKIP LOCKED: workers never wait on each other). */
export async function claimNext(pool: Pool, worker: string): Promise<JobRow | null> {
  const r = await asSystem(() => pool.query<DbRow>(
    `UPDATE import_job SET claimed_by = $1, heartbeat = now()
     WHERE id = (SELECT id FROM import_job WHERE work IS NOT NULL AND claimed_by IS NULL AND state NOT IN ${TERMINAL_SQL}
                 ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`, [worker]));
  const row = r.rows[0];
  return row ? fromDb(row) : null;
}

export interface SaveOptions {
  /** the step ended: the queue entry and the claim go with this write */
  finish?: boolean;
  /** written once, by the analysis */
  preview?: FeatureCollection | null | undefined;
}

/**
 * Write the worker's document. Only while the worker still holds the claim and the job has not
 * ended: false means it was cancelled or its lease was taken away, and the worker must stop.
 */
export async function saveJob(pool: Pool, worker: string, job: ImportJob, options: SaveOptions = {}): Promise<boolean> {
  const finish = options.finish === true;
  const r = await asSystem(() => pool.query(
    `UPDATE import_job SET state = $3, job = $4::json, preview = CASE WHEN $5 THEN $6::json ELSE preview END,
       work = CASE WHEN $7 THEN NULL ELSE work END, claimed_by = CASE WHEN $7 THEN NULL ELSE claimed_by END,
       heartbeat = CASE WHEN $7 THEN NULL ELSE heartbeat END, version = version + 1, updated_at = now()
     WHERE id = $1 AND claimed_by = $2 AND state NOT IN ${TERMINAL_SQL}`,
    [job.id, worker, job.state, stored(job), options.preview !== undefined, json(options.preview ?? null), finish]));
  return (r.rowCount ?? 0) > 0;
}

/**
 * Let go of a claim. `requeue` (the process shuts down mid-step): the step waits for another
 * process, which starts it again from the file (a load's transaction rolled back with the abort).
 */
export async function releaseJob(pool: Pool, worker: string, id: string, requeue: boolean): Promise<void> {
  await asSystem(() => pool.query(
    `UPDATE import_job SET claimed_by = NULL, heartbeat = NULL,
       version = version + CASE WHEN $3 AND work IS NOT NULL THEN 1 ELSE 0 END, updated_at = now()
     WHERE id = $1 AND claimed_by = $2`, [id, worker, requeue]));
}

/** Renew the lease on the jobs this process works on; answers which of them it still holds, with their state. */
export async function renewLeases(pool: Pool, worker: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await asSystem(() => pool.query<{ id: string; state: string }>(
    'UPDATE import_job SET heartbeat = now() WHERE claimed_by = $1 AND id = ANY($2::uuid[]) RETURNING id, state', [worker, ids]));
  return new Map(r.rows.map((row) => [row.id, row.state]));
}

/** The upload of a job that just ended without its worker, to be removed. */
export interface Orphan {
  id: string;
  filePath: string;
}

/**
 * Claims whose heartbeat is older than the lease belong to a process that died (or lost the
 * database): their job fails with an error that says so. A load's data is all-or-nothing (one
 * transaction), so the layer is either complete or absent. `own`: the steps the sweeping process
 * is running itself, alive whatever their heartbeat says (a step that kept the event loop busy
 * past the lease delayed the renewal, not the work).
 */
export async function expireLeases(pool: Pool, leaseMs: number, own: { worker: string; ids: string[] } = { worker: '', ids: [] }): Promise<Orphan[]> {
  return asSystem(() => withTransaction(pool, async (client) => {
    const r = await client.query<DbRow & { heartbeat: Date }>(
      `SELECT ${COLUMNS}, heartbeat FROM import_job WHERE claimed_by IS NOT NULL AND heartbeat < now() - make_interval(secs => $1)
         AND NOT (claimed_by = $2 AND id = ANY($3::uuid[]))
       FOR UPDATE SKIP LOCKED`, [leaseMs / 1000, own.worker, own.ids]);
    const orphans: Orphan[] = [];
    for (const raw of r.rows) {
      const { job, claimedBy, filePath } = fromDb(raw);
      if (!TERMINAL.has(job.state)) {
        const step = job.state === 'loading' ? 'loading' : 'analysing';
        job.state = 'failed';
        job.error = {
          code: 'import_interrupted',
          message: `${job.fileName}: the API process that was ${step} this import (${claimedBy ?? '?'}) stopped answering `
            + `(no sign of life since ${raw.heartbeat.toISOString()}). `
            + (step === 'loading' ? 'A layer is loaded in one transaction, so it is either complete or absent: check the layer list and import the file again if it is missing.'
              : 'Nothing was loaded; import the file again.'),
          where: job.fileName, status: 500,
        };
      }
      await client.query(
        `UPDATE import_job SET state = $2, job = $3::json, work = NULL, claimed_by = NULL, heartbeat = NULL,
           version = version + 1, updated_at = now() WHERE id = $1`, [job.id, job.state, stored(job)]);
      orphans.push({ id: job.id, filePath });
    }
    return orphans;
  }));
}

/**
 * Forget old jobs: ended ones after `endedDays`, and jobs left waiting for a mapping (the analyst
 * went away) after `waitingHours`. Returns the uploads of the waiting ones, still on disk.
 */
export async function forgetOldJobs(pool: Pool, endedDays = 7, waitingHours = 24): Promise<Orphan[]> {
  const r = await asSystem(() => pool.query<{ id: string; file_path: string; state: string }>(
    `DELETE FROM import_job WHERE claimed_by IS NULL AND (
       (state IN ${TERMINAL_SQL} AND updated_at < now() - make_interval(days => $1))
       OR (state = 'awaiting-mapping' AND updated_at < now() - make_interval(hours => $2)))
     RETURNING id, file_path, state`, [endedDays, waitingHours]));
  return r.rows.filter((row) => row.state === 'awaiting-mapping').map((row) => ({ id: row.id, filePath: row.file_path }));
}
