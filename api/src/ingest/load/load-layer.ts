/**
 * Load one opened source into PostGIS as a layer, all-or-nothing, in ONE transaction: the dataset
 * row, a new unindexed table filled by COPY, PostGIS validation (ST_IsValidDetail) with skip or
 * repair, repeated source ids, matching against the previous import of the layer, indexes built
 * once, and the swap of the layer's partition. A failure, a cancel or a killed process leaves no
 * partial layer behind: the new table only ever existed inside the transaction.
 */
import { createHash } from 'node:crypto';
import { from as copyFrom } from 'pg-copy-streams';
import type { AssetMapping, InvalidPolicy } from '../../model/asset-mapping.ts';
import { type Client, type Pool, withTransaction } from '../../db/pool.ts';
import { MARK_FINDINGS_STALE } from '../../db/repositories/analysis-state.ts';
import { possibleSystems } from '../mapping/apply-mapping.ts';
import { ImportInputError, type OpenedSource } from '../formats/types.ts';
import { BinaryRows, jsonText } from './copy-binary.ts';
import * as SQL from './load-sql.ts';
import { SYSTEM, contextSql } from '../../db/tenant-context.ts';
import { buildOverview } from '../../db/overview.ts';
import { RepeatDetector } from './repeat-detector.ts';
import { type ImportReport, crsSummary } from './report.ts';
import { LOAD_COLUMNS, type StageContext, type StagePlan, stageContext, stageFeature, unknownOwners } from './stage-features.ts';
import { CHUNK_SIZE, StagingWorkers, stageWorkers } from './parallel-stage.ts';

export interface LoadProgress {
  parsed: number;
  loaded: number;
  total: number | null;
  /** overview: the layer is committed; its low-zoom overview is being built (db/overview.ts) */
  phase: 'parse' | 'validate' | 'write' | 'overview';
}

export interface LoadOptions {
  srid: number;
  mapping: AssetMapping;
  layerName: string;
  invalid: InvalidPolicy;
  /** the owner of every feature; when absent the mapping's owner field (if any) says it per feature */
  ownerId?: number | undefined;
  /** the organisation the layer belongs to (the importer's); defaults to ownerId */
  datasetOwnerId?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  /** worker threads to stage the features on (parallel-stage.ts); default: by the source's size and the cores */
  stageWorkers?: number | undefined;
  /** features per chunk of a worker's share (tests use small ones to cross many chunk borders) */
  stageChunkSize?: number | undefined;
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled');
    this.name = 'ImportCancelled';
  }
}

/** A binary COPY into the load table that can be paused for another statement on the same connection. */
class CopySink {
  private stream: ReturnType<typeof copyFrom> | null = null;
  private finished: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly sql: string,
  ) {}

  private open(): ReturnType<typeof copyFrom> {
    if (this.stream) return this.stream;
    const stream = this.client.query(copyFrom(this.sql));
    stream.write(BinaryRows.header);
    this.finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    this.stream = stream;
    return stream;
  }

  async write(chunk: Buffer): Promise<void> {
    const stream = this.open();
    if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
  }

  /** finish the current COPY (if any) so the connection can run other statements */
  async pause(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    stream.end(BinaryRows.trailer);
    await this.finished;
  }

  async abort(err: Error): Promise<void> {
    this.stream?.destroy(err);
    this.stream = null;
    await this.finished.catch(() => undefined);
  }
}

/** Organisations by KLIC code and by name; a code wins over a name, as in IMKL. */
async function loadOwnerIds(client: Client, names: Map<number, string>): Promise<Map<string, number>> {
  const r = await client.query<{ id: number; name: string; klic_code: string | null }>(SQL.OWNER_REFS);
  const ids = new Map<string, number>();
  for (const o of r.rows) if (!ids.has(o.name)) ids.set(o.name, o.id);
  for (const o of r.rows) if (o.klic_code !== null) ids.set(o.klic_code, o.id);
  for (const o of r.rows) names.set(o.id, o.name);
  return ids;
}

interface Staging {
  ctx: StageContext;
  repeats: RepeatDetector;
  plan: StagePlan;
  /** null: staged on the load's own thread */
  workers: StagingWorkers | null;
}

