-- Overviews of the network layers for low zooms (issue 9: no tile above 500 KB, p95 ≤ 200 ms at
-- z10–z13). A city's million segments cannot be drawn one by one at z10 (the whole city is a few
-- hundred pixels wide): each dataset is summarised per square cell at three levels
--   level 1: 100 m cells, for z12–z13     level 2: 400 m cells, for z10–z11     level 3: 1,600 m cells, for z ≤ 9
-- per (dataset, asset owner, system). A cell with few features keeps them, merged into one
-- geometry snapped and simplified to the level's resolution (`cell` false); a dense cell becomes
-- the cell square with its count and network length (`cell` true), drawn as a density shade.
-- Built by samenhang_build_overview(dataset) after a load commits (api/src/db/overview.ts); until
-- then dataset.overview_at is NULL and the tile SQL draws that dataset from its rows.
CREATE TABLE asset_overview (
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  dataset_id integer NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  owner_id integer REFERENCES organisation(id),
  system text NOT NULL,
  cell boolean NOT NULL,
  n integer NOT NULL,
  length_m double precision NOT NULL,
  geom geometry(Geometry, :SRID) NOT NULL
);
-- one GiST per level: the tile SQL names its level as a constant, so the planner picks the index
CREATE INDEX asset_overview_l1 ON asset_overview USING gist (geom) WHERE level = 1;
CREATE INDEX asset_overview_l2 ON asset_overview USING gist (geom) WHERE level = 2;
CREATE INDEX asset_overview_l3 ON asset_overview USING gist (geom) WHERE level = 3;
CREATE INDEX asset_overview_dataset ON asset_overview (dataset_id);

ALTER TABLE dataset ADD COLUMN overview_at timestamptz;

-- The same wall as asset_read (migration 006) over the summary rows; the tile SQL narrows further
-- (an area-bound reader sees lines clipped to the area and only cells wholly inside it).
ALTER TABLE asset_overview ENABLE ROW LEVEL SECURITY;
ALTER TABLE asset_overview FORCE ROW LEVEL SECURITY;
CREATE POLICY overview_system ON asset_overview USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY overview_read ON asset_overview FOR SELECT USING (EXISTS (
  SELECT 1 FROM dataset d WHERE d.id = asset_overview.dataset_id AND (
    d.confidentiality = 'C0'
    OR (samenhang_partner() AND (
      d.confidentiality = 'C1' OR asset_overview.owner_id = samenhang_org() OR d.owner_id = samenhang_org()
      OR (d.confidentiality = 'C2' AND EXISTS (SELECT 1 FROM dataset_share s WHERE s.dataset_id = d.id
            AND s.org_id = samenhang_org() AND s.valid_until >= current_date AND (s.geom IS NULL OR ST_Intersects(asset_overview.geom, s.geom))))
      OR (d.confidentiality = 'C3' AND ST_Intersects(asset_overview.geom, (SELECT samenhang_areas()))))))));
GRANT SELECT, INSERT, UPDATE, DELETE ON asset_overview TO samenhang_app;

CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON asset_overview
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('assets');

-- Rebuild one dataset's overview. Two passes: counts and lengths of every cell (no
-- geometry kept), then the merged geometry of the sparse cells only, so a dense city costs little
-- more than one scan. Returns the number of overview rows.
CREATE FUNCTION samenhang_build_overview(p_dataset integer) RETURNS integer LANGUAGE plpgsql AS $$
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
        FROM asset WHERE dataset_id = p_dataset) a
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

  -- sparse cells: their features, merged, snapped and simplified to the level's resolution
  INSERT INTO asset_overview (level, dataset_id, owner_id, system, cell, n, length_m, geom)
  SELECT m.level, p_dataset, m.owner_id, m.system, false, m.n, m.length_m, m.geom
  FROM (
    SELECT c.level, c.owner_id, c.system, c.n, c.length_m,
           ST_Simplify(ST_SnapToGrid(ST_Collect(a.geom), lv.snap), lv.snap, true) AS geom
    FROM overview_cell c
    JOIN (VALUES (1::smallint, 100.0::float8, 8, 3.0::float8), (2::smallint, 400.0::float8, 16, 12.0::float8), (3::smallint, 1600.0::float8, 32, 50.0::float8))
         AS lv(level, size, most, snap) ON lv.level = c.level AND c.n <= lv.most
    JOIN asset a ON a.dataset_id = p_dataset AND a.system = c.system AND a.owner_id IS NOT DISTINCT FROM c.owner_id
         AND floor((ST_XMin(a.geom) + ST_XMax(a.geom)) / 2 / lv.size)::int = c.i
         AND floor((ST_YMin(a.geom) + ST_YMax(a.geom)) / 2 / lv.size)::int = c.j
         AND a.geom && ST_MakeEnvelope(c.i * lv.size, c.j * lv.size, (c.i + 1) * lv.size, (c.j + 1) * lv.size, :SRID)
    -- one row per dimension: a tile keeps only the highest dimension of a mixed collection
    GROUP BY c.level, c.owner_id, c.system, c.i, c.j, c.n, c.length_m, lv.snap, ST_Dimension(a.geom)
  ) m WHERE m.geom IS NOT NULL AND NOT ST_IsEmpty(m.geom);

  SELECT count(*) INTO written FROM asset_overview WHERE dataset_id = p_dataset;
  UPDATE dataset SET overview_at = now() WHERE id = p_dataset;
  TRUNCATE overview_cell;
  RETURN written;
END $$;

-- layers loaded before this migration get their overview now
SELECT samenhang_build_overview(id) FROM dataset ORDER BY id;
