-- The datasets of a coupling's assets, kept with the finding (issue 6): a reader then sees all of
-- a coupling's assets when each of those datasets is open to it as a whole, without looking up
-- every asset (by id, through a BRIN index: 6 ms per finding, 18 s for 2,600 findings on the
-- benchmark city). Existing findings are recomputed by the next reader.
ALTER TABLE finding ADD COLUMN asset_datasets int[] NOT NULL DEFAULT '{}';
DELETE FROM app_setting WHERE key = 'analysis_computed_at';
