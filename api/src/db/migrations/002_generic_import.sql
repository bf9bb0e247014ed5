-- Generic file import: asset model columns the mapping can fill, and the dataset remembers how it
-- was imported (format, CRS, mapping) so a newer file of the same layer updates it.
ALTER TABLE asset
  ADD COLUMN condition        text,
  ADD COLUMN in_service_year  integer CHECK (in_service_year BETWEEN 1800 AND 2200),
  ADD COLUMN replacement_year integer CHECK (replacement_year BETWEEN 1800 AND 2300);

ALTER TABLE dataset
  ADD COLUMN layer_name text,
  ADD COLUMN source_layer text,   -- the layer's name inside the file (shapefile base name, table)
  ADD COLUMN format     text,
  ADD COLUMN crs        text,
  ADD COLUMN mapping    jsonb;

CREATE INDEX asset_dataset ON asset (dataset_id);
