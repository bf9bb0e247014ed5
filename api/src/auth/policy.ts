/**
 * THE access policy: every read and write of Samenhang is decided here, deny by default.
 *
 * Reads of a layer's (or work's) rows, by confidentiality:
 *   C0 public      everyone, also without signing in
 *   C1 partners    users of an active partner organisation (not participants)
 *   C2 confidential the owner organisation, and organisations it is shared with (until a date,
 *                  optionally only inside an area)
 *   C3 critical    the owner organisation; other partners only inside a project area they are
 *                  assigned to, for its period; never as a bulk export; every read is logged
 * "Owner" is the organisation owning the layer (dataset) or the row itself (a KLIC cable's network
 * operator). The same rule exists twice, once per form it is needed in: `readableSql` (a WHERE
 * condition, for tiles, search, counts, exports) and `canReadRow` (one row in TypeScript). The
 * policy matrix test checks both against one reference table.
 */
import type { Principal } from './principal.ts';

export const LEVELS = ['C0', 'C1', 'C2', 'C3'] as const;
export type Level = (typeof LEVELS)[number];

/** A row as the policy sees it. `inArea`/`inShareArea`: does its geometry meet those areas. */
export interface RowFacts {
  level: Level;
  ownerOrgIds: readonly (number | null)[];
  datasetId: number | null;
  /** geometry intersects the principal's project areas */
  inArea: boolean;
  /** for C2: the dataset is shared with the principal's organisation and the row is inside the share's area (or the share has none) */
  inShare: boolean;
}

function owns(p: Principal, row: RowFacts): boolean {
  return p.orgId !== null && row.ownerOrgIds.includes(p.orgId);
}

export function canReadRow(p: Principal, row: RowFacts): boolean {
  if (row.level === 'C0') return true;
  if (!p.partner) return false;
  if (row.level === 'C1' || owns(p, row)) return true;
  if (row.level === 'C2') return row.inShare;
  return row.inArea; // C3
}

/** Bulk export of a layer: partners, of what they may read, and never others' C3 layers. */
export function canExport(p: Principal, row: Omit<RowFacts, 'inArea' | 'inShare'> & { shared: boolean }): boolean {
  if (!p.partner) return false;
  if (row.level === 'C3') return owns(p, { ...row, inArea: false, inShare: false });
  return canReadRow(p, { ...row, inArea: false, inShare: row.shared });
}

export type WriteAction = 'import_layer' | 'admin_org' | 'classify_layer';

/** Writes: only with a write-scoped session or token; importing layers is for admins and analysts of an active organisation. */
export function canWrite(p: Principal, action: WriteAction): boolean {
  if (!p.partner || p.scope !== 'write') return false;
  if (action === 'import_layer') return p.role === 'admin' || p.role === 'analyst';
  return p.role === 'admin';
}

/** The principal's facts as five SQL parameters, in the order `readableSql` numbers them. */
export function policyParams(p: Principal): unknown[] {
  return [p.partner ? 1 : 0, p.orgId, p.areas, p.shares.map((s) => s.datasetId), p.shares.map((s) => s.area)];
}

/**
 * `canReadRow` as a SQL condition over a row alias (`geom`, `owner_id`) and its dataset alias
 * (`confidentiality`, `owner_id`, `id`), with the five parameters of `policyParams` at $first..$first+4.
 * For works pass the work as both aliases' source: level and owner then come from the work.
 */
export function readableSql(row: string, level: string, datasetOwner: string, datasetId: string, first: number): string {
  const [partner, org, areas, shareIds, shareAreas] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return `(${level} = 'C0' OR (${partner}::int = 1 AND (
    ${level} = 'C1' OR ${row}.owner_id = ${org}::int OR ${datasetOwner} = ${org}::int
    OR (${level} = 'C2' AND EXISTS (SELECT 1 FROM unnest(${shareIds}::int[], ${shareAreas}::text[]) AS s(id, area)
        WHERE s.id = ${datasetId} AND (s.area IS NULL OR ST_Intersects(${row}.geom, s.area::geometry))))
    OR (${level} = 'C3' AND ${areas}::geometry IS NOT NULL AND ST_Intersects(${row}.geom, ${areas}::geometry)))))`;
}

