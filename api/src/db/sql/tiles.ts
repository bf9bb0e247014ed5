import { assetReadableSql, assetRowReadableSql, moratoriumReadableSql, overviewVisibleSql, readableSql, workReadableSql } from '../../auth/policy.ts';
import { SYSTEM_CODES, type SystemCode, getSystem } from '../../model/systems.ts';
import type { TileFamily } from '../../http/tile-cache.ts';

/**
 * Vector tile layers. Identifiers in tile SQL come only from this registry, never from the
 * request; z/x/y and the system code are bound as parameters.
 */
export type TileLayerId = SystemCode | 'gemeenten' | 'works' | 'moratoria';

/**
 * How a network layer's tile is encoded (decision 121). `full`: every field (/tiles/{system}, OGC
 * API – Tiles, other clients). The web map's networks tileset reads only the feature id and the
 * overview's density fields, so it takes `lean`: the asset id as MVT feature id and no properties
 * (a z14 tile of the bench city 43 → 18 bytes a feature). `merged`, for a networks tile over its
 * byte budget: a tile's features collected into one feature per geometry dimension without id (the
 * map draws them alike; they cannot be picked), or where the overview applies its next coarser level.
 */
export type TileVariant = 'full' | 'lean' | 'merged';

export interface TileLayer {
  id: TileLayerId;
  /** whose data changes move the layer's cached tiles out (migration 017) */
  family: TileFamily;
  /** public reference data (no policy parameters, cacheable by shared caches) */
  public: boolean;
  /** fields (name → type) announced in TileJSON vector_layers and OGC tileset metadata */
  fields: Record<string, string>;
  /** what the layer is, for people (TileJSON description, OGC tileset title) */
  title: string;
  attribution: string;
  sql: string;
  /**
   * `sql` (when no overview applies) runs as a named statement with a generic plan, cached per
   * connection: a tile's plan has one shape (an index scan of the tile's box), and planning was
   * about half of a z16 tile's SQL (decision 100)
   */
  genericPlan?: boolean;
  /** the SQL for zoom z when the layer is drawn from its overview there (same parameters as `sql`), else null */
  overview?: (z: number, variant?: TileVariant) => string | null;
  /** the `lean` and `merged` encodings of `sql` (network layers only), same parameters */
  variants?: { lean: string; merged: string };
  /**
   * How many features of the layer a tile of zoom z holds that the caller may read, from the
   * overview's cells ($1 z, $2 x, $3 y, $4 working SRID, $5 layer id, $6..$10 policy): decides
   * between single features and the overview below z14
   */
  overviewCountSql?: (z: number) => string;
  /** the layer's extent in WGS84 as ARRAY[w, s, e, n] (column b); non-public layers take the policy parameters at $1..$5 */
  extentSql: string;
}

const EXTENT = 4096;
const BUFFER = 64;

// $1 z, $2 x, $3 y, $4 working SRID, $5 simplify tolerance (working-CRS units), $6 layer id,
// $7..$11 the caller's policy parameters (auth/policy.ts policyParams), for asset layers.
// The envelope is transformed to the working CRS once so that `&&` can use the GiST index on
// geom; features are only transformed to Web Mercator after the index has cut them down.
// OFFSET 0 keeps the outer `geom IS NOT NULL` out of the scan: pushed down, PostgreSQL evaluated
// ST_AsMVTGeom (with its transform) twice per row and before the cheap filters, on rows of every
// system in the box (1,046 → 85 ms for a z14 tile of the tile benchmark's city).
// k: the tile's affine map from the working CRS to Web Mercator when it is within half a tile unit
// of the exact transform (migration 024: from z14 on in the Netherlands), else NULL.
const BOUNDS = `
  WITH b AS MATERIALIZED (
    SELECT ST_TileEnvelope($1, $2, $3) AS env,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => ${BUFFER / EXTENT}), $4::int) AS envw,
           samenhang_tile_affine($1, $2, $3, $4::int, ${EXTENT}, ${BUFFER}) AS k
  )`;

/**
 * Geometry `g` (working CRS) in Web Mercator for ST_AsMVTGeom, inside a query with BOUNDS' `b`: the
 * tile's affine map when there is one (a few multiplications a vertex), else the exact transform
 * (the whole PROJ pipeline a vertex). Only one branch runs per row; the result keeps g's SRID, which
 * ST_AsMVTGeom does not read (it takes the tile's bounds as a box).
 */
