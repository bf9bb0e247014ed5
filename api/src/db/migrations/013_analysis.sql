-- Samenhang in beeld (issue 6): the current findings (recomputed per work after each edit), the
-- decisions on findings and bundles (kept by their stable ids across recomputations), and the
-- joint projects an accepted combination becomes.
CREATE TABLE finding (
  id             text PRIMARY KEY,                -- stable: 'combine:12-34', 'coupling:12-drinkwater-3'
  type           text NOT NULL CHECK (type IN ('combine', 'clash', 'repeat_opening', 'moratorium', 'coupling')),
  work_ids       bigint[] NOT NULL,
  asset_ids      bigint[] NOT NULL DEFAULT '{}',
  moratorium_id  bigint,
  metrics        jsonb NOT NULL,
  rule           jsonb NOT NULL,
  computed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX finding_works ON finding USING gin (work_ids);
CREATE INDEX finding_moratorium ON finding (moratorium_id) WHERE moratorium_id IS NOT NULL;

CREATE TABLE joint_project (
  id          serial PRIMARY KEY,
  name        text NOT NULL,
  source_id   text NOT NULL UNIQUE,                -- the finding or bundle it was accepted from
  org_id      integer NOT NULL REFERENCES organisation(id),
  created_by  integer REFERENCES app_user(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE joint_project_work (
  project_id  integer NOT NULL REFERENCES joint_project(id) ON DELETE CASCADE,
  work_id     bigint NOT NULL,
  PRIMARY KEY (project_id, work_id)
);

CREATE TABLE finding_decision (
  subject_id       text PRIMARY KEY,              -- a finding id or a bundle id ('bundle:12-34-56')
  decision         text NOT NULL CHECK (decision IN ('accepted', 'rejected', 'deferred')),
  reason           text,
  work_ids         bigint[] NOT NULL,             -- the works it concerned: the organisations involved see it
  org_id           integer NOT NULL REFERENCES organisation(id),
  decided_by       integer REFERENCES app_user(id) ON DELETE SET NULL,
  decided_at       timestamptz NOT NULL DEFAULT now(),
  joint_project_id integer REFERENCES joint_project(id) ON DELETE SET NULL,
  version          integer NOT NULL DEFAULT 1,
  CHECK (decision <> 'rejected' OR length(coalesce(reason, '')) >= 3)
);
CREATE INDEX finding_decision_works ON finding_decision USING gin (work_ids);

GRANT SELECT, INSERT, UPDATE, DELETE ON finding, joint_project, joint_project_work, finding_decision TO samenhang_app;
GRANT USAGE, SELECT ON SEQUENCE joint_project_id_seq TO samenhang_app;

-- Findings are written by the system (recomputation) and read by everyone; the API shows a
-- finding only when the caller may see every work in it (the work table's own row security).
ALTER TABLE finding ENABLE ROW LEVEL SECURITY;
ALTER TABLE finding FORCE ROW LEVEL SECURITY;
CREATE POLICY finding_system ON finding USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY finding_read ON finding FOR SELECT USING (true);

-- Decisions and joint projects: written by partners for their own organisation; read by the
-- organisations whose works they concern and by the deciding organisation.
ALTER TABLE finding_decision ENABLE ROW LEVEL SECURITY;
ALTER TABLE finding_decision FORCE ROW LEVEL SECURITY;
CREATE POLICY decision_system ON finding_decision USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY decision_read ON finding_decision FOR SELECT USING (
  samenhang_partner() AND (org_id = samenhang_org()
    OR EXISTS (SELECT 1 FROM work w WHERE w.id = ANY(finding_decision.work_ids) AND w.owner_id = samenhang_org())));
CREATE POLICY decision_write ON finding_decision FOR INSERT WITH CHECK (samenhang_partner() AND org_id = samenhang_org());
CREATE POLICY decision_edit ON finding_decision FOR UPDATE USING (samenhang_partner()) WITH CHECK (samenhang_partner() AND org_id = samenhang_org());
CREATE POLICY decision_remove ON finding_decision FOR DELETE USING (samenhang_partner());

ALTER TABLE joint_project ENABLE ROW LEVEL SECURITY;
ALTER TABLE joint_project FORCE ROW LEVEL SECURITY;
CREATE POLICY project_system ON joint_project USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY project_read ON joint_project FOR SELECT USING (
  samenhang_partner() AND (org_id = samenhang_org() OR EXISTS (
    SELECT 1 FROM joint_project_work pw JOIN work w ON w.id = pw.work_id WHERE pw.project_id = joint_project.id AND w.owner_id = samenhang_org())));
CREATE POLICY project_write ON joint_project FOR INSERT WITH CHECK (samenhang_partner() AND org_id = samenhang_org());
CREATE POLICY project_remove ON joint_project FOR DELETE USING (samenhang_partner());
ALTER TABLE joint_project_work ENABLE ROW LEVEL SECURITY;
ALTER TABLE joint_project_work FORCE ROW LEVEL SECURITY;
CREATE POLICY project_work_system ON joint_project_work USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY project_work_read ON joint_project_work FOR SELECT USING (samenhang_partner());
CREATE POLICY project_work_write ON joint_project_work FOR INSERT WITH CHECK (
  samenhang_partner() AND EXISTS (SELECT 1 FROM joint_project p WHERE p.id = project_id AND p.org_id = samenhang_org()));

-- the rules of the analysis, as a deployment sets them (model/analysis-rules.ts has the defaults)
INSERT INTO app_setting (key, value) VALUES ('analysis_rules', '{}') ON CONFLICT (key) DO NOTHING;
