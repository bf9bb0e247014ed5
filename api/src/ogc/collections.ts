/**
 * The collections of the OGC API – Features (issue 8) and where their rows come from. Property
 * names are those of the existing exports (ASSET_COLUMNS, PLAN_FIELDS, the analysis exports and
 * the participants' public hotspot view), so a file downloaded here and one exported from the app
 * carry the same columns. Access is the rest of the API's:
 *   - one collection per vital system with assets: the bulk-download rule of the exports (what
 *     the caller may read, minus other organisations' C3 rows), since items are a bulk download;
 *   - works / moratoria: workReadableSql / moratoriumReadableSql minus others' C3 rows (the same
 *     bulk rule as the plan exports), with their time windows;
 *   - findings / bundles: only those whose works the caller may read (analysis/read.ts);
 *   - hotspots: published ones only, as everyone sees them: snapped to the walk's grid, no names.
 * Identifiers in the SQL come only from this registry and from the fixed system codes.
 */
import { bulkAssetReadableSql, expression } from '../export/query.ts';
import { ASSET_COLUMNS } from '../export/columns.ts';
import { PLAN_FIELDS, PLAN_WINDOWS, type PlanLayer } from '../export/plan-export.ts';
import { moratoriumReadableSql, workReadableSql } from '../auth/policy.ts';
import { TILE_LAYERS } from '../db/sql/tiles.ts';
import { SYSTEMS, type SystemCode } from '../model/systems.ts';
import { ROUNDED_HOTSPOT_GEOM } from '../walks/store.ts';
import type { FilterName } from './params.ts';

/** A collection whose rows one SQL query reads, paged by its id. */
/** A property of a feature: its name (a registry constant) and the SQL of its value. */
export type Property = readonly [name: string, sql: string];

export interface SqlSource {
  kind: 'sql';
  /** FROM and JOINs (fixed aliases) */
  from: string;
  /** the stable key the pages are ordered by, and the feature id */
  id: string;
  /** how a feature id from the URL must look (else 404), and its SQL type */
  idPattern: RegExp;
  idCast: 'bigint' | 'uuid';
  /** the geometry in the working CRS */
  geom: string;
  /** the access condition with the caller's policy parameters at $first..$first+4; null: none needed */
  access: ((first: number) => string) | null;
  /** run in the system row-security context (public hotspots: the walk's organisation owns the rows) */
  system: boolean;
  /** a fixed condition of the collection */
  base: string;
  /** the properties as [name, SQL] in output order; `available`: the asset table's columns */
  properties: (available: ReadonlySet<string>) => readonly Property[];
  /** equality filters: SQL for a bound parameter */
  filters: Partial<Record<FilterName, (param: string) => string>>;
  /** the time the row covers (date expressions): `datetime` applies */
  temporal?: { start: string; end: string };
  /**
   * pages run as a named statement with its generic plan cached per connection (no planning per
   * page, ~1 ms): for a collection whose pages suit one plan whatever the box and filters
   */
  genericPlan?: boolean;
}

export interface AnalysisSource {
  kind: 'analysis';
  which: 'findings' | 'bundles';
}

export interface Collection {
  id: string;
  title: string;
  description: string;
  source: SqlSource | AnalysisSource;
  /** a vital system: listed only when the caller can download rows of it */
  system: SystemCode | null;
  /** the tiles module serves /ogc/collections/{id}/tiles for it */
  tiles: boolean;
}

export const filtersOf = (c: Collection): FilterName[] => (c.source.kind === 'sql' ? (Object.keys(c.source.filters) as FilterName[]) : []);

const INTEGER_ID = /^\d{1,18}$/;
export const ASSET_FROM = 'asset a JOIN dataset d ON d.id = a.dataset_id LEFT JOIN organisation o ON o.id = a.owner_id';
/**
 * For pages of items (a bbox, a few thousand rows): no join to the dataset, whose rule
 * bulkAssetReadableSql applies per layer once per query. (A plain join put the 6-row dataset table
 * outside and scanned every asset partition once per dataset; a lookup per row cost a third of the
 * scan.) Whole-table aggregates keep ASSET_FROM (a hash join).
 */
const ASSET_PAGE_FROM = 'asset a LEFT JOIN organisation o ON o.id = a.owner_id';

const assetSource = (code: SystemCode): SqlSource => ({
  kind: 'sql', from: ASSET_PAGE_FROM, id: 'a.id', idPattern: INTEGER_ID, idCast: 'bigint', geom: 'a.geom',
  access: bulkAssetReadableSql, system: false, base: `a.system = '${code}'`, genericPlan: true,
  properties: (available) => ASSET_COLUMNS.filter((c) => c.name !== 'id').map((c) => [c.name, expression(c, available)] as const),
  // `owner` is written as the organisation's name; the slug is accepted too, as everywhere else in the API
  filters: { system: (p) => `a.system = ${p}`, owner: (p) => `(o.slug = ${p} OR o.name = ${p})`, status: (p) => `a.status = ${p}` },
});

