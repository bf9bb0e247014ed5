/**
 * Load one opened source into PostGIS as a layer, all-or-nothing: dataset row, staging table
 * (bulk COPY), validation (ST_IsValidDetail), skip-or-repair, upsert into asset and removal of
 * what the new file no longer has all run in ONE transaction. A failure, a cancel or a killed
 * process leaves no partial layer behind.
 */
import { createHash } from 'node:crypto';
import type { Geometry } from 'geojson';
import { from as copyFrom } from 'pg-copy-streams';
import type { AssetMapping, InvalidPolicy } from '../../model/asset-mapping.ts';
import { type Client, type Pool, withTransaction } from '../../db/pool.ts';
import { reprojectGeometry } from '../crs/reproject.ts';
import { ImportInputError, type OpenedSource } from '../formats/types.ts';
import * as SQL from './load-sql.ts';
import { type ImportReport, IssueList, crsSummary } from './report.ts';
import { STAGE_COLUMNS, type StageContext, stageFeature } from './stage-features.ts';

export interface LoadProgress {
  parsed: number;
  loaded: number;
  total: number | null;
  phase: 'parse' | 'validate' | 'write';
}

export interface LoadOptions {
  srid: number;
  mapping: AssetMapping;
  layerName: string;
  invalid: InvalidPolicy;
  ownerId?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled');
    this.name = 'ImportCancelled';
  }
}

function makeReprojector(from: number, to: number): (g: Geometry) => Geometry {
  return from === to ? (g) => g : (g) => reprojectGeometry(g, from, to);
}

/** Stream every feature through stageFeature into COPY import_stage, respecting backpressure. */
async function copyIntoStage(client: Client, source: OpenedSource, ctx: StageContext, opts: LoadOptions): Promise<number> {
  const stream = client.query(copyFrom(`COPY import_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN`));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let parsed = 0;
  let staged = 0;
  try {
    for await (const batch of source.features(2000)) {
      if (opts.signal?.aborted) throw new ImportCancelled();
      let chunk = '';
      for (const f of batch) {
        const line = stageFeature(ctx, f);
        if (line !== null) {
          chunk += line;
          staged++;
        }
      }
      parsed += batch.length;
      if (chunk && !stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
      opts.onProgress?.({ parsed, loaded: staged, total: source.featureCountHint, phase: 'parse' });
    }
  } catch (err) {
    stream.destroy(err instanceof Error ? err : new Error(String(err)));
    await finished.catch(() => undefined);
    throw err;
  }
  stream.end();
  await finished;
  return parsed;
}

async function validateStage(client: Client, policy: InvalidPolicy, ctx: StageContext): Promise<void> {
  const invalid = await client.query<{ feature_no: number; reason: string }>(SQL.INVALID_IN_STAGE);
  for (const row of invalid.rows) {
    if (policy === 'repair') ctx.repaired.add(row.feature_no, `${row.reason}: repaired with ST_MakeValid`);
    else ctx.rejected.add(row.feature_no, row.reason);
  }
  if (invalid.rows.length > 0) await client.query(policy === 'repair' ? SQL.REPAIR_INVALID : SQL.DELETE_INVALID);
}

async function dedupeSourceIds(client: Client, ctx: StageContext): Promise<void> {
  const r = await client.query<{ total: number; feature_no: number; original: string }>(SQL.DEDUPE_SOURCE_IDS);
  for (const row of r.rows) {
    ctx.attention.add(row.feature_no, `Source id ${row.original} is not unique in the file; stored as ${row.original}~${row.feature_no}`);
  }
  ctx.attention.count = r.rows[0]?.total ?? 0;
}

function datasetKey(opts: LoadOptions): string {
  return `${opts.ownerId ?? 'none'}/${opts.layerName}`;
}

export async function loadSource(pool: Pool, source: OpenedSource, opts: LoadOptions): Promise<ImportReport> {
  const started = Date.now();
  const epsg = source.crs.epsg;
  if (epsg === null) {
    throw new ImportInputError(`${source.fileName}: the coordinate system is unknown; choose one (EPSG code)`, 400, 'unknown_crs', source.fileName);
  }
  const ctx: StageContext = {
    mapping: opts.mapping, policy: opts.invalid, srid: opts.srid, reproject: makeReprojector(epsg, opts.srid),
    rejected: new IssueList(), repaired: new IssueList(), attention: new IssueList(),
  };
  return withTransaction(pool, async (client) => {
    const fingerprint = createHash('sha256').update(`${source.fileName}|${Date.now()}`).digest('hex');
    const ds = await client.query<{ id: number }>(SQL.UPSERT_DATASET, [
      opts.layerName, datasetKey(opts), fingerprint, opts.ownerId ?? null, source.format, `EPSG:${epsg}`, JSON.stringify(opts.mapping), source.layerName,
    ]);
    const datasetId = ds.rows[0]?.id;
    if (datasetId === undefined) throw new Error('dataset upsert returned no id');
    await client.query(SQL.CREATE_STAGE);
    const read = await copyIntoStage(client, source, ctx, opts);
    if (opts.signal?.aborted) throw new ImportCancelled();
    opts.onProgress?.({ parsed: read, loaded: read - ctx.rejected.count, total: read, phase: 'validate' });
    await validateStage(client, opts.invalid, ctx);
    await dedupeSourceIds(client, ctx);
    await client.query(SQL.RESOLVE_OWNERS);
    const up = await client.query<{ new: number; updated: number }>(SQL.UPSERT_ASSETS, [datasetId, opts.ownerId ?? null, opts.srid]);
    const removed = await client.query(SQL.DELETE_REMOVED, [datasetId]);
    if (opts.signal?.aborted) throw new ImportCancelled();
    const loaded = read - ctx.rejected.count;
    const counts = { new: up.rows[0]?.new ?? 0, updated: up.rows[0]?.updated ?? 0 };
    const report: ImportReport = {
      layer: { datasetId, name: opts.layerName }, fileName: source.fileName, format: source.format,
      read, loaded, new: counts.new, updated: counts.updated, unchanged: loaded - counts.new - counts.updated,
      removed: removed.rowCount ?? 0, rejected: ctx.rejected.items, rejectedCount: ctx.rejected.count,
      repaired: ctx.repaired.items, repairedCount: ctx.repaired.count,
      attention: ctx.attention.items, attentionCount: ctx.attention.count, crs: crsSummary(source.crs), durationMs: 0,
    };
    report.durationMs = Date.now() - started;
    await client.query('UPDATE dataset SET stats = $2 WHERE id = $1', [datasetId, JSON.stringify({ ...report, rejected: undefined, repaired: undefined, attention: undefined })]);
    opts.onProgress?.({ parsed: read, loaded, total: read, phase: 'write' });
    return report;
  });
}