/** Stream every feature through stageFeature into the COPY, creating unknown owners on the way. */
async function copyFeatures(client: Client, source: OpenedSource, staging: Staging, table: string, opts: LoadOptions): Promise<number> {
  const { ctx } = staging;
  const sink = new CopySink(client, `COPY ${table} (${LOAD_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`);
  const ownerIds = ctx.ownerIds as Map<string, number>;
  const createOwners = async (refs: string[]): Promise<void> => {
    await sink.pause();
    await client.query(SQL.INSERT_OWNERS, [refs]);
    for (const [k, v] of await loadOwnerIds(client, ctx.ownerNames)) ownerIds.set(k, v);
  };
  const rows = new BinaryRows();
  let parsed = 0;
  let staged = 0;
  try {
    if (staging.workers !== null) {
      await staging.workers.run(ctx, staging.repeats, staging.plan, {
        write: (buf) => sink.write(buf), createOwners, signal: opts.signal, cancelled: () => new ImportCancelled(),
        onChunk: (read, n) => {
          parsed += read;
          staged += n;
          opts.onProgress?.({ parsed, loaded: staged, total: source.featureCountHint, phase: 'parse' });
        },
      });
    } else {
      for await (const batch of source.features(CHUNK_SIZE)) {
        if (opts.signal?.aborted) throw new ImportCancelled();
        const unknown = unknownOwners(ctx, batch);
        if (unknown.length > 0) await createOwners(unknown);
        for (const f of batch) if (stageFeature(ctx, f, rows)) staged++;
        parsed += batch.length;
        if (rows.length > 0) await sink.write(rows.take());
        opts.onProgress?.({ parsed, loaded: staged, total: source.featureCountHint, phase: 'parse' });
      }
    }
  } catch (err) {
    await sink.abort(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
  await sink.pause();
  return parsed;
}

async function validate(client: Client, datasetId: number, ctx: StageContext): Promise<void> {
  if (!ctx.checkAll && ctx.suspects.length === 0) return;
  const invalid = await client.query<{ feature_no: number; reason: string }>(
    SQL.invalidRows(datasetId, ctx.checkAll), ctx.checkAll ? [] : [ctx.suspects]);
  if (invalid.rows.length === 0) return;
  for (const row of invalid.rows) {
    if (ctx.policy === 'repair') ctx.repaired.add(row.feature_no, `${row.reason}: repaired with ST_MakeValid`);
    else ctx.rejected.add(row.feature_no, row.reason);
  }
  const rows = invalid.rows.map((r) => r.feature_no);
  await client.query(ctx.policy === 'repair' ? SQL.repairRows(datasetId) : SQL.deleteRows(datasetId), [rows]);
}

async function dedupeSourceIds(client: Client, datasetId: number, ctx: StageContext): Promise<void> {
  const r = await client.query<{ total: number; feature_no: number; original: string }>(SQL.dedupeSourceIds(datasetId), [ctx.idPrefix]);
  for (const row of r.rows) {
    ctx.attention.add(row.feature_no, `Source id ${row.original} is not unique in the file; stored as ${row.original}~${row.feature_no}`);
  }
  ctx.attention.count = r.rows[0]?.total ?? 0;
}

interface Counts {
  new: number;
  updated: number;
  removed: number;
}

/** Compare with the layer's previous import (when there is one): ids kept, counts for the report. */
async function matchPrevious(client: Client, datasetId: number, loaded: number): Promise<Counts & { hadPrevious: boolean }> {
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [SQL.layerTable(datasetId)]);
  const before = exists.rows[0]?.t ? ((await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SQL.layerTable(datasetId)}`)).rows[0]?.n ?? 0) : null;
  if (before === null) return { new: loaded, updated: 0, removed: 0, hadPrevious: false };
  const m = await client.query<{ matched: number; unchanged: number }>(SQL.matchPrevious(datasetId));
  const matched = m.rows[0]?.matched ?? 0;
  const unchanged = m.rows[0]?.unchanged ?? 0;
  return { new: loaded - matched, updated: matched - unchanged, removed: before - matched, hadPrevious: true };
}

/** bytes per feature below which a text file's count is not guessed higher (a short GeoJSON line feature is ~250) */
const MIN_FEATURE_BYTES = 256;

/** how many features the source holds: its own count, or for a text file a generous guess from its size (sizes the repeated-id table) */
function expectedFeatures(source: OpenedSource): number | null {
  if (source.featureCountHint !== null) return source.featureCountHint;
  const bytes = source.progress().bytesTotal;
  return bytes > 0 ? Math.round(bytes / MIN_FEATURE_BYTES) : null;
}

function datasetOwner(opts: LoadOptions): number | null {
  return opts.datasetOwnerId ?? opts.ownerId ?? null;
}

function datasetKey(opts: LoadOptions): string {
  return `${datasetOwner(opts) ?? 'none'}/${opts.layerName}`;
}

/**
 * Load a source as one layer, all or nothing, then build the layer's low-zoom overview in a
 * transaction of its own (the layer is already committed and drawn from its rows meanwhile).
 */
export async function loadSource(pool: Pool, source: OpenedSource, opts: LoadOptions): Promise<ImportReport> {
  const report = await loadCommitted(pool, source, opts);
  opts.onProgress?.({ parsed: report.read, loaded: report.loaded, total: report.read, phase: 'overview' });
  const overview = await buildOverview(pool, report.layer.datasetId);
  report.phasesMs = { ...report.phasesMs, overview: overview.ms };
  return report;
}

async function loadCommitted(pool: Pool, source: OpenedSource, opts: LoadOptions): Promise<ImportReport> {
  const started = Date.now();
  const epsg = source.crs.epsg;
  if (epsg === null) {
    throw new ImportInputError(`${source.fileName}: the coordinate system is unknown; choose one (EPSG code)`, 400, 'unknown_crs', source.fileName);
  }
  const count = stageWorkers(source, opts.stageWorkers);
  const workers = count > 0 ? new StagingWorkers(source, count, opts.stageChunkSize ?? CHUNK_SIZE) : null;
  try {
    return await loadInTransaction(pool, source, opts, { epsg, workers, started });
  } finally {
    await workers?.close();
  }
}

async function loadInTransaction(pool: Pool, source: OpenedSource, opts: LoadOptions, { epsg, workers, started }: { epsg: number; workers: StagingWorkers | null; started: number }): Promise<ImportReport> {
  return withTransaction(pool, async (client) => {
    // A load is trusted code acting for the analyst who was allowed to start it: it creates and
    // attaches a partition (owner rights: the connecting role, not samenhang_app) in system context.
    await client.query(`SET LOCAL ROLE NONE; ${contextSql(SYSTEM)}`);
    await client.query(MARK_FINDINGS_STALE);
    const fingerprint = createHash('sha256').update(`${source.fileName}|${Date.now()}`).digest('hex');
    const ds = await client.query<{ id: number }>(SQL.UPSERT_DATASET, [
      opts.layerName, datasetKey(opts), fingerprint, datasetOwner(opts), source.format, `EPSG:${epsg}`, jsonText(opts.mapping), source.layerName,
    ]);
    const datasetId = ds.rows[0]?.id;
    if (datasetId === undefined) throw new Error('dataset upsert returned no id');
    const ownerNames = new Map<number, string>();
    const repeats = new RepeatDetector(expectedFeatures(source));
    const plan: StagePlan = {
      mapping: opts.mapping, policy: opts.invalid, idPrefix: `${datasetId}/`, sourceEpsg: epsg, srid: opts.srid, fixedOwner: opts.ownerId ?? null,
    };
    const ctx = stageContext(plan, { ids: await loadOwnerIds(client, ownerNames), names: ownerNames }, repeats);
    const staging: Staging = { ctx, repeats, plan, workers };
    const phases: Record<string, number> = {};
    let mark = Date.now();
    const phase = (name: string): void => {
      phases[name] = Date.now() - mark;
      mark = Date.now();
    };
    for (const sql of SQL.createLoadTable(datasetId)) await client.query(sql);
    await client.query(SQL.constrainSystems(datasetId, possibleSystems(opts.mapping.system)));
    const read = await copyFeatures(client, source, staging, SQL.loadTable(datasetId), opts);
    phase('copy');
    if (opts.signal?.aborted) throw new ImportCancelled();
    opts.onProgress?.({ parsed: read, loaded: read - ctx.rejected.count, total: read, phase: 'validate' });
    await validate(client, datasetId, ctx);
    phase('validate');
    if (repeats.maybeRepeats) await dedupeSourceIds(client, datasetId, ctx);
    phase('dedupe');
    const loaded = read - ctx.rejected.count;
    const counts = await matchPrevious(client, datasetId, loaded);
    phase('match');
    opts.onProgress?.({ parsed: read, loaded, total: read, phase: 'write' });
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const sql of SQL.indexLoadTable(datasetId)) await client.query(sql);
    phase('index');
    for (const sql of SQL.swapIn(datasetId, counts.hadPrevious)) await client.query(sql);
    phase('attach');
    if (opts.signal?.aborted) throw new ImportCancelled();
    const report: ImportReport = {
      layer: { datasetId, name: opts.layerName }, fileName: source.fileName, format: source.format,
      read, loaded, new: counts.new, updated: counts.updated, unchanged: loaded - counts.new - counts.updated,
      removed: counts.removed, rejected: ctx.rejected.items, rejectedCount: ctx.rejected.count,
      repaired: ctx.repaired.items, repairedCount: ctx.repaired.count,
      attention: ctx.attention.items, attentionCount: ctx.attention.count, crs: crsSummary(source.crs), durationMs: 0, phasesMs: phases,
    };
    report.durationMs = Date.now() - started;
    await client.query('UPDATE dataset SET stats = $2 WHERE id = $1', [datasetId, jsonText({ ...report, rejected: undefined, repaired: undefined, attention: undefined })]);
    return report;
  });
}
