/**
 * Importing the works that partners send as files (issue 5): GeoJSON, GeoPackage, CSV (and the
 * other formats the generic import reads), with the API's property names. All or nothing: every
 * feature is checked first (schema, owner, geometry validity and place, in PostGIS) and one bad
 * feature rejects the file with the reasons and feature numbers of all of them; otherwise the
 * works are written in one transaction. A work keeps its identity across imports by
 * (owner, `sourceId` or `id`): a newer file from the same owner updates its works (version + 1,
 * history) instead of duplicating them.
 */
import { createHash } from 'node:crypto';
import type { Geometry } from 'geojson';
import { type Pool, withTransaction } from '../../db/pool.ts';
import { MARK_FINDINGS_STALE } from '../../db/repositories/analysis-state.ts';
import { addHistory, generateMoratorium } from '../../db/repositories/works.ts';
import { reprojectGeometry } from '../crs/reproject.ts';
import { openSource } from '../formats/index.ts';
import type { OpenOptions } from '../formats/types.ts';
import { type CheckedWork, checkWorkFeature } from './work-record.ts';

export interface WorksImportOptions {
  /** owner slug for features without an `owner` column */
  defaultOwner: string | null;
  /** only works of these organisations may be in the file (an editor imports for its own organisation); null = any (operator CLI) */
  allowedOwners: readonly string[] | null;
  /** the importing user (history); null for the operator CLI */
  userId: number | null;
  orgId: number | null;
  open?: OpenOptions;
  /** check everything, write nothing */
  dryRun?: boolean;
  /** the day a finished reconstruction's generated moratorium starts (YYYY-MM-DD); default today */
  finishedOn?: string;
}

export interface WorksImportReport {
  fileName: string;
  format: string;
  crs: { epsg: number | null; guessed: boolean };
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  moratoriaGenerated: number;
  /** ids generated for works without sourceId/id: a re-import of the same file cannot match them */
  withoutId: number;
  rejected: { index: number; reason: string }[];
  written: boolean;
}