export const mercatorSql = (g: string): string =>
  `CASE WHEN b.k IS NULL THEN ST_Transform(${g}, 3857) ELSE ST_Affine(${g}, b.k[1], b.k[2], b.k[3], b.k[4], b.k[5], b.k[6]) END`;

// Features come in the order of the spatial index scan, the same for the same index (a streaming
// replica's too): sorting 5,500 features with their tile geometry by id cost ~1.5–2 ms of a z14
// tile, and nothing reads the order (the ETag hashes the bytes; MapLibre draws one layer's lines alike).
// The system is written into the text (a code of the registry, never the request) so that a generic
// plan can still skip the partitions of other systems (decision 96 needs a constant to compare).
// lean (decision 121): the asset id only, as the MVT feature id, and no organisation to join
const SIMPLIFIED = `CASE WHEN $5::float8 > 0 AND GeometryType(a.geom) <> 'POINT' THEN ST_Simplify(a.geom, $5::float8, true) ELSE a.geom END`;
const assetSql = (code: SystemCode, lean = false): string => `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom', 'fid') FROM (
    SELECT a.id AS fid,${lean ? '' : ' a.id, a.system, a.asset_class AS feature_type, o.name AS owner, a.status, a.label,'}
           ST_AsMVTGeom(${mercatorSql(SIMPLIFIED)}, b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM asset a CROSS JOIN b${lean ? '' : `
    LEFT JOIN organisation o ON o.id = a.owner_id`}
    WHERE a.system = '${code}' AND a.geom && b.envw AND ${assetRowReadableSql(7)}
    OFFSET 0
  ) t WHERE t.geom IS NOT NULL`;

// merged: the readable features of the tile collected per geometry dimension (a collection of
// mixed dimensions would keep only its highest in the tile), then cut to the tile once
const mergedAssetSql = (code: SystemCode): string => `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom') FROM (
    SELECT ST_AsMVTGeom(${mercatorSql('m.g')}, b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM b CROSS JOIN LATERAL (
      SELECT ST_Collect(${SIMPLIFIED}) AS g
      FROM asset a
      WHERE a.system = '${code}' AND a.geom && b.envw AND ${assetRowReadableSql(7)}
      GROUP BY ST_Dimension(a.geom)
    ) m
  ) t WHERE t.geom IS NOT NULL`;

/** Overview level (migration 020) drawn at zoom z, or null: single features from z14 on. */
export function overviewLevel(z: number): 1 | 2 | 3 | null {
  if (z >= 14) return null;
  if (z >= 12) return 1;
  return z >= 10 ? 2 : 3;
}

/** Cell side per overview level (m), as built by samenhang_build_overview. */
const CELL_M: Readonly<Record<1 | 2 | 3, number>> = { 1: 100, 2: 400, 3: 1600 };

