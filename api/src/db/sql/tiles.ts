import { assetReadableSql } from '../../auth/policy.ts';
import { SYSTEM_CODES, type SystemCode } from '../../model/systems.ts';

/**
 * Vector tile layers. Identifiers in tile SQL come only from this registry, never from the
 * request; z/x/y and the system code are bound as parameters.
 */
export type TileLayerId = SystemCode | 'gemeenten';

export interface TileLayer {
  id: TileLayerId;
  /** public reference data (no policy parameters, cacheable by shared caches) */
  public: boolean;
  /** fields (name → type) announced in TileJSON vector_layers */
  fields: Record<string, string>;
  sql: string;
}

const EXTENT = 4096;
const BUFFER = 64;

// $1 z, $2 x, $3 y, $4 working SRID, $5 simplify tolerance (working-CRS units), $6 layer id,
// $7..$11 the caller's policy parameters (auth/policy.ts policyParams), for asset layers.
// The envelope is transformed to the working CRS once so that `&&` can use the GiST index on
// geom; features are only transformed to Web Mercator after the index has cut them down.
const BOUNDS = `
  WITH b AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => ${BUFFER / EXTENT}), $4::int) AS envw
  )`;

const assetSql = `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom', 'fid') FROM (
    SELECT a.id AS fid, a.id, a.system, a.asset_class AS feature_type, o.name AS owner, a.status, a.label,
           ST_AsMVTGeom(
             ST_Transform(CASE WHEN $5::float8 > 0 AND GeometryType(a.geom) <> 'POINT'
                               THEN ST_Simplify(a.geom, $5::float8, true) ELSE a.geom END, 3857),
             b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM asset a CROSS JOIN b
    JOIN dataset d ON d.id = a.dataset_id
    LEFT JOIN organisation o ON o.id = a.owner_id
    WHERE a.system = $6::text AND a.geom && b.envw AND ${assetReadableSql(7)}
    ORDER BY a.id
  ) t WHERE t.geom IS NOT NULL`;

const municipalitySql = `${BOUNDS}
  SELECT ST_AsMVT(t, $6::text, ${EXTENT}, 'geom') FROM (
    SELECT m.code, m.name,
           ST_AsMVTGeom(ST_Transform(ST_Simplify(m.geom, greatest($5::float8, 0.5), true), 3857),
                        b.env, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM municipality m CROSS JOIN b
    WHERE m.geom && b.envw
  ) t WHERE t.geom IS NOT NULL`;

const ASSET_FIELDS = { id: 'Number', system: 'String', feature_type: 'String', owner: 'String', status: 'String', label: 'String' };

export const TILE_LAYERS: ReadonlyMap<TileLayerId, TileLayer> = new Map<TileLayerId, TileLayer>([
  ...SYSTEM_CODES.map((code): [TileLayerId, TileLayer] => [code, { id: code, public: false, fields: ASSET_FIELDS, sql: assetSql }]),
  ['gemeenten', { id: 'gemeenten', public: true, fields: { code: 'String', name: 'String' }, sql: municipalitySql }],
]);

/** Web Mercator metres per tile pixel at zoom z, scaled to RD metres (≈ 1/1.6 at 52°N). */
export function simplifyTolerance(z: number): number {
  if (z >= 17) return 0; // full detail where people read individual pipes
  return 40_075_016.68 / 2 ** z / EXTENT / 1.6;
}
