-- Scale-out (issue 9 §4): import jobs and the walks' live feed work whichever API process a request
-- reaches. Until now a job lived in the memory of the process that received the upload
-- (decision 20), so GET /api/imports/:id, its events, /load and cancel failed on any other process.
--
-- import_job holds the job document the API answers with, and is also the work queue: `work` names
-- the step waiting to run (analyse or load); a process's worker claims it with
-- SELECT … FOR UPDATE SKIP LOCKED, sets claimed_by and keeps `heartbeat` fresh while it works. A
-- claim whose heartbeat stops (the process died) is failed by any other process (jobs/job-store.ts).
-- The data itself still only lands through loadSource's single transaction.
CREATE TABLE import_job (
  id                uuid PRIMARY KEY,
  user_id           integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,  -- who started it: only they see it
  -- the starter's row-security context (db/tenant-context.ts): a worker on another process reads
  -- stored mappings exactly as the starter may
  context           json NOT NULL,
  file_name         text NOT NULL,
  file_path         text NOT NULL,                     -- in the upload directory every API process shares
  epsg              integer,                           -- the analyst's CRS for a file without (or with a wrong) one
  state             text NOT NULL CHECK (state IN ('analysing', 'awaiting-mapping', 'loading', 'done', 'failed', 'cancelled')),
  job               json NOT NULL,                     -- the ImportJob document, its preview left out (null)
  preview           json,                              -- written once by the analysis; apart so progress writes stay small
  work              text CHECK (work IN ('analyse', 'load')),
  load_request      json,                              -- the analyst's mapping (POST /load)
  dataset_owner_id  integer REFERENCES organisation(id),
  claimed_by        text,                              -- host/pid/instance of the process working on it
  heartbeat         timestamptz,
  version           integer NOT NULL DEFAULT 1,        -- moves with every change of the document, state or queue
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((claimed_by IS NULL) = (heartbeat IS NULL))
);
CREATE INDEX import_job_queued ON import_job (updated_at) WHERE work IS NOT NULL AND claimed_by IS NULL;
CREATE INDEX import_job_claimed ON import_job (heartbeat) WHERE claimed_by IS NOT NULL;
CREATE INDEX import_job_user ON import_job (user_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON import_job TO samenhang_app;

-- The starter reads, loads and cancels their own jobs; workers, sweeps and streams act in the
-- system context.
ALTER TABLE import_job ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_job FORCE ROW LEVEL SECURITY;
CREATE POLICY import_job_system ON import_job USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY import_job_own ON import_job USING (user_id = samenhang_user()) WITH CHECK (user_id = samenhang_user());

-- NOTIFY samenhang_jobs at commit when a job changed (version moved): every process's listener
-- (db/change-listener.ts) passes it to its event streams, and `queued` wakes the workers. A
-- heartbeat does not move the version and sends nothing.
CREATE FUNCTION samenhang_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('samenhang_jobs', json_build_object(
    'id', NEW.id, 'state', NEW.state, 'queued', NEW.work IS NOT NULL AND NEW.claimed_by IS NULL)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER job_created AFTER INSERT ON import_job
  FOR EACH ROW EXECUTE FUNCTION samenhang_job_changed();
CREATE TRIGGER job_changed AFTER UPDATE ON import_job
  FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION samenhang_job_changed();

-- The walks' live feed (decision 62) across processes: a hotspot that arrives or changes (every
-- change takes the next seq) sends NOTIFY samenhang_walks '<walk id>' at commit; each process's
-- facilitator streams then read what is new from the table, as they already did on a local change.
-- Retention (names removed) does not move seq and announces nothing.
CREATE FUNCTION samenhang_hotspot_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('samenhang_walks', NEW.walk_id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER hotspot_live AFTER INSERT OR UPDATE OF seq ON hotspot
  FOR EACH ROW EXECUTE FUNCTION samenhang_hotspot_changed();