// The overview rows of the datasets whose overview is built, each cut to what the caller may see
// (overviewVisibleSql), plus — for a layer loaded moments ago whose overview is still being built —
// its features as in assetSql. The uncorrelated EXISTS becomes a one-time filter: when no overview
// is pending (the usual case) that branch is never started.
// lean (decision 121): the density fields of a cell only, and a pending dataset's features by feature id
const overviewSql = (level: 1 | 2 | 3, lean: boolean): string => {
  const ha = (CELL_M[level] * CELL_M[level]) / 10_000;
  const density = `CASE WHEN v.cell THEN round(v.length_m / ${ha})::int END AS m_per_ha,
           CASE WHEN v.cell THEN round(v.n / ${ha}::numeric, 1)::float8 END AS n_per_ha, v.cell`;
  const select = lean
    ? `SELECT ${density}, NULL::bigint AS fid,`
    : `SELECT v.system, o.name AS owner, v.n, round(v.length_m)::int AS length_m,
           ${density},
           NULL::bigint AS id, NULL::text AS feature_type, NULL::text AS status, NULL::text AS label,`;
  // the owner's name: full tiles only
  const owner = (row: string): string => (lean ? '' : ` LEFT JOIN organisation o ON o.id = ${row}.owner_id`);
  const pending = lean
    ? 'SELECT NULL, NULL, NULL, a.id,'
    : 'SELECT a.system, o.name, NULL, NULL, NULL, NULL, NULL, a.id, a.asset_class, a.status, a.label,';
  return `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom'${lean ? ", 'fid'" : ''}) FROM (
    ${select}
           ST_AsMVTGeom(${mercatorSql('v.vis')}, b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM (SELECT v.system, v.owner_id, v.n, v.length_m, v.cell, ${overviewVisibleSql(7)} AS vis
          FROM asset_overview v JOIN dataset d ON d.id = v.dataset_id CROSS JOIN b
          WHERE v.level = ${level} AND v.system = $6::text AND v.geom && b.envw AND d.overview_at IS NOT NULL
            AND ${readableSql('v', 'd.confidentiality', 'd.owner_id', 'd.id', 7)}
          OFFSET 0) v
    CROSS JOIN b${owner('v')}
    WHERE v.vis IS NOT NULL
    UNION ALL
    ${pending}
           ST_AsMVTGeom(${mercatorSql(SIMPLIFIED)}, b.env, ${EXTENT}, ${BUFFER}, true)
    FROM (SELECT a.* FROM asset a CROSS JOIN b JOIN dataset d ON d.id = a.dataset_id
          WHERE EXISTS (SELECT 1 FROM dataset WHERE overview_at IS NULL)
            AND a.part = ANY (ARRAY(SELECT id FROM dataset WHERE overview_at IS NULL)) AND d.overview_at IS NULL
            AND a.system = $6::text AND a.geom && b.envw AND ${assetReadableSql(7)}
          OFFSET 0) a
    CROSS JOIN b${owner('a')}
  ) t WHERE t.geom IS NOT NULL`;
};
const OVERVIEW_SQL = { 1: overviewSql(1, false), 2: overviewSql(2, false), 3: overviewSql(3, false) } as const;
const LEAN_OVERVIEW_SQL = { 1: overviewSql(1, true), 2: overviewSql(2, true), 3: overviewSql(3, true) } as const;

// counted at the level the lean tiles draw (overviewLevel(z - 1)): ≤ 900 cells a tile instead of up
// to 3,600, the count a little larger where the coarser cells overlap the tile's edge
const countSql = (level: 1 | 2 | 3): string => `
  SELECT coalesce(sum(v.n), 0)::int AS n
  FROM asset_overview v JOIN dataset d ON d.id = v.dataset_id
  WHERE v.level = ${level} AND v.system = $5::text AND d.overview_at IS NOT NULL
    AND v.geom && ST_Transform(ST_TileEnvelope($1, $2, $3), $4::int)
    AND ${readableSql('v', 'd.confidentiality', 'd.owner_id', 'd.id', 6)}`;
const COUNT_SQL = { 1: countSql(1), 2: countSql(2), 3: countSql(3) } as const;
const overviewCountSql = (z: number): string => COUNT_SQL[overviewLevel(z - 1) ?? 3];

const municipalitySql = `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom') FROM (
    SELECT m.code, m.name,
           ST_AsMVTGeom(${mercatorSql('ST_Simplify(m.geom, greatest($5::float8, 0.5), true)')},
                        b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM municipality m CROSS JOIN b
    WHERE m.geom && b.envw
    ORDER BY m.code OFFSET 0
  ) t WHERE t.geom IS NOT NULL`;

const worksSql = `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom', 'fid') FROM (
    SELECT w.id AS fid, w.id, w.title, w.kind, o.slug AS owner, w.status, array_to_string(w.systems, ';') AS systems,
           w.opens_ground, w.trench_width, w.earliest_start::text AS earliest_start, w.preferred_start::text AS preferred_start,
           w.preferred_end::text AS preferred_end, w.latest_end::text AS latest_end,
           ST_AsMVTGeom(${mercatorSql('CASE WHEN $5::float8 > 0 THEN ST_Simplify(w.geom, $5::float8, true) ELSE w.geom END')},
                        b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM work w CROSS JOIN b LEFT JOIN organisation o ON o.id = w.owner_id
    WHERE w.geom && b.envw AND ${workReadableSql(7)}
    ORDER BY w.id OFFSET 0
  ) t WHERE t.geom IS NOT NULL`;

