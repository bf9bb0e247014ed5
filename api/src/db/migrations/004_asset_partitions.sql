-- Each imported file layer gets its own partition of `asset`; KLIC deliveries and other shared
-- sources stay together in `asset_shared` (part = 0).
--
-- Why (measured with scripts/bench, 1,000,000 rows): inserting a layer into one big indexed table
-- maintained the GiST and btree indexes row by row and checked foreign keys row by row, about 35 s
-- of a 50 s load. A new partition is filled by COPY while it has no index, its indexes are built
-- once, and ATTACH checks the foreign keys in one join; replacing a layer swaps its partition in the
-- same transaction, so readers see the old layer or the new one, never a mix.
--
-- part: 0 for shared sources, the dataset id for a file layer.
-- id: unique because every id comes from asset_id_seq (a re-import keeps the ids it matched); a
-- declared primary key would have to include `part` and cost a btree build per layer, so each
-- partition indexes id itself (shared: unique btree; file layers: BRIN, see load-sql.ts).
-- feature_no: the feature's number in its source file (as QGIS/ogrinfo count), for file layers.
-- content_hash: KLIC compares deliveries by hash; a file layer's re-import compares the columns
-- themselves, so it may be NULL there.
-- attributes: the source's own properties, kept as delivered for the detail panel and exports and
-- never queried inside SQL; `json` (validated text) instead of `jsonb`, whose parsing was 4.7 s of a
-- 7.2 s COPY of 1,000,000 rows.

ALTER TABLE asset RENAME TO asset_v3;
ALTER INDEX asset_pkey RENAME TO asset_v3_pkey;
ALTER INDEX asset_source_kind_source_id_key RENAME TO asset_v3_source_key;
ALTER INDEX asset_geom_gist RENAME TO asset_v3_geom_gist;
ALTER INDEX asset_system RENAME TO asset_v3_system;
ALTER INDEX asset_dataset RENAME TO asset_v3_dataset;

CREATE TABLE asset (
  id               bigint NOT NULL DEFAULT nextval('asset_id_seq'),
  part             integer NOT NULL DEFAULT 0,
  source_kind      text NOT NULL,
  source_id        text NOT NULL,
  dataset_id       integer NOT NULL REFERENCES dataset(id),
  system           text NOT NULL CONSTRAINT asset_system_known CHECK (system IN (
    'riool_vrijverval', 'riool_pers', 'drinkwater', 'elektriciteit_ls', 'elektriciteit_ms', 'elektriciteit_hs',
    'gas_ld', 'gas_hd', 'warmte', 'telecom', 'groen', 'mobiliteit', 'verlichting', 'overig')),
  owner_id         integer REFERENCES organisation(id),
  asset_class      text NOT NULL,
  theme            text,
  status           text,
  in_service_date  date,
  material         text,
  diameter_mm      double precision,
  voltage_v        double precision,
  pressure_bar     double precision,
  label            text,
  attributes       json NOT NULL DEFAULT '{}'::json,
  content_hash     text,
  geom             geometry(Geometry, :SRID) NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  condition        text,
  in_service_year  integer CHECK (in_service_year BETWEEN 1800 AND 2200),
  replacement_year integer CHECK (replacement_year BETWEEN 1800 AND 2300),
  feature_no       integer
) PARTITION BY LIST (part);
CREATE INDEX asset_geom_gist ON asset USING gist (geom);

CREATE TABLE asset_shared PARTITION OF asset FOR VALUES IN (0);
-- KLIC upserts by (source_kind, gml:id) across deliveries: that key is unique among shared assets.
CREATE UNIQUE INDEX asset_shared_source ON asset_shared (source_kind, source_id);
CREATE UNIQUE INDEX asset_shared_id ON asset_shared (id);
CREATE INDEX asset_shared_dataset ON asset_shared (dataset_id);

DO $$
DECLARE d integer;
BEGIN
  FOR d IN SELECT DISTINCT dataset_id FROM asset_v3 WHERE source_kind = 'file' ORDER BY 1 LOOP
    EXECUTE format('CREATE TABLE asset_file_%s PARTITION OF asset FOR VALUES IN (%s)', d, d);
    EXECUTE format('CREATE INDEX ON asset_file_%s USING brin (id)', d);
  END LOOP;
END $$;

INSERT INTO asset (id, part, source_kind, source_id, dataset_id, system, owner_id, asset_class, theme, status,
  in_service_date, material, diameter_mm, voltage_v, pressure_bar, label, attributes, content_hash, geom,
  created_at, updated_at, condition, in_service_year, replacement_year)
SELECT id, CASE WHEN source_kind = 'file' THEN dataset_id ELSE 0 END, source_kind, source_id, dataset_id, system,
  owner_id, asset_class, theme, status, in_service_date, material, diameter_mm, voltage_v, pressure_bar, label,
  attributes::json, content_hash, geom, created_at, updated_at, condition, in_service_year, replacement_year
FROM asset_v3;

ALTER SEQUENCE asset_id_seq OWNED BY asset.id;
DROP TABLE asset_v3;
