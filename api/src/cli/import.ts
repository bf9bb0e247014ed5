/**
 * `npm run import -- [--org <org>] [--system <system>] [--layer <name>] [--invalid skip|repair]
 *  [--epsg <code>] [--json] <file>` — import a layer file (or a KLIC zip) into the database that
 * `npm start` uses. `npm run import -- --works [--org <org>] [--dry-run] <file>` imports planned
 * works (all or nothing; --org is the owner of works without an `owner` column). Progress bar on a terminal, JSON report with --json, non-zero exit on failure.
 */
import { parseArgs } from 'node:util';
import { asSystem, tenantPool } from '../db/tenant-context.ts';
import { createPool, type Pool } from '../db/pool.ts';
import { migrate, workingSrid } from '../db/migrate.ts';
import { importKlicAsReport } from '../ingest/klic/import-klic.ts';
import { openSource } from '../ingest/formats/index.ts';
import type { OpenedSource } from '../ingest/formats/types.ts';
import { type LoadProgress, loadSource } from '../ingest/load/load-layer.ts';
import type { ImportReport } from '../ingest/load/report.ts';
import { proposeMapping } from '../ingest/mapping/presets.ts';
import { storedLayer } from '../ingest/mapping/stored-mapping.ts';
import type { AssetMapping, InvalidPolicy } from '../model/asset-mapping.ts';
import { isSystemCode } from '../model/systems.ts';
import { type WorksImportReport, WorksImportRejected, importWorksFile } from '../ingest/works/import-works.ts';

const USAGE = 'usage: npm run import -- [--org <organisation>] [--system <system>] [--layer <name>] [--invalid skip|repair] [--epsg <code>] [--json] <file>\n       npm run import -- --works [--org <organisation>] [--epsg <code>] [--dry-run] [--json] <file>';

function args() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      org: { type: 'string' }, system: { type: 'string' }, layer: { type: 'string' },
      invalid: { type: 'string', default: 'skip' }, epsg: { type: 'string' }, json: { type: 'boolean', default: false },
      works: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error(USAGE);
  if (values.invalid !== 'skip' && values.invalid !== 'repair') throw new Error(`--invalid must be skip or repair\n${USAGE}`);
  if (values.system !== undefined && !isSystemCode(values.system)) throw new Error(`--system ${values.system} is not a vital system code`);
  return { ...values, invalid: values.invalid as InvalidPolicy, file };
}

async function findOrganisation(pool: Pool, ref: string): Promise<number> {
  const r = await pool.query<{ id: number }>(
    'SELECT id FROM organisation WHERE slug = lower($1) OR klic_code = $1 OR lower(name) = lower($1) ORDER BY (slug = lower($1)) DESC, id LIMIT 1', [ref]);
  const id = r.rows[0]?.id;
  if (id !== undefined) return id;
  const known = await pool.query<{ name: string; slug: string | null }>('SELECT name, slug FROM organisation ORDER BY name');
  throw new Error(`organisation '${ref}' not found; known: ${known.rows.map((o) => (o.slug ? `${o.slug} (${o.name})` : o.name)).join(', ') || '(none)'}`);
}

function progressBar(enabled: boolean): (p: LoadProgress) => void {
  let last = 0;
  return (p) => {
    if (!enabled || (Date.now() - last < 100 && p.phase === 'parse')) return;
    last = Date.now();
    const pct = p.total ? Math.min(100, Math.round((p.parsed / p.total) * 100)) : null;
    const bar = pct === null ? '' : `[${'#'.repeat(Math.round(pct / 4)).padEnd(25, '.')}] ${String(pct).padStart(3)}% `;
    process.stderr.write(`\r${bar}${p.parsed.toLocaleString('nl-NL')} gelezen, ${p.loaded.toLocaleString('nl-NL')} geladen (${p.phase})   `);
    if (p.phase === 'write' || p.phase === 'overview') process.stderr.write('\n');
  };
}

async function mappingFor(pool: Pool, source: OpenedSource, layer: string, system: string | undefined, ownerId?: number): Promise<AssetMapping> {
  const mapping = (await storedLayer(pool, layer, ownerId))?.mapping ?? proposeMapping(source.fields.map((f) => f.name), source.layerName).mapping;
  return system !== undefined && isSystemCode(system) ? { ...mapping, system: { value: system } } : mapping;
}

