import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Pool, withTransaction } from '../../db/pool.ts';
import { MARK_FINDINGS_STALE } from '../../db/repositories/analysis-state.ts';
import { asSystem } from '../../db/tenant-context.ts';
import { type KlicImportStats, writeKlicDelivery } from '../../db/repositories/klic-import.ts';
import { ImportInputError } from '../formats/types.ts';
import type { ImportReport } from '../load/report.ts';
import { parseKlicZip } from './index.ts';
import { KlicImportError } from './types.ts';

export interface KlicImportResult extends KlicImportStats {
  fileName: string;
  klicMeldnummer: string;
  /** true when the same file (same SHA-256) had been imported before and skipIfImported was set */
  skipped: boolean;
}

export interface KlicImportOptions {
  srid: number;
  /** Do not parse a delivery whose exact content was imported before (fast, idempotent start-up). */
  skipIfImported?: boolean;
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function findImported(pool: Pool, fileName: string, sha: string): Promise<number | null> {
  const r = await pool.query<{ id: number }>(
    "SELECT id FROM dataset WHERE source_kind = 'klic' AND source_ref = $1 AND content_sha256 = $2",
    [fileName, sha],
  );
  return r.rows[0]?.id ?? null;
}

/**
 * Parse a whole KLIC delivery first (a parse error writes nothing), then write it in one
 * transaction (a database error leaves nothing of it behind). The importer is trusted code: it
 * runs in the system row-security context, whoever was allowed to start it.
 */
export function importKlicZip(pool: Pool, file: string, options: KlicImportOptions): Promise<KlicImportResult> {
  return asSystem(() => importTrusted(pool, file, options));
}

async function importTrusted(pool: Pool, file: string, options: KlicImportOptions): Promise<KlicImportResult> {
  const fileName = path.basename(file);
  const sha = await sha256File(file);
  if (options.skipIfImported) {
    const existing = await findImported(pool, fileName, sha);
    if (existing !== null) {
      const none = { new: 0, updated: 0, unchanged: 0 };
      return { fileName, klicMeldnummer: '', skipped: true, datasetId: existing, assets: none, works: none };
    }
  }
  const delivery = await parseKlicZip(file);
  const stats = await withTransaction(pool, async (client) => {
    await client.query(MARK_FINDINGS_STALE);
    const written = await writeKlicDelivery(client, delivery, sha, options.srid);
    // a delivery is a few thousand features: its low-zoom overview (migration 020) is built in the same transaction
    await client.query('SELECT samenhang_build_overview($1)', [written.datasetId]);
    return written;
  });
  return { fileName, klicMeldnummer: delivery.klicMeldnummer, skipped: false, ...stats };
}

/** A KLIC import in the same report shape as a generic layer load (for the jobs API and the CLI). */
export async function importKlicAsReport(pool: Pool, file: string, srid: number): Promise<ImportReport> {
  const started = Date.now();
  const r = await importKlicZip(pool, file, { srid }).catch((err: unknown) => {
    // a broken delivery is the file's problem (400), not ours: the job says what is wrong and where
    // (hostile-files chaos run, issue 10: malformed GML failed the job as a 500 'import_failed')
    throw err instanceof KlicImportError ? new ImportInputError(err.message, 400, 'invalid_klic', err.fileName) : err;
  });
  const read = r.assets.new + r.assets.updated + r.assets.unchanged;
  return {
    layer: { datasetId: r.datasetId, name: `KLIC-levering ${r.klicMeldnummer}` }, fileName: r.fileName, format: 'klic',
    read, loaded: read, new: r.assets.new, updated: r.assets.updated, unchanged: r.assets.unchanged, removed: 0,
    rejected: [], rejectedCount: 0, repaired: [], repairedCount: 0, attention: [], attentionCount: 0,
    crs: { epsg: 28992, guessed: false, detail: 'IMKL srsName (RD New)' }, durationMs: Date.now() - started,
  };
}