const moratoriaSql = `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom', 'fid') FROM (
    SELECT m.id AS fid, m.id, m.valid_from::text AS "from", m.valid_until::text AS until, m.reason,
           array_to_string(m.exceptions, ';') AS exceptions, o.slug AS owner,
           ST_AsMVTGeom(${mercatorSql('CASE WHEN $5::float8 > 0 THEN ST_Simplify(m.geom, $5::float8, true) ELSE m.geom END')},
                        b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM moratorium m CROSS JOIN b LEFT JOIN organisation o ON o.id = m.owner_id
    WHERE m.geom && b.envw AND ${moratoriumReadableSql(7)}
    ORDER BY m.id OFFSET 0
  ) t WHERE t.geom IS NOT NULL`;

const extentOf = (from: string, where: string): string =>
  `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM ${from} WHERE ${where}) s WHERE e IS NOT NULL`;

const NETWORKS = 'KLIC © Kadaster and the network operators; imported layers © their owners';
const PLANNING = 'Planning of the participating organisations (Samenhang)';
// below z14 (overview, migration 020): n, length_m, and for a density cell (cell = true) m_per_ha and n_per_ha
const ASSET_FIELDS = {
  id: 'Number', system: 'String', feature_type: 'String', owner: 'String', status: 'String', label: 'String',
  n: 'Number', length_m: 'Number', cell: 'Boolean', m_per_ha: 'Number', n_per_ha: 'Number',
};
/** the fields of a `lean` network tile (the asset id is the feature id): a density cell's, below z14 */
export const LEAN_ASSET_FIELDS: Readonly<Record<string, string>> = { cell: 'Boolean', m_per_ha: 'Number', n_per_ha: 'Number' };

// Where the overview applies, a lean tile (the map's networks tileset) draws the level of the zoom
// below (z13 100 m cells, z11–z12 400 m, ≤ z10 1,600 m: 17–34 px each, up to 900 a layer in a tile
// rather than 3,600 at z12, whose eight layers cost ~55 ms each), and a merged one (a networks tile
// over its budget) the next coarser level again, level 3 the coarsest
const assetOverview = (z: number, variant: TileVariant = 'full'): string | null => {
  const level = overviewLevel(z);
  if (level === null) return null;
  if (variant === 'full') return OVERVIEW_SQL[level];
  const lean = overviewLevel(z - 1) ?? 3;
  return LEAN_OVERVIEW_SQL[variant === 'merged' ? Math.min(lean + 1, 3) as 2 | 3 : lean];
};

export const TILE_LAYERS: ReadonlyMap<TileLayerId, TileLayer> = new Map<TileLayerId, TileLayer>([
  ...SYSTEM_CODES.map((code): [TileLayerId, TileLayer] => [code, {
    id: code, family: 'assets', public: false, fields: ASSET_FIELDS, sql: assetSql(code), genericPlan: true, overview: assetOverview,
    variants: { lean: assetSql(code, true), merged: mergedAssetSql(code) }, overviewCountSql, title: getSystem(code).labelNl, attribution: NETWORKS,
    extentSql: extentOf('asset a JOIN dataset d ON d.id = a.dataset_id', `a.system = '${code}' AND ${assetReadableSql(1)}`),
  }]),
  ['gemeenten', {
    id: 'gemeenten', family: 'gemeenten', public: true, fields: { code: 'String', name: 'String' }, sql: municipalitySql, extentSql: extentOf('municipality', 'true'),
    title: 'Gemeentegrenzen', attribution: '© CBS / Kadaster (CC BY 4.0)',
  }],
  ['works', {
    id: 'works', family: 'works', public: false, sql: worksSql, extentSql: extentOf('work w', workReadableSql(1)), title: 'Geplande werken', attribution: PLANNING,
    fields: { id: 'Number', title: 'String', kind: 'String', owner: 'String', status: 'String', systems: 'String', opens_ground: 'Boolean',
      trench_width: 'Number', earliest_start: 'String', preferred_start: 'String', preferred_end: 'String', latest_end: 'String' },
  }],
  ['moratoria', {
    id: 'moratoria', family: 'moratoria', public: false, sql: moratoriaSql, extentSql: extentOf('moratorium m', moratoriumReadableSql(1)), title: 'Graafrust', attribution: PLANNING,
    fields: { id: 'Number', from: 'String', until: 'String', reason: 'String', exceptions: 'String', owner: 'String' },
  }],
]);

/** Web Mercator metres per tile pixel at zoom z, scaled to RD metres (≈ 1/1.6 at 52°N). */
export function simplifyTolerance(z: number): number {
  if (z >= 17) return 0; // full detail where people read individual pipes
  return 40_075_016.68 / 2 ** z / EXTENT / 1.6;
}