function printReport(r: ImportReport): void {
  console.log(`${r.fileName} → laag "${r.layer.name}" (dataset ${r.layer.datasetId})`);
  console.log(`  gelezen ${r.read}, geladen ${r.loaded} (nieuw ${r.new}, gewijzigd ${r.updated}, ongewijzigd ${r.unchanged}, verwijderd ${r.removed})`);
  console.log(`  CRS EPSG:${r.crs.epsg ?? '?'}${r.crs.guessed ? ' (geraden uit de coördinaten)' : ''}; ${r.durationMs} ms`);
  if (r.rejectedCount) console.log(`  afgewezen ${r.rejectedCount}: ${r.rejected.slice(0, 10).map((x) => `#${x.index} ${x.reason}`).join('; ')}`);
  if (r.attentionCount) console.log(`  let op ${r.attentionCount}: ${r.attention.slice(0, 5).map((x) => `#${x.index} ${x.reason}`).join('; ')}`);
  if (r.repairedCount) console.log(`  hersteld ${r.repairedCount}: ${r.repaired.slice(0, 10).map((x) => `#${x.index} ${x.reason}`).join('; ')}`);
}

function printWorksReport(r: WorksImportReport): void {
  console.log(`${r.fileName} (${r.format}, EPSG:${r.crs.epsg ?? '?'}${r.crs.guessed ? ', geraden' : ''}): ${r.read} werken gelezen`);
  if (!r.written) console.log('  proefimport: niets geschreven, alles in orde');
  else console.log(`  nieuw ${r.created}, bijgewerkt ${r.updated}, ongewijzigd ${r.unchanged}; graafrust gemaakt ${r.moratoriaGenerated}`);
  if (r.withoutId) console.log(`  let op: ${r.withoutId} werken zonder id/sourceId; een nieuwere versie van dit bestand kan ze niet bijwerken`);
}

async function importWorks(pool: Pool, a: ReturnType<typeof args>, srid: number): Promise<void> {
  const ownerId = a.org ? await findOrganisation(pool, a.org) : undefined;
  const slug = ownerId === undefined ? null : ((await pool.query<{ slug: string | null }>('SELECT slug FROM organisation WHERE id = $1', [ownerId])).rows[0]?.slug ?? null);
  try {
    const report = await importWorksFile(pool, a.file, srid, {
      defaultOwner: slug, allowedOwners: null, userId: null, orgId: ownerId ?? null, open: a.epsg ? { epsg: Number(a.epsg) } : {}, dryRun: a['dry-run'],
    });
    if (a.json) console.log(JSON.stringify(report, null, 2));
    else printWorksReport(report);
  } catch (err) {
    if (!(err instanceof WorksImportRejected)) throw err;
    if (a.json) console.log(JSON.stringify(err.report, null, 2));
    console.error(`${err.report.fileName}: ${err.report.rejected.length} van ${err.report.read} werken afgewezen; niets geïmporteerd`);
    for (const x of err.report.rejected.slice(0, 50)) console.error(`  #${x.index}: ${x.reason}`);
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const a = args();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  // operator tools are trusted code: the system row-security context (db/tenant-context.ts)
  const pool = tenantPool(createPool(url, 2));
  try {
    await migrate(pool);
    const srid = await workingSrid(pool);
    if (a.works) {
      await importWorks(pool, a, srid);
      return;
    }
    const ownerId = a.org ? await findOrganisation(pool, a.org) : undefined;
    const source = await openSource(a.file, a.epsg ? { epsg: Number(a.epsg) } : {});
    let report: ImportReport;
    try {
      if (source.format === 'klic') {
        report = await importKlicAsReport(pool, a.file, srid);
      } else {
        const layer = a.layer ?? (await storedLayer(pool, source.layerName, ownerId))?.layerName ?? source.layerName;
        const mapping = await mappingFor(pool, source, layer, a.system, ownerId);
        report = await loadSource(pool, source, { srid, mapping, layerName: layer, invalid: a.invalid, ownerId,
          onProgress: progressBar(!a.json && process.stderr.isTTY === true) });
      }
    } finally {
      await source.close();
    }
    if (a.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
  } finally {
    await pool.end();
  }
}

asSystem(main).catch((err: unknown) => {
  console.error(`import failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
