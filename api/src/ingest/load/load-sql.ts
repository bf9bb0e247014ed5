/**
 * SQL of one layer load; all of it runs inside the load's single transaction. A file layer lives
 * in its own partition of `asset` (migration 004): a load fills a new table `asset_load_<id>` by
 * COPY, checks it, builds its indexes once, and swaps it in for `asset_file_<id>`.
 * Table names are built from the integer dataset id only.
 */

function datasetId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`invalid dataset id ${id}`);
  return id;
}

export const loadTable = (id: number): string => `asset_load_${datasetId(id)}`;
export const layerTable = (id: number): string => `asset_file_${datasetId(id)}`;

/** The file-layer dataset is identified by owner + layer name: a newer file updates it. */
export const UPSERT_DATASET = `
  INSERT INTO dataset (name, source_kind, source_ref, content_sha256, owner_id, layer_name, format, crs, mapping, source_layer)
  VALUES ($1, 'file', $2, $3, $4, $1, $5, $6, $7, $8)
  ON CONFLICT (source_kind, source_ref) DO UPDATE SET
    content_sha256 = EXCLUDED.content_sha256, imported_at = now(), format = EXCLUDED.format,
    crs = EXCLUDED.crs, mapping = EXCLUDED.mapping, source_layer = EXCLUDED.source_layer,
    overview_at = NULL
  RETURNING id`;

/** A new, unindexed table shaped like `asset`, whose defaults and CHECK make every row part of this layer. */
export function createLoadTable(id: number): string[] {
  const t = loadTable(id);
  return [
    `CREATE TABLE ${t} (LIKE asset INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    // a partition is read through asset (whose policies apply); directly only by trusted code
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY partition_system ON ${t} USING (samenhang_system()) WITH CHECK (samenhang_system())`,
    `ALTER TABLE ${t} ALTER COLUMN part SET DEFAULT ${datasetId(id)}, ALTER COLUMN dataset_id SET DEFAULT ${datasetId(id)},
       ALTER COLUMN source_kind SET DEFAULT 'file', ADD CONSTRAINT ${t}_part CHECK (part = ${datasetId(id)})`,
  ];
}

export const OWNER_REFS = `
  SELECT id, name, klic_code FROM organisation`;

/** Owners named in the data (a code like GM1641/G0503 or a name) that are new organisations. */
export const INSERT_OWNERS = `
  INSERT INTO organisation (name, kind)
  SELECT r, CASE WHEN r ~ '^(GM|G)[0-9]{4}$' THEN 'gemeente' ELSE 'overig' END FROM unnest($1::text[]) AS r
  ON CONFLICT DO NOTHING`;

/** PostGIS's own verdict on the rows it must judge: all of them, or the listed feature numbers. */
export function invalidRows(id: number, all: boolean): string {
  return `SELECT feature_no, (ST_IsValidDetail(geom)).reason AS reason FROM ${loadTable(id)}
    WHERE ${all ? '' : 'feature_no = ANY($1::int[]) AND '}NOT ST_IsValid(geom) ORDER BY feature_no`;
}

export const deleteRows = (id: number): string => `DELETE FROM ${loadTable(id)} WHERE feature_no = ANY($1::int[])`;
export const repairRows = (id: number): string => `UPDATE ${loadTable(id)} SET geom = ST_MakeValid(geom) WHERE feature_no = ANY($1::int[])`;

/**
 * A source id that repeats in the file keeps its first feature; later ones are stored under
 * `<id>~<feature number>` (loaded, but not matchable by id on a re-import) and reported.
 * Only ids that do repeat are sorted. Returns the total and the first 1000 renamed features.
 */
export function dedupeSourceIds(id: number): string {
  const t = loadTable(id);
  return `
  WITH dup AS (SELECT source_id FROM ${t} GROUP BY source_id HAVING count(*) > 1),
  d AS (
    SELECT feature_no, source_id, row_number() OVER (PARTITION BY source_id ORDER BY feature_no) AS rn
    FROM ${t} WHERE source_id IN (SELECT source_id FROM dup)
  ), u AS (
    UPDATE ${t} s SET source_id = s.source_id || '~' || s.feature_no
    FROM d WHERE d.feature_no = s.feature_no AND d.rn > 1
    RETURNING s.feature_no, substr(d.source_id, length($1) + 1) AS original
  )
  SELECT count(*) OVER ()::int AS total, feature_no, original FROM u ORDER BY feature_no LIMIT 1000`;
}

const COMPARED = ['system', 'owner_id', 'asset_class', 'status', 'condition', 'material', 'diameter_mm', 'in_service_year', 'replacement_year', 'label', 'attributes::text'];
const same = `(${COMPARED.map((c) => `n.${c}`).join(', ')}, ST_AsEWKB(n.geom)) IS NOT DISTINCT FROM (${COMPARED.map((c) => `o.${c}`).join(', ')}, ST_AsEWKB(o.geom))`;

/**
 * Re-import: an asset whose source id was there before keeps its id and creation time, and its
 * update time when nothing changed. Returns how many matched and how many of those are unchanged.
 */
export function matchPrevious(id: number): string {
  return `
  WITH u AS (
    UPDATE ${loadTable(id)} n SET id = o.id, created_at = o.created_at,
      updated_at = CASE WHEN ${same} THEN o.updated_at ELSE n.updated_at END
    FROM ${layerTable(id)} o WHERE o.source_id = n.source_id
    RETURNING ${same} AS unchanged
  )
  SELECT count(*)::int AS matched, count(*) FILTER (WHERE unchanged)::int AS unchanged FROM u`;
}

const SYSTEM_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * The vital systems a layer can hold, as a CHECK on its partition, added to the empty table before
 * the COPY (so it costs no scan; the COPY checks each row): a query for one system (an OGC API page,
 * an export, a tile) then skips the partitions of other systems while planning (PostgreSQL's
 * constraint exclusion applies a partition's own CHECKs; the partition key is the dataset, not the
 * system). Features benchmark: half of an items count was GiST scans of partitions without the
 * asked system. Safe because a file partition is written only by its load.
 */
export function constrainSystems(id: number, systems: readonly string[]): string {
  if (systems.length === 0) throw new Error('a layer maps to at least one system');
  for (const s of systems) if (!SYSTEM_CODE.test(s)) throw new Error(`invalid system code ${JSON.stringify(s)}`);
  const t = loadTable(id);
  return `ALTER TABLE ${t} ADD CONSTRAINT ${t}_systems CHECK (system IN (${[...systems].sort().map((s) => `'${s}'`).join(', ')}))`;
}

/**
 * Indexes of a layer partition, built once after the COPY: the GiST that asset's partitioned index
 * needs (ATTACH adopts it), and a BRIN on id: ids come from one sequence in file order, so a few
 * pages' summary finds a row by id at a fraction of a btree's build time.
 */
export function indexLoadTable(id: number): string[] {
  const t = loadTable(id);
  return [`CREATE INDEX ON ${t} USING gist (geom)`, `CREATE INDEX ON ${t} USING brin (id)`];
}

/** Replace the layer's partition by the loaded table (ATTACH finds the indexes and checks the foreign keys). */
export function swapIn(id: number, hadPrevious: boolean): string[] {
  return [
    ...(hadPrevious ? [`DROP TABLE ${layerTable(id)}`] : []),
    `ALTER TABLE asset ATTACH PARTITION ${loadTable(id)} FOR VALUES IN (${datasetId(id)})`,
    `ALTER TABLE ${loadTable(id)} RENAME TO ${layerTable(id)}`,
  ];
}