export class WorksImportRejected extends Error {
  constructor(readonly report: WorksImportReport) {
    super(`${report.fileName}: ${report.rejected.length} of ${report.read} works rejected, nothing imported; ${report.rejected.slice(0, 5).map((r) => `#${r.index} ${r.reason}`).join('; ')}`);
    this.name = 'WorksImportRejected';
  }
}

/** The file as a whole cannot be a works file (KLIC, unknown CRS, empty, too many). */
export class WorksFileError extends Error {
  override name = 'WorksFileError';
}

interface Candidate {
  index: number;
  work: CheckedWork;
  geometry: Geometry;
}

const MAX_WORKS = 100_000;

const PLACE_CHECK = `
  SELECT i AS index, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_IsEmpty(g) AS empty,
         ST_Within(ST_Transform(g, 28992), ST_MakeEnvelope(-8000, 280000, 300000, 630000, 28992)) AS in_nl
  FROM unnest($1::int[], $2::text[]) AS f(i, geojson), LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(geojson), $3::int) AS g) s`;

function contentHash(w: CheckedWork, geometry: Geometry): string {
  return createHash('sha256').update(JSON.stringify([w, geometry])).digest('hex');
}

async function readCandidates(file: string, o: WorksImportOptions, srid: number, report: WorksImportReport): Promise<Candidate[]> {
  const source = await openSource(file, o.open ?? {});
  try {
    report.format = source.format;
    report.crs = { epsg: source.crs.epsg, guessed: source.crs.guessed };
    if (source.format === 'klic') throw new WorksFileError(`${source.fileName}: a KLIC delivery; import it without --works (its request area becomes a work)`);
    const epsg = source.crs.epsg;
    if (epsg === null) throw new WorksFileError(`${source.fileName}: the CRS is unknown; give it with --epsg`);
    const out: Candidate[] = [];
    for await (const batch of source.features(1000)) {
      for (const f of batch) {
        report.read++;
        if (report.read > MAX_WORKS) throw new WorksFileError(`${source.fileName}: more than ${MAX_WORKS} works in one file`);
        const wgs84 = f.geometry === null ? null : reprojectGeometry(f.geometry, epsg, 4326);
        const checked = checkWorkFeature(f.properties, f.issue ? null : wgs84, o.defaultOwner);
        if ('problems' in checked) {
          report.rejected.push({ index: f.index, reason: [f.issue, ...checked.problems].filter(Boolean).join('; ') });
        } else if (o.allowedOwners !== null && !o.allowedOwners.includes(checked.work.owner ?? '')) {
          report.rejected.push({ index: f.index, reason: `owner: you import works of your own organisation (${o.allowedOwners.join(', ')}) only, not "${checked.work.owner ?? ''}"` });
        } else if (f.geometry) {
          out.push({ index: f.index, work: checked.work, geometry: reprojectGeometry(f.geometry, epsg, srid) });
        }
      }
    }
    return out;
  } finally {
    await source.close();
  }
}

async function checkPlaces(pool: Pool, candidates: Candidate[], srid: number, report: WorksImportReport): Promise<void> {
  const r = await pool.query<{ index: number; valid: boolean; reason: string; empty: boolean; in_nl: boolean }>(PLACE_CHECK,
    [candidates.map((c) => c.index), candidates.map((c) => JSON.stringify(c.geometry)), srid]);
  for (const row of r.rows) {
    if (row.empty) report.rejected.push({ index: row.index, reason: 'geometry: empty' });
    else if (!row.valid) report.rejected.push({ index: row.index, reason: `geometry: ${row.reason}` });
    else if (!row.in_nl) report.rejected.push({ index: row.index, reason: 'geometry: far outside the Netherlands (wrong CRS, or x and y swapped?)' });
  }
}

async function checkOwners(pool: Pool, candidates: Candidate[], report: WorksImportReport): Promise<Map<string, number>> {
  const slugs = [...new Set(candidates.map((c) => c.work.owner ?? ''))];
  const r = await pool.query<{ slug: string; id: number }>('SELECT slug, id FROM organisation WHERE slug = ANY($1)', [slugs]);
  const ids = new Map(r.rows.map((x) => [x.slug, x.id]));
  for (const c of candidates) {
    const owner = c.work.owner;
    if (owner === undefined) report.rejected.push({ index: c.index, reason: 'owner: missing (give an owner column or --org)' });
    else if (!ids.has(owner)) report.rejected.push({ index: c.index, reason: `owner: no organisation with slug "${owner}"` });
  }
  const seen = new Map<string, number>();
  for (const c of candidates) {
    if (c.work.sourceId === null) continue;
    const key = `${c.work.owner ?? ''}:${c.work.sourceId}`;
    const first = seen.get(key);
    if (first !== undefined) report.rejected.push({ index: c.index, reason: `id "${c.work.sourceId}" repeats feature #${first}` });
    else seen.set(key, c.index);
  }
  return ids;
}

const UPSERT = `
  INSERT INTO work AS w (source_kind, source_id, owner_id, title, kind, work_kinds, systems, status, opens_ground, trench_width,
    earliest_start, preferred_start, preferred_end, latest_end, cost_estimate, contact, confidentiality, content_hash, geom)
  VALUES ('import', $1, $2, $3, $4, ARRAY[$4], $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, ST_SetSRID(ST_GeomFromGeoJSON($17), $18::int))
  ON CONFLICT (source_kind, source_id) DO UPDATE SET
    owner_id = EXCLUDED.owner_id, title = EXCLUDED.title, kind = EXCLUDED.kind, work_kinds = EXCLUDED.work_kinds, systems = EXCLUDED.systems,
    status = EXCLUDED.status, opens_ground = EXCLUDED.opens_ground, trench_width = EXCLUDED.trench_width,
    earliest_start = EXCLUDED.earliest_start, preferred_start = EXCLUDED.preferred_start, preferred_end = EXCLUDED.preferred_end,
    latest_end = EXCLUDED.latest_end, cost_estimate = EXCLUDED.cost_estimate, contact = EXCLUDED.contact,
    confidentiality = EXCLUDED.confidentiality, content_hash = EXCLUDED.content_hash, geom = EXCLUDED.geom,
    version = w.version + 1, updated_at = now()
  WHERE w.content_hash IS DISTINCT FROM EXCLUDED.content_hash
  RETURNING id, version, (xmax = 0) AS inserted`;

export async function importWorksFile(pool: Pool, file: string, srid: number, o: WorksImportOptions): Promise<WorksImportReport> {
  const report: WorksImportReport = {
    fileName: file.split('/').pop() ?? file, format: '', crs: { epsg: null, guessed: false }, read: 0, created: 0, updated: 0, unchanged: 0,
    moratoriaGenerated: 0, withoutId: 0, rejected: [], written: false,
  };
  const candidates = await readCandidates(file, o, srid, report);
  if (candidates.length > 0) await checkPlaces(pool, candidates, srid, report);
  const owners = candidates.length > 0 ? await checkOwners(pool, candidates, report) : new Map<string, number>();
  report.rejected.sort((a, b) => a.index - b.index);
  if (report.rejected.length > 0) throw new WorksImportRejected(report);
  if (report.read === 0) throw new WorksFileError(`${report.fileName}: no works in the file`);
  if (o.dryRun) return report;
  const today = o.finishedOn ?? new Date().toISOString().slice(0, 10);
  await withTransaction(pool, async (c) => {
    await c.query(MARK_FINDINGS_STALE);
    for (const { work: w, geometry } of candidates) {
      const ownerId = owners.get(w.owner ?? '') ?? 0;
      if (w.sourceId === null) report.withoutId++;
      const sourceId = `${w.owner ?? ''}:${w.sourceId ?? crypto.randomUUID()}`;
      const r = await c.query<{ id: number; version: number; inserted: boolean }>(UPSERT, [
        sourceId, ownerId, w.title, w.kind, w.systems, w.status, w.opensGround, w.trenchWidth ?? null, w.earliestStart ?? null,
        w.preferredStart, w.preferredEnd, w.latestEnd ?? null, w.costEstimate ?? null, w.contact ?? null, w.confidentiality,
        contentHash(w, geometry), JSON.stringify(geometry), srid]);
      const row = r.rows[0];
      if (!row) {
        report.unchanged++;
        continue;
      }
      if (row.inserted) report.created++;
      else report.updated++;
      await addHistory(c, 'work', { id: row.id, version: row.version, userId: o.userId, orgId: o.orgId ?? ownerId, action: 'imported', changes: { file: report.fileName, ...w } });
      if (w.status === 'gereed' && (await generateMoratorium(c, row.id, today, { userId: o.userId, orgId: o.orgId ?? ownerId })) !== null) report.moratoriaGenerated++;
    }
  });
  report.written = true;
  return report;
}