/** A bulk download never holds other organisations' C3 rows (auth/policy.ts canExport), also of plans. */
const bulk = (readable: (first: number) => string, alias: string) => (first: number): string =>
  `${readable(first)} AND (${alias}.confidentiality <> 'C3' OR ${alias}.owner_id = $${first + 1}::int)`;

const planProperties = (layer: PlanLayer): readonly Property[] => PLAN_FIELDS[layer].filter((x) => x.name !== 'id').map((x) => [x.name, x.sql] as const);

const works: SqlSource = {
  kind: 'sql', from: 'work w LEFT JOIN organisation o ON o.id = w.owner_id', id: 'w.id', idPattern: INTEGER_ID, idCast: 'bigint', geom: 'w.geom',
  access: bulk(workReadableSql, 'w'), system: false, base: 'true', properties: () => planProperties('works'), temporal: PLAN_WINDOWS.works,
  filters: { system: (p) => `${p} = ANY(w.systems)`, owner: (p) => `o.slug = ${p}`, status: (p) => `w.status = ${p}` },
};

const moratoria: SqlSource = {
  kind: 'sql', from: 'moratorium m LEFT JOIN organisation o ON o.id = m.owner_id', id: 'm.id', idPattern: INTEGER_ID, idCast: 'bigint', geom: 'm.geom',
  access: bulk(moratoriumReadableSql, 'm'), system: false, base: 'true', properties: () => planProperties('moratoria'), temporal: PLAN_WINDOWS.moratoria,
  filters: { owner: (p) => `o.slug = ${p}` },
};

/** What a participant sees of others' published hotspots (walks/store.ts), plus the walk's title. */
const hotspots: SqlSource = {
  kind: 'sql', from: 'hotspot h JOIN walk w ON w.id = h.walk_id', id: 'h.id',
  idPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, idCast: 'uuid',
  geom: ROUNDED_HOTSPOT_GEOM, access: null, system: true, base: "h.status = 'published'",
  properties: () => [['walk', 'w.title'], ['walkDate', 'w.walk_date::text'], ['kind', 'h.kind'], ['theme', 'h.theme'], ['note', 'h.note'],
    ['status', 'h.status'], ['hasPhoto', 'h.photo IS NOT NULL'], ['receivedAt', 'h.received_at'], ['observedAt', 'h.observed_at'], ['cluster', 'h.cluster']],
  filters: {},
};

const hasTiles = (id: string): boolean => TILE_LAYERS.has(id as never);

export const COLLECTIONS: readonly Collection[] = [
  ...SYSTEMS.map((s): Collection => ({
    id: s.code, title: `${s.labelNl} (${s.labelEn})`, system: s.code, tiles: hasTiles(s.code), source: assetSource(s.code),
    description: `Assets of the vital system ${s.labelEn}: what you may download (others' critical-infrastructure (C3) rows never are).`,
  })),
  { id: 'works', title: 'Geplande werken (planned works)', system: null, tiles: hasTiles('works'), source: works,
    description: 'Planned works of every owner you may see; datetime selects by the work\'s window (earliest or preferred start .. latest or preferred end).' },
  { id: 'moratoria', title: 'Graafrust (dig moratoria)', system: null, tiles: hasTiles('moratoria'), source: moratoria,
    description: 'Dig moratoria you may see; datetime selects by their period (from .. until).' },
  { id: 'findings', title: 'Bevindingen (analysis findings)', system: null, tiles: false, source: { kind: 'analysis', which: 'findings' },
    description: 'Findings of the analysis whose works you may all see; the geometry is those works, collected. No temporal property: datetime is ignored.' },
  { id: 'bundles', title: 'Bundels (bundles of works)', system: null, tiles: false, source: { kind: 'analysis', which: 'bundles' },
    description: 'Bundles of works that can share one trench, with their metrics; the geometry is the works. No temporal property: datetime is ignored.' },
  { id: 'hotspots', title: 'Wijkschouw: gepubliceerde hotspots (published walk hotspots)', system: null, tiles: false, source: hotspots,
    description: 'Published hotspots of neighbourhood walks, as everyone sees them: the place snapped to the walk\'s rounding grid, no names. No temporal filter.' },
];

export function collectionOf(id: string): Collection | undefined {
  return COLLECTIONS.find((c) => c.id === id);
}
