-- The overview build of migration 020, faster and independent of other layers:
-- - it reads only the partitions a dataset's rows can be in: its own (`part` = the dataset id, a file
--   layer) and the shared one (`part` = 0: KLIC deliveries, edits). Filtered on dataset_id alone it
--   scanned every layer's partition: a second 1,000,000-segment layer's overview took 35 s against
--   the first one's 17 s, and a country of layers would make each build read them all;
-- - the sparse cells get their rows by one hash join instead of an index probe per cell (the sparse
--   part of a 1,000,000-segment layer 15.8 → 9.9 s, the same 54,626 rows, ST_Equals one by one).
-- Organisation ids are serial (> 0), so coalesce(owner_id, 0) stands for "no owner" in the join.
CREATE OR REPLACE FUNCTION samenhang_build_overview(p_dataset integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  -- one build of a dataset at a time (two API processes starting together, a load during a start-up
  -- build): the second waits, then deletes what the first wrote instead of adding to it
  PERFORM pg_advisory_xact_lock(727002, p_dataset);
  DELETE FROM asset_overview WHERE dataset_id = p_dataset;
  CREATE TEMP TABLE IF NOT EXISTS overview_cell (
    level smallint, owner_id integer, system text, i integer, j integer, n integer, length_m double precision
  ) ON COMMIT DROP;
  TRUNCATE overview_cell;
  -- level 1 from the rows (one pass), levels 2 and 3 from level 1: floor(floor(x / 100) / 4) = floor(x / 400)
  INSERT INTO overview_cell
  SELECT 1, owner_id, system, floor(cx / 100)::int, floor(cy / 100)::int, count(*), sum(len)
  FROM (SELECT owner_id, system, (ST_XMin(geom) + ST_XMax(geom)) / 2 AS cx, (ST_YMin(geom) + ST_YMax(geom)) / 2 AS cy,
               ST_Length(geom) AS len
        FROM asset WHERE part IN (0, p_dataset) AND dataset_id = p_dataset) a
  GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO overview_cell
  SELECT lv.level, c.owner_id, c.system, floor(c.i::float8 / lv.k)::int, floor(c.j::float8 / lv.k)::int, sum(c.n), sum(c.length_m)
  FROM overview_cell c CROSS JOIN (VALUES (2::smallint, 4), (3::smallint, 16)) AS lv(level, k)
  WHERE c.level = 1
  GROUP BY 1, 2, 3, 4, 5;

  -- dense cells: the square, with what it holds
  INSERT INTO asset_overview (level, dataset_id, owner_id, system, cell, n, length_m, geom)
  SELECT c.level, p_dataset, c.owner_id, c.system, true, c.n, c.length_m,
         ST_MakeEnvelope(c.i * lv.size, c.j * lv.size, (c.i + 1) * lv.size, (c.j + 1) * lv.size, :SRID)
  FROM overview_cell c JOIN (VALUES (1::smallint, 100.0::float8, 8), (2::smallint, 400.0::float8, 16), (3::smallint, 1600.0::float8, 32))
       AS lv(level, size, most) ON lv.level = c.level
  WHERE c.n > lv.most;

  -- sparse cells: their features, merged, snapped and simplified to the level's resolution. Every
  -- row is given its cell at each level in one scan and joined to the sparse cells by a hash on
  -- (level, owner, system, i, j); OFFSET 0 keeps the levels with the rows, so that the cell's i and j
  -- are hash keys and not a filter on a hash by system (migration 020 probed the index once per cell)
  INSERT INTO asset_overview (level, dataset_id, owner_id, system, cell, n, length_m, geom)
  SELECT m.level, p_dataset, m.owner_id, m.system, false, m.n, m.length_m, m.geom
  FROM (
    SELECT c.level, c.owner_id, c.system, c.n, c.length_m,
           ST_Simplify(ST_SnapToGrid(ST_Collect(r.geom), r.snap), r.snap, true) AS geom
    FROM (SELECT a.geom, coalesce(a.owner_id, 0) AS owner_key, a.system, lv.level, lv.snap,
                 floor((ST_XMin(a.geom) + ST_XMax(a.geom)) / 2 / lv.size)::int AS i,
                 floor((ST_YMin(a.geom) + ST_YMax(a.geom)) / 2 / lv.size)::int AS j
          FROM asset a
          CROSS JOIN (VALUES (1::smallint, 100.0::float8, 3.0::float8), (2::smallint, 400.0::float8, 12.0::float8), (3::smallint, 1600.0::float8, 50.0::float8))
               AS lv(level, size, snap)
          WHERE a.part IN (0, p_dataset) AND a.dataset_id = p_dataset OFFSET 0) r
    JOIN overview_cell c ON c.level = r.level AND coalesce(c.owner_id, 0) = r.owner_key AND c.system = r.system AND c.i = r.i AND c.j = r.j
    -- at most 8 / 16 / 32 features: as the dense cells above
    WHERE c.n <= CASE c.level WHEN 1 THEN 8 WHEN 2 THEN 16 ELSE 32 END
    -- one row per dimension: a tile keeps only the highest dimension of a mixed collection
    GROUP BY c.level, c.owner_id, c.system, c.i, c.j, c.n, c.length_m, r.snap, ST_Dimension(r.geom)
  ) m WHERE m.geom IS NOT NULL AND NOT ST_IsEmpty(m.geom);

  SELECT count(*) INTO written FROM asset_overview WHERE dataset_id = p_dataset;
  UPDATE dataset SET overview_at = now() WHERE id = p_dataset;
  TRUNCATE overview_cell;
  RETURN written;
END $$;
