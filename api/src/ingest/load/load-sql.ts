/** SQL of one layer load; all of it runs inside the load's single transaction. */

export const CREATE_STAGE = `
  CREATE TEMP TABLE import_stage (
    feature_no int NOT NULL, source_id text NOT NULL, system text NOT NULL, owner_ref text,
    asset_class text NOT NULL, status text, condition text, material text, diameter_mm float8,
    in_service_year int, replacement_year int, label text, attributes jsonb NOT NULL,
    geom geometry NOT NULL, owner_id int
  ) ON COMMIT DROP`;

/** PostGIS's own verdict on each staged geometry (self-intersections, spikes, ...). */
export const INVALID_IN_STAGE = `
  SELECT feature_no, (ST_IsValidDetail(geom)).reason AS reason
  FROM import_stage WHERE NOT ST_IsValid(geom) ORDER BY feature_no`;

/**
 * A source id that repeats in the file keeps its first feature; later ones are stored under
 * `<id>~<feature number>` (loaded, but not matchable by id on a re-import) and reported.
 * Returns the total and the first 1000 renamed features.
 */
export const DEDUPE_SOURCE_IDS = `
  WITH d AS (
    SELECT feature_no, source_id, row_number() OVER (PARTITION BY source_id ORDER BY feature_no) AS rn FROM import_stage
  ), u AS (
    UPDATE import_stage s SET source_id = s.source_id || '~' || s.feature_no
    FROM d WHERE d.feature_no = s.feature_no AND d.rn > 1
    RETURNING s.feature_no, d.source_id AS original
  )
  SELECT count(*) OVER ()::int AS total, feature_no, original FROM u ORDER BY feature_no LIMIT 1000`;

export const DELETE_INVALID = 'DELETE FROM import_stage WHERE NOT ST_IsValid(geom)';
export const REPAIR_INVALID = 'UPDATE import_stage SET geom = ST_MakeValid(geom) WHERE NOT ST_IsValid(geom)';

/** The file-layer dataset is identified by owner + layer name: a newer file updates it. */
export const UPSERT_DATASET = `
  INSERT INTO dataset (name, source_kind, source_ref, content_sha256, owner_id, layer_name, format, crs, mapping, source_layer)
  VALUES ($1, 'file', $2, $3, $4, $1, $5, $6, $7, $8)
  ON CONFLICT (source_kind, source_ref) DO UPDATE SET
    content_sha256 = EXCLUDED.content_sha256, imported_at = now(), format = EXCLUDED.format,
    crs = EXCLUDED.crs, mapping = EXCLUDED.mapping, source_layer = EXCLUDED.source_layer
  RETURNING id`;

/** Owners named in the data (a code like GM1641/G0503 or a name) → organisations, created when new. */
export const RESOLVE_OWNERS = `
  WITH refs AS (SELECT DISTINCT owner_ref AS ref FROM import_stage WHERE owner_ref IS NOT NULL),
  inserted AS (
    INSERT INTO organisation (name, kind)
    SELECT r.ref, CASE WHEN r.ref ~ '^(GM|G)[0-9]{4}$' THEN 'gemeente' ELSE 'overig' END
    FROM refs r
    WHERE NOT EXISTS (SELECT 1 FROM organisation o WHERE o.klic_code = r.ref OR o.name = r.ref)
    ON CONFLICT DO NOTHING
    RETURNING id, name
  ),
  resolved AS (
    SELECT r.ref, coalesce(
      (SELECT o.id FROM organisation o WHERE o.klic_code = r.ref LIMIT 1),
      (SELECT o.id FROM organisation o WHERE o.name = r.ref LIMIT 1),
      (SELECT i.id FROM inserted i WHERE i.name = r.ref LIMIT 1)) AS id
    FROM refs r
  )
  UPDATE import_stage s SET owner_id = resolved.id FROM resolved WHERE s.owner_ref = resolved.ref`;

/**
 * Insert new assets and update changed ones of this dataset; source ids are namespaced by the
 * dataset so two layers may both have an object "12". xmax = 0 marks an inserted row.
 */
export const UPSERT_ASSETS = `
  WITH up AS (
  WITH rows AS (
    SELECT $1::int || '/' || s.source_id AS full_id, s.*, coalesce($2::int, s.owner_id) AS owner,
           md5(concat_ws('|', s.system, coalesce($2::int, s.owner_id), s.asset_class, s.status, s.condition,
               s.material, s.diameter_mm, s.in_service_year, s.replacement_year, s.label, s.attributes::text,
               encode(ST_AsEWKB(s.geom), 'hex'))) AS hash
    FROM import_stage s
  )
  INSERT INTO asset (source_kind, source_id, dataset_id, system, owner_id, asset_class, status, condition,
    material, diameter_mm, in_service_year, replacement_year, label, attributes, content_hash, geom)
  SELECT 'file', r.full_id, $1, r.system, r.owner, r.asset_class, r.status, r.condition, r.material,
    r.diameter_mm, r.in_service_year, r.replacement_year, r.label, r.attributes, r.hash, ST_SetSRID(r.geom, $3)
  FROM rows r
  ON CONFLICT (source_kind, source_id) DO UPDATE SET
    system = EXCLUDED.system, owner_id = EXCLUDED.owner_id, asset_class = EXCLUDED.asset_class,
    status = EXCLUDED.status, condition = EXCLUDED.condition, material = EXCLUDED.material,
    diameter_mm = EXCLUDED.diameter_mm, in_service_year = EXCLUDED.in_service_year,
    replacement_year = EXCLUDED.replacement_year, label = EXCLUDED.label, attributes = EXCLUDED.attributes,
    content_hash = EXCLUDED.content_hash, geom = EXCLUDED.geom, updated_at = now()
  WHERE asset.content_hash IS DISTINCT FROM EXCLUDED.content_hash
  RETURNING (xmax = 0) AS inserted)
  SELECT count(*) FILTER (WHERE inserted)::int AS new, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

export const DELETE_REMOVED = `
  DELETE FROM asset a WHERE a.dataset_id = $1 AND a.source_kind = 'file'
    AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE $1::int || '/' || s.source_id = a.source_id)`;
