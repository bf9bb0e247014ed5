-- Tile cache invalidation (issue 9): every statement that changes what a vector tile shows sends
-- NOTIFY samenhang_tiles '<family>' at commit, to every API process that listens (tile-cache.ts).
-- Families: assets (the system layers), works, moratoria, gemeenten, * (all: organisation names
-- are drawn in every layer). Statement-level: one notice per statement, and PostgreSQL folds equal
-- notices of one transaction into one.
--
-- A load swaps a layer's partition in by ATTACH (no row trigger fires) but always writes its
-- dataset row in the same transaction; KLIC writes asset_shared directly, which the trigger on the
-- partitioned parent does not see, so it has its own.
CREATE OR REPLACE FUNCTION samenhang_tiles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('samenhang_tiles', TG_ARGV[0]);
  RETURN NULL;
END $$;

CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON asset
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('assets');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON asset_shared
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('assets');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dataset
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('assets');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dataset_share
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('assets');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('*');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON work
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('works');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON moratorium
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('moratoria');
CREATE TRIGGER tiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipality
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('gemeenten');
