-- Row-level security: the database's own wall behind the application's policy (auth/policy.ts).
-- The API acts as `samenhang_app` (no BYPASSRLS, owns no table); the caller's facts arrive as
-- transaction-local settings samenhang.{system,partner,org,admin,areas} (db/tenant-context.ts).
-- RLS is enabled and FORCED on every tenant table, so not even the owner reads around it
-- (superusers excepted, as PostgreSQL always does).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'samenhang_app') THEN
    CREATE ROLE samenhang_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  -- the connecting (owner) role may SET ROLE samenhang_app
  IF NOT pg_has_role(current_user, 'samenhang_app', 'MEMBER') THEN
    EXECUTE format('GRANT samenhang_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO samenhang_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO samenhang_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO samenhang_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO samenhang_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO samenhang_app;

CREATE FUNCTION samenhang_system() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('samenhang.system', true), '') = 'on' $$;
CREATE FUNCTION samenhang_partner() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('samenhang.partner', true), '') = '1' $$;
CREATE FUNCTION samenhang_admin() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('samenhang.admin', true), '') = '1' $$;
CREATE FUNCTION samenhang_org() RETURNS integer LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('samenhang.org', true), '')::integer $$;
CREATE FUNCTION samenhang_areas() RETURNS geometry LANGUAGE sql STABLE
  AS $$ SELECT ST_GeomFromEWKB(decode(nullif(current_setting('samenhang.areas', true), ''), 'hex')) $$;

-- Shares name the sharing organisation themselves, so that their policy needs no look at dataset
-- (dataset's policy looks at shares; a cycle would be refused by PostgreSQL).
ALTER TABLE dataset_share ADD COLUMN owner_org_id integer REFERENCES organisation(id);
UPDATE dataset_share s SET owner_org_id = d.owner_id FROM dataset d WHERE d.id = s.dataset_id;

-- dataset: metadata of every layer the caller may see rows of (C3 datasets are listed to partners,
-- whose project areas may hold their rows); written by trusted code, classified by its owner.
ALTER TABLE dataset ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset FORCE ROW LEVEL SECURITY;
CREATE POLICY dataset_system ON dataset USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY dataset_read ON dataset FOR SELECT USING (
  confidentiality = 'C0'
  OR (samenhang_partner() AND (confidentiality IN ('C1', 'C3') OR owner_id = samenhang_org()
      OR EXISTS (SELECT 1 FROM dataset_share s WHERE s.dataset_id = dataset.id AND s.org_id = samenhang_org() AND s.valid_until >= current_date))));
CREATE POLICY dataset_classify ON dataset FOR UPDATE
  USING (samenhang_admin() AND owner_id = samenhang_org()) WITH CHECK (owner_id = samenhang_org());

ALTER TABLE dataset_share ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_share FORCE ROW LEVEL SECURITY;
CREATE POLICY share_system ON dataset_share USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY share_read ON dataset_share FOR SELECT USING (samenhang_partner() AND (org_id = samenhang_org() OR owner_org_id = samenhang_org()));
CREATE POLICY share_admin ON dataset_share
  USING (samenhang_admin() AND owner_org_id = samenhang_org()) WITH CHECK (samenhang_admin() AND owner_org_id = samenhang_org());

-- asset: the rule of auth/policy.ts readableSql, over the partitioned parent.
ALTER TABLE asset ENABLE ROW LEVEL SECURITY;
ALTER TABLE asset FORCE ROW LEVEL SECURITY;
CREATE POLICY asset_system ON asset USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY asset_read ON asset FOR SELECT USING (EXISTS (
  SELECT 1 FROM dataset d WHERE d.id = asset.dataset_id AND (
    d.confidentiality = 'C0'
    OR (samenhang_partner() AND (
      d.confidentiality = 'C1' OR asset.owner_id = samenhang_org() OR d.owner_id = samenhang_org()
      OR (d.confidentiality = 'C2' AND EXISTS (SELECT 1 FROM dataset_share s WHERE s.dataset_id = d.id
            AND s.org_id = samenhang_org() AND s.valid_until >= current_date AND (s.geom IS NULL OR ST_Intersects(asset.geom, s.geom))))
      OR (d.confidentiality = 'C3' AND ST_Intersects(asset.geom, (SELECT samenhang_areas()))))))));
-- Partitions are only read through the parent; direct access is for trusted code.
ALTER TABLE asset_shared ENABLE ROW LEVEL SECURITY;
ALTER TABLE asset_shared FORCE ROW LEVEL SECURITY;
CREATE POLICY partition_system ON asset_shared USING (samenhang_system()) WITH CHECK (samenhang_system());
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'asset'::regclass AND c.relname LIKE 'asset\_file\_%' LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY partition_system ON %I USING (samenhang_system()) WITH CHECK (samenhang_system())', t);
  END LOOP;
END $$;

ALTER TABLE work ENABLE ROW LEVEL SECURITY;
ALTER TABLE work FORCE ROW LEVEL SECURITY;
CREATE POLICY work_system ON work USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY work_read ON work FOR SELECT USING (
  confidentiality = 'C0'
  OR (samenhang_partner() AND (confidentiality = 'C1' OR owner_id = samenhang_org()
      OR (confidentiality = 'C3' AND ST_Intersects(geom, (SELECT samenhang_areas()))))));

ALTER TABLE area_assignment ENABLE ROW LEVEL SECURITY;
ALTER TABLE area_assignment FORCE ROW LEVEL SECURITY;
CREATE POLICY area_system ON area_assignment USING (samenhang_system()) WITH CHECK (samenhang_system());

-- audit_log: anyone's actions are written; an organisation's administrators read its entries.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_system ON audit_log USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY audit_write ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY audit_read ON audit_log FOR SELECT USING (samenhang_admin() AND org_id = samenhang_org());
