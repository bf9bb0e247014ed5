import { assetReadableSql, wholeReadableDatasetsSql } from '../auth/policy.ts';
import type { SystemCode } from '../model/systems.ts';
import type { Pool } from '../db/pool.ts';
import { ASSET_COLUMNS, CSV_COLUMNS, type ExportColumn, NULL_SQL } from './columns.ts';
import type { SqlQuery } from './cursor.ts';
import { coordinateDecimals, type ExportSrid } from './formats.ts';

/** What to export: one imported dataset, or every asset of one vital system. */
export type ExportScope = { kind: 'dataset'; id: number } | { kind: 'system'; code: SystemCode };

/** West, south, east, north in WGS84 degrees. */
export type Bbox = readonly [number, number, number, number];

export interface ExportQueryOptions {
  scope: ExportScope;
  targetSrid: ExportSrid;
  workingSrid: number;
  bbox: Bbox | null;
  /** a municipality (CBS code, e.g. GM1641): only assets that touch it */
  municipality?: string | null;
  /** Columns the asset table has (see assetColumns); registry columns missing from it export NULL. */
  assetColumns: ReadonlySet<string>;
  /** the caller's policy parameters (auth/policy.ts policyParams): only rows they may read, never others' C3 */
  policy: readonly unknown[];
}

/**
 * The asset table's columns, asked again a minute after they were last read, so a migration never needs a restart.
 * From the catalog itself: information_schema.columns took 5 ms warm and 80–118 ms on a fresh
 * connection per request (features benchmark, issue 9).
 */
export async function assetColumns(pool: Pool): Promise<ReadonlySet<string>> {
  const known = columnsSeen.get(pool);
  if (known && known.until > Date.now()) return known.columns;
  const r = await pool.query<{ column_name: string }>(
    "SELECT attname AS column_name FROM pg_attribute WHERE attrelid = to_regclass('asset') AND attnum > 0 AND NOT attisdropped",
  );
  const columns = new Set(r.rows.map((row) => row.column_name));
  columnsSeen.set(pool, { columns, until: Date.now() + COLUMNS_TTL_MS });
  return columns;
}

/**
 * The columns change only with a migration, which a process runs before it serves; a process that
 * keeps serving while another migrates sees them within a minute. Every OGC items page asked for
 * them: a transaction of three round trips per page (features benchmark, issue 9).
 */
const COLUMNS_TTL_MS = 60_000;
const columnsSeen = new WeakMap<Pool, { columns: ReadonlySet<string>; until: number }>();

/** A registry column's SQL, or a typed NULL when the asset table lacks the column it needs. */
export function expression(c: ExportColumn, available: ReadonlySet<string>): string {
  return c.requires !== undefined && !available.has(c.requires) ? NULL_SQL[c.type] : c.sql;
}

/** Values go to `values` and are referenced as $n; only registry constants reach the SQL text. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/**
 * FROM/WHERE shared by all formats. `t.g` is the geometry in the target CRS, forced to 2D: the
 * asset model is 2D (the importers write XY) and the GeoPackage declares z = 0.
 * The bbox is densified before it is transformed, because a lon/lat rectangle is not a rectangle
 * in RD New; the `&&` lets the GiST index do the first cut.
 */
/** A file layer is its own partition (part = dataset id); shared sources are in part 0. */
function datasetWhere(id: string): string {
  return `a.dataset_id = ${id} AND a.part IN (0, ${id})`;
}

/**
 * The bulk-download rule over asset rows `a` and their dataset `d` (policy parameters at
 * $first..$first+4): what the caller may read, minus C3 rows of others — critical infrastructure is
 * never bulk-exported. Exports and the OGC API items (api/src/ogc) both use it.
 */
export function bulkReadableSql(first: number): string {
  const org = `$${first + 1}::int`;
  return `${assetReadableSql(first)} AND (d.confidentiality <> 'C3' OR a.owner_id = ${org} OR d.owner_id = ${org})`;
}

/**
 * The same rule for asset rows `a` alone (no join to their dataset), for pages of a few thousand
 * rows: the layers the caller may download whole (C0; C1 and their own layers for a partner) are
 * listed once per query (an InitPlan) and a row of them passes on the array test; any other row is
 * judged by bulkReadableSql against its dataset. The list's condition is one of the rule's own
 * disjuncts, so it allows exactly what bulkReadableSql allows (features benchmark, issue 9: the
 * per-row dataset join was about a third of an items page's scan).
 */
