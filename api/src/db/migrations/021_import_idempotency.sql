-- Idempotent imports (issue 10): POST /api/imports may carry an Idempotency-Key header. The key
-- names one import journey of one user (upload → analysis → mapping → load): the same key again
-- answers with the job that already holds it instead of loading the file a second time.
--
-- A key belongs to at most one LIVE attempt per user: the unique index leaves failed and cancelled
-- jobs out, so an attempt that failed (or whose process died: its lease expired and the job was
-- failed) does not poison the key, and a retry with the same key runs the import anew. The key is
-- remembered as long as the job row (jobs/job-store.ts forgetOldJobs: 7 days after it ended).
ALTER TABLE import_job ADD COLUMN idempotency_key text
  CHECK (idempotency_key IS NULL OR (length(idempotency_key) BETWEEN 1 AND 200));

CREATE UNIQUE INDEX import_job_idempotency ON import_job (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL AND state NOT IN ('failed', 'cancelled');
-- the latest attempt under a key, whatever its state (also the failed ones the index leaves out)
CREATE INDEX import_job_key_attempts ON import_job (user_id, idempotency_key, created_at DESC)
  WHERE idempotency_key IS NOT NULL;
