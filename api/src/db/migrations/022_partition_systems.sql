-- Each file layer's partition of `asset` names the vital systems it holds in a CHECK, so that a
-- query for one system (an OGC API items page, an export, a tile) skips the partitions of other
-- systems while planning: PostgreSQL's constraint exclusion applies a partition's own CHECKs
-- (constraint_exclusion = partition, the default), and the partition key is the dataset, not the
-- system. Features benchmark (issue 9): half of an items count at 1,000,000 segments was GiST scans
-- of the partitions without the asked system. Loads add the CHECK to a new partition
-- (api/src/ingest/load/load-sql.ts constrainSystems); this adds it to the partitions loaded before.
-- A file partition is written only by its load, so the CHECK cannot get in an edit's way.
DO $$
DECLARE
  r record;
  systems text;
BEGIN
  FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'asset'::regclass AND c.relname LIKE 'asset\_file\_%' ORDER BY 1 LOOP
    EXECUTE format('SELECT string_agg(DISTINCT quote_literal(system), '', '') FROM %I', r.relname) INTO systems;
    IF systems IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (system IN (%s))', r.relname, r.relname || '_systems', systems);
    END IF;
  END LOOP;
END $$;