export function bulkAssetReadableSql(first: number): string {
  return `(a.dataset_id = ANY (${wholeReadableDatasetsSql(first)}) OR EXISTS (SELECT 1 FROM dataset d WHERE d.id = a.dataset_id AND ${bulkReadableSql(first)}))`;
}

function fromClause(opts: ExportQueryOptions, p: Params): string {
  const target = p.add(opts.targetSrid, 'integer');
  const where =
    opts.scope.kind === 'dataset' ? datasetWhere(p.add(opts.scope.id, 'integer')) : `a.system = ${p.add(opts.scope.code, 'text')}`;
  let bboxJoin = '';
  let bboxWhere = '';
  if (opts.bbox) {
    const [w, s, e, n] = opts.bbox.map((v) => p.add(v, 'float8'));
    bboxJoin = `CROSS JOIN (SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326), 0.01), ${p.add(opts.workingSrid, 'integer')}) AS env) f`;
    bboxWhere = ' AND a.geom && f.env AND ST_Intersects(a.geom, f.env)';
  } else if (opts.municipality) {
    bboxJoin = `CROSS JOIN (SELECT geom AS env FROM municipality WHERE code = ${p.add(opts.municipality, 'text')}) f`;
    bboxWhere = ' AND a.geom && f.env AND ST_Intersects(a.geom, f.env)';
  }
  const first = p.values.length + 1;
  p.values.push(...opts.policy);
  const allowed = bulkReadableSql(first);
  return `FROM asset a
    JOIN dataset d ON d.id = a.dataset_id
    LEFT JOIN organisation o ON o.id = a.owner_id
    ${bboxJoin}
    CROSS JOIN LATERAL (SELECT ST_Force2D(ST_Transform(a.geom, ${target})) AS g) t
    WHERE ${where}${bboxWhere} AND ${allowed}`;
}

function flatSelect(columns: readonly ExportColumn[], available: ReadonlySet<string>): string {
  return columns
    .map((c) => {
      const sql = expression(c, available);
      return `${c.type === 'json' ? `(${sql})::text` : sql} AS "${c.name}"`;
    })
    .join(', ');
}

/**
 * One GeoJSON Feature per row, serialised by PostgreSQL: Node only joins the strings. With `layer`
 * (the selection export, several layers in one collection whose ids repeat across layers) the
 * feature has no top-level id; `layer` and `id` lead its properties instead.
 */
export function geoJsonQuery(opts: ExportQueryOptions, layer?: string, rowPrefix = ''): SqlQuery {
  const p = new Params();
  const from = fromClause(opts, p);
  const props = ASSET_COLUMNS.filter((c) => c.name !== 'id')
    .map((c) => `'${c.name}', ${expression(c, opts.assetColumns)}`)
    .join(', ');
  const id = layer === undefined ? `'id', a.id,` : '';
  const lead = layer === undefined ? '' : `'layer', ${p.add(layer, 'text')}, 'id', a.id, `;
  const lead0 = rowPrefix === '' ? '' : `${p.add(rowPrefix, 'text')} || `;
  const text = `SELECT ${lead0}json_build_object('type', 'Feature', ${id}
      'geometry', ST_AsGeoJSON(t.g, ${coordinateDecimals(opts.targetSrid)})::json,
      'properties', json_build_object(${lead}${props}))::text AS feature
    ${from}
    ORDER BY a.id`;
  return { text, values: p.values };
}


export function csvQuery(opts: ExportQueryOptions): SqlQuery {
  const p = new Params();
  const from = fromClause(opts, p);
  const text = `SELECT ${flatSelect(CSV_COLUMNS, opts.assetColumns)}, ST_AsText(t.g, ${coordinateDecimals(opts.targetSrid)}) AS wkt
    ${from}
    ORDER BY a.id`;
  return { text, values: p.values };
}

export interface GpkgSourceRow {
  [column: string]: string | number | Buffer | null;
  wkb: Buffer;
  minx: number | null;
  maxx: number | null;
  miny: number | null;
  maxy: number | null;
}

/** Attributes plus ISO WKB at full precision and the envelope for the GeoPackageBinary header. */
export function gpkgQuery(opts: ExportQueryOptions): SqlQuery {
  const p = new Params();
  const from = fromClause(opts, p);
  const text = `SELECT ${flatSelect(ASSET_COLUMNS, opts.assetColumns)}, ST_AsBinary(t.g, 'NDR') AS wkb,
      ST_XMin(t.g) AS minx, ST_XMax(t.g) AS maxx, ST_YMin(t.g) AS miny, ST_YMax(t.g) AS maxy
    ${from}
    ORDER BY a.id`;
  return { text, values: p.values };
}
