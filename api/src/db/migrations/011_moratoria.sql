-- Dig moratoria (graafrust, issue 5): a street or area that may not be opened between two dates,
-- with the reason and the exceptions still allowed. Made by hand or generated when a
-- reconstruction/redesign work is marked finished (term: app_setting moratorium_years).
-- Works imported from files are identified by (source_kind 'import', source_id) per owner.
INSERT INTO app_setting (key, value) VALUES ('moratorium_years', '5') ON CONFLICT (key) DO NOTHING;

CREATE TABLE moratorium (
  id              bigserial PRIMARY KEY,
  owner_id        integer NOT NULL REFERENCES organisation(id),
  source_work_id  bigint UNIQUE,                 -- generated from this work (no FK: the work may be deleted)
  valid_from      date NOT NULL,
  valid_until     date NOT NULL,
  reason          text NOT NULL,
  exceptions      text[] NOT NULL DEFAULT '{}',
  confidentiality text NOT NULL DEFAULT 'C1' CHECK (confidentiality IN ('C0','C1','C2','C3')),
  geom            geometry(Geometry, :SRID) NOT NULL,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT moratorium_period CHECK (valid_until >= valid_from)
);
CREATE INDEX moratorium_geom_gist ON moratorium USING gist (geom);

CREATE TABLE moratorium_history (
  id             bigserial PRIMARY KEY,
  moratorium_id  bigint NOT NULL,
  version        integer NOT NULL,
  at             timestamptz NOT NULL DEFAULT now(),
  user_id        integer REFERENCES app_user(id) ON DELETE SET NULL,
  org_id         integer REFERENCES organisation(id),
  action         text NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'restored', 'generated')),
  changes        jsonb NOT NULL
);
CREATE INDEX moratorium_history_item ON moratorium_history (moratorium_id, id);

-- a deleted work can be restored (undo) from its history; the raw row is kept for that
ALTER TABLE work_history DROP CONSTRAINT work_history_action_check;
ALTER TABLE work_history ADD CONSTRAINT work_history_action_check CHECK (action IN ('created', 'updated', 'deleted', 'restored', 'imported'));
ALTER TABLE work_history ADD COLUMN row_state jsonb;
ALTER TABLE moratorium_history ADD COLUMN row_state jsonb;

GRANT SELECT, INSERT, UPDATE, DELETE ON moratorium, moratorium_history TO samenhang_app;
GRANT USAGE, SELECT ON SEQUENCE moratorium_id_seq, moratorium_history_id_seq TO samenhang_app;

ALTER TABLE moratorium ENABLE ROW LEVEL SECURITY;
ALTER TABLE moratorium FORCE ROW LEVEL SECURITY;
CREATE POLICY moratorium_system ON moratorium USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY moratorium_read ON moratorium FOR SELECT USING (
  confidentiality = 'C0'
  OR (samenhang_partner() AND (confidentiality = 'C1' OR owner_id = samenhang_org()
      OR (confidentiality = 'C3' AND ST_Intersects(geom, (SELECT samenhang_areas()))))));
CREATE POLICY moratorium_write ON moratorium FOR INSERT WITH CHECK (samenhang_partner() AND owner_id = samenhang_org());
CREATE POLICY moratorium_edit ON moratorium FOR UPDATE
  USING (samenhang_partner() AND owner_id = samenhang_org()) WITH CHECK (samenhang_partner() AND owner_id = samenhang_org());
CREATE POLICY moratorium_remove ON moratorium FOR DELETE USING (samenhang_partner() AND owner_id = samenhang_org());

ALTER TABLE moratorium_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE moratorium_history FORCE ROW LEVEL SECURITY;
CREATE POLICY mhistory_system ON moratorium_history USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY mhistory_write ON moratorium_history FOR INSERT WITH CHECK (samenhang_partner() AND org_id = samenhang_org());
CREATE POLICY mhistory_read ON moratorium_history FOR SELECT USING (
  samenhang_partner() AND (org_id = samenhang_org() OR EXISTS (SELECT 1 FROM moratorium m WHERE m.id = moratorium_history.moratorium_id)));

-- an organisation's editors import their own works from files (source_kind 'import')
CREATE POLICY work_import ON work FOR INSERT WITH CHECK (samenhang_partner() AND owner_id = samenhang_org() AND source_kind = 'import');