/** For asset rows `a` joined to their dataset `d`. */
export const assetReadableSql = (first: number): string => readableSql('a', 'd.confidentiality', 'd.owner_id', 'd.id', first);
/**
 * The layers a caller may read whole (C0; C1 and their own layers for a partner) as an integer[]
 * sub-select that PostgreSQL evaluates once per query (an InitPlan), with the five `policyParams`
 * at $first. Each condition is one of readableSql's own disjuncts, so every row of these layers
 * passes readableSql.
 */
export function wholeReadableDatasetsSql(first: number): string {
  const [partner, org] = [`$${first}::int`, `$${first + 1}::int`];
  return `(SELECT coalesce(array_agg(wd.id), '{}') FROM dataset wd
    WHERE wd.confidentiality = 'C0' OR (${partner} = 1 AND (wd.confidentiality = 'C1' OR wd.owner_id = ${org})))::integer[]`;
}

/**
 * assetReadableSql for asset rows `a` alone, without a join to their dataset: a row of a layer the
 * caller may read whole passes on an array test, any other row is judged by assetReadableSql
 * against its dataset. Allows exactly what assetReadableSql allows (tile benchmark, issue 9: the
 * per-row dataset join and its filter were ~2 ms of a 5,500-feature z14 tile).
 */
export function assetRowReadableSql(first: number): string {
  return `(a.dataset_id = ANY (${wholeReadableDatasetsSql(first)}) OR EXISTS (SELECT 1 FROM dataset d WHERE d.id = a.dataset_id AND ${assetReadableSql(first)}))`;
}

/** For works `w` (their own level and owner; no dataset share applies). */
export const workReadableSql = (first: number): string => readableSql('w', 'w.confidentiality', 'w.owner_id', 'NULL::int', first);
/** For moratoria `m` (their own level and owner, like works). */
export const moratoriumReadableSql = (first: number): string => readableSql('m', 'm.confidentiality', 'm.owner_id', 'NULL::int', first);

/**
 * The part of a low-zoom overview row `v` (asset_overview, migration 020) joined to its dataset `d`
 * that a caller may see, as a geometry (NULL: nothing), with the five `policyParams` at $first.
 * Whole-layer rights show the row as it is. Rights bound to an area (a C2 share with an area, C3
 * inside the caller's project areas) are applied more strictly than on single features, so a
 * summary never tells of features outside the area: merged lines are clipped to the area, and a
 * density cell is shown only when it lies wholly inside it.
 */
export function overviewVisibleSql(first: number): string {
  const [partner, org, areas, shareIds, shareAreas] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  const shares = `unnest(${shareIds}::int[], ${shareAreas}::text[]) AS s(id, area) WHERE s.id = d.id`;
  const whole = `(d.confidentiality = 'C0' OR (${partner}::int = 1 AND (d.confidentiality = 'C1' OR v.owner_id = ${org}::int
    OR d.owner_id = ${org}::int OR (d.confidentiality = 'C2' AND EXISTS (SELECT 1 FROM ${shares} AND s.area IS NULL)))))`;
  const bound = `CASE WHEN d.confidentiality = 'C2' THEN (SELECT ST_Union(s.area::geometry) FROM ${shares})
                      WHEN d.confidentiality = 'C3' THEN ${areas}::geometry END`;
  const clipped = `CASE WHEN v.cell THEN CASE WHEN ST_CoveredBy(v.geom, x.g) THEN v.geom END
                        ELSE ST_CollectionExtract(ST_Intersection(v.geom, x.g), ST_Dimension(v.geom) + 1) END`;
  return `CASE WHEN ${whole} THEN v.geom
    WHEN ${partner}::int = 1 THEN (SELECT ${clipped} FROM (SELECT ${bound} AS g) x WHERE x.g IS NOT NULL) END`;
}
