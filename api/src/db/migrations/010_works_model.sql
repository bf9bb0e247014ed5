-- Works as first-class planning data (issue 5): kind, systems, status, ground opening, the four
-- dates of the window with slack, cost, contact, a version for optimistic concurrency, and a
-- history of changes. KLIC requests keep their own start/end as the preferred window.
ALTER TABLE work
  ADD COLUMN systems         text[] NOT NULL DEFAULT '{}',
  ADD COLUMN status          text NOT NULL DEFAULT 'gepland'
    CHECK (status IN ('idee', 'gepland', 'in voorbereiding', 'in uitvoering', 'gereed', 'vervallen')),
  ADD COLUMN opens_ground    boolean NOT NULL DEFAULT true,
  ADD COLUMN trench_width    double precision CHECK (trench_width > 0 AND trench_width <= 100),
  ADD COLUMN earliest_start  date,
  ADD COLUMN preferred_start date,
  ADD COLUMN preferred_end   date,
  ADD COLUMN latest_end      date,
  ADD COLUMN cost_estimate   numeric(14, 2) CHECK (cost_estimate >= 0),
  ADD COLUMN contact         text,
  ADD COLUMN version         integer NOT NULL DEFAULT 1,
  ADD CONSTRAINT work_windows_nest CHECK (
    (earliest_start IS NULL OR preferred_start IS NULL OR earliest_start <= preferred_start)
    AND (preferred_start IS NULL OR preferred_end IS NULL OR preferred_start <= preferred_end)
    AND (preferred_end IS NULL OR latest_end IS NULL OR preferred_end <= latest_end));
UPDATE work SET preferred_start = start_date, preferred_end = coalesce(end_date, start_date) WHERE source_kind = 'klic';

CREATE TABLE work_history (
  id       bigserial PRIMARY KEY,
  work_id  bigint NOT NULL,
  version  integer NOT NULL,
  at       timestamptz NOT NULL DEFAULT now(),
  user_id  integer REFERENCES app_user(id) ON DELETE SET NULL,
  org_id   integer REFERENCES organisation(id),
  action   text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
  changes  jsonb NOT NULL              -- created/deleted: the whole work; updated: {field: [old, new]}
);
CREATE INDEX work_history_work ON work_history (work_id, id);

-- Row security: an organisation's partners write their own organisation's works; history follows
-- the work (readable where the work is) and is written with it.
CREATE POLICY work_write ON work FOR INSERT WITH CHECK (samenhang_partner() AND owner_id = samenhang_org() AND source_kind = 'manual');
CREATE POLICY work_edit ON work FOR UPDATE
  USING (samenhang_partner() AND owner_id = samenhang_org()) WITH CHECK (samenhang_partner() AND owner_id = samenhang_org());
CREATE POLICY work_remove ON work FOR DELETE USING (samenhang_partner() AND owner_id = samenhang_org());
ALTER TABLE work_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE work_history FORCE ROW LEVEL SECURITY;
CREATE POLICY history_system ON work_history USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY history_write ON work_history FOR INSERT WITH CHECK (samenhang_partner() AND org_id = samenhang_org());
CREATE POLICY history_read ON work_history FOR SELECT USING (
  samenhang_partner() AND (org_id = samenhang_org() OR EXISTS (SELECT 1 FROM work w WHERE w.id = work_history.work_id)));
