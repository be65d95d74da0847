-- 050 job runs know their lock: which advisory lock a run held and which database
-- backend ran it. While a job holds its lock no other run of that lock can be alive, so
-- the job marks every 'running' row of its lock 'interrupted' when it takes the lock:
-- a run killed (or cut off from the database) before it closed its row. The outcome
-- 'succeeded' is written in the job's own transaction, so it is there exactly when the
-- job's writes are.

ALTER TABLE job_run
  ADD COLUMN lock_name text,
  ADD COLUMN backend_pid integer;

-- Runs recorded before: the lock each job took, and the pid kept in row_counts.
UPDATE job_run SET
  lock_name = CASE
    WHEN job IN ('bill', 'finalize', 'credit', 'settle', 'contracts load') THEN 'invoices'
    WHEN job IN ('costs import', 'prices propose') THEN 'costs'
    ELSE job END,
  backend_pid = CASE WHEN row_counts ? 'pid' THEN (row_counts->>'pid')::int END;

CREATE INDEX job_run_running ON job_run (lock_name) WHERE outcome = 'running';
