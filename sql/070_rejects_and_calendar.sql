-- 070 rejects and calendar: the finance office's decisions on rejected rows
-- (`costcover rejects resolve`), billing_readiness() counting only the rejects nobody
-- resolved, and credit notes without a due date. docs/ingest.md, "Rejects and their
-- decisions"; docs/invoicing.md, "The billing run" and "Issue and due dates".

-- One decision per rejected row, kept for ever: a decision is never changed or removed
-- (the triggers below refuse UPDATE and DELETE), and a second decision on the same row is
-- refused by the primary key: a wrong decision stays visible with its note, who made it
-- and when. Who: the operating-system user that ran costcover (os_user) and the
-- database role of its session (db_user); when: the transaction's now().
--   resolution  | means                                              | needs
--   redelivered | the corrected row came in a later load             | redelivered_load_id: a later load that
--               |                                                    | accepted the same (source, txn_id)
--   waived      | nothing will come; the month is billed without it | a note saying why
CREATE TABLE reject_resolution (
  load_id             bigint NOT NULL,
  line                bigint NOT NULL,
  resolution          text NOT NULL CHECK (resolution IN ('redelivered', 'waived')),
  note                text NOT NULL,
  redelivered_load_id bigint REFERENCES ingest_load (id),
  os_user             text NOT NULL,
  db_user             text NOT NULL DEFAULT session_user,
  resolved_at         timestamptz NOT NULL DEFAULT now(),
  job_run_id          bigint NOT NULL REFERENCES job_run (id),
  PRIMARY KEY (load_id, line),
  FOREIGN KEY (load_id, line) REFERENCES ingest_reject (load_id, line),
  CHECK (resolution <> 'waived' OR btrim(note) <> ''),
  CHECK ((resolution = 'redelivered') = (redelivered_load_id IS NOT NULL)),
  CHECK (redelivered_load_id IS NULL OR redelivered_load_id > load_id)
);
COMMENT ON TABLE reject_resolution IS
  'The recorded decision on a rejected row (ingest_reject), one per row, never changed: see sql/070.';

CREATE FUNCTION reject_resolution_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'reject_resolution of load % line % is kept as recorded: a decision is never changed or removed (%)',
    OLD.load_id, OLD.line, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER reject_resolution_no_update BEFORE UPDATE OR DELETE ON reject_resolution
  FOR EACH ROW EXECUTE FUNCTION reject_resolution_immutable();

-- Question 1 of billing_readiness (below), shared with `costcover rejects list --period`:
-- whether a reject is of the month `period` (YYYY-MM).
--   delivered_day read      | of the period when the day is in it
--   delivered_day NULL      | of the period when it is the Helsinki month of the load's
--                           | as_of, or the month before
CREATE FUNCTION reject_of_period(delivered_day date, load_as_of timestamptz, period text)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN delivered_day IS NOT NULL
              THEN to_char(delivered_day, 'YYYY-MM') = period
              ELSE period IN (to_char(load_as_of AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM'),
                              to_char((load_as_of AT TIME ZONE 'Europe/Helsinki') - interval '1 month', 'YYYY-MM'))
         END
$$;

-- The first later load that accepted a transaction with the reject's (source, txn_id):
-- question 3's "resolved by a later load", shared with `rejects list` and `rejects resolve`.
CREATE FUNCTION reject_redelivered_by(source text, txn_id text, load_id bigint)
RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT min(t.load_id) FROM delivered_transaction t
   WHERE t.source = reject_redelivered_by.source AND t.txn_id = reject_redelivered_by.txn_id
     AND t.load_id > reject_redelivered_by.load_id
$$;

-- 061 billing readiness, replaced: the same signature and the same counts, and a reject
-- with a recorded decision (reject_resolution) no longer counts. `costcover bill` refuses
-- to write drafts while uncounted_days > 0 (always: --force does not override it) or
-- unresolved_rejects > 0 (unless --force); `costcover finalize` warns with the first.
-- docs/invoicing.md, "The billing run", step 2.
--
-- uncounted_days: the (agency, service, day) keys that loads marked in ingest_dirty_day
-- and the nightly job has not counted yet.
--
--   the dirty key's day            | its agency (agency A given) | counts
--   -------------------------------+-----------------------------+-------
--   up to the period's last day    | A                           | yes
--   (earlier months included: they | another agency              | no
--   feed yearly windows and        | (no agency given)           | yes
--   corrections)                   |                             |
--   after the period               | any                         | no
--
-- unresolved_rejects: the rejected rows (ingest_reject) of the period that nobody
-- resolved. A reject counts when each of the four questions below says "counts":
--
--   1. Is it of the period? (reject_of_period)
--      delivered_day read (the Helsinki day of its delivered_at) | counts when the day is in the period
--      delivered_day unreadable (NULL)                           | counts when the period is the Helsinki
--                                                                | month of its load's as_of, or the month before
--   2. Is it of the agency? (only with an agency A given; without one, every reject is)
--      agency = A                                                | counts
--      agency unreadable (NULL)                                  | counts
--      agency not the id of any agency                           | counts (nobody else will bill it)
--      agency of another known agency                            | does not count
--   3. Was it sent again? (the rule of reject_redelivered_by)
--      a LATER load (load_id greater than the reject's) accepted | resolved: does not count (the corrected
--      a transaction with the same (source, txn_id)              | row was sent again)
--      otherwise: no load, the same load or an earlier one       | counts
--      (txn_id unreadable: nothing can match it)                 | counts
--   4. Is there a recorded decision? (reject_resolution)
--      yes: redelivered or waived                                | resolved: does not count
--      no                                                        | counts
--
-- Accepted means a row of delivered_transaction, whether cancelled since or not. A
-- cancellation that was rejected and then sent again correctly does not resolve its
-- reject by question 3: a cancellation adds no row of its own (it marks the earlier one),
-- whose load_id is the load that delivered it; such a reject is resolved by a decision.
--
-- STABLE: reads only; the caller's transaction decides what it sees.
CREATE OR REPLACE FUNCTION billing_readiness(billing_period text, billing_agency text DEFAULT NULL)
RETURNS TABLE (uncounted_days bigint, unresolved_rejects bigint)
LANGUAGE sql STABLE AS $$
  SELECT
    (SELECT count(*) FROM ingest_dirty_day d
      WHERE d.day < (to_date(billing_period || '-01', 'YYYY-MM-DD') + interval '1 month')::date
        AND (billing_agency IS NULL OR d.agency = billing_agency)),
    (SELECT count(*) FROM ingest_reject r JOIN ingest_load l ON l.id = r.load_id
      WHERE reject_of_period(r.delivered_day, l.as_of, billing_period)
        AND (billing_agency IS NULL OR r.agency IS NULL OR r.agency = billing_agency
             OR r.agency NOT IN (SELECT a.id FROM agency a))
        AND NOT EXISTS (SELECT 1 FROM delivered_transaction t
                         WHERE t.source = r.source AND t.txn_id = r.txn_id AND t.load_id > r.load_id)
        AND NOT EXISTS (SELECT 1 FROM reject_resolution x WHERE x.load_id = r.load_id AND x.line = r.line))
$$;

COMMENT ON FUNCTION billing_readiness(text, text) IS
  'Whether month billing_period (YYYY-MM) may be billed, for one agency or all (NULL): the (agency, service, day) '
  'keys up to its last day that the nightly job has not counted, and its rejected rows nobody resolved (neither '
  'sent again in a later load nor decided in reject_resolution). The decision table is in '
  'sql/070_rejects_and_calendar.sql (first in sql/061_billing_readiness.sql).';

-- A credit note has no due date: nothing is to be paid by a day. 030's CHECK tied every
-- final document to a due date and was declared without a name: find it by its
-- definition (exactly one), drop it and put its rule back with the credit note's case.
--   status | kind        | number, issue_date | due_date
--   draft  | any         | null               | null
--   final  | invoice     | set                | set
--   final  | credit_note | set                | null (credit notes finalised before 070 keep the due
--          |             |                    | date they were given: a final document never changes)
DO $$
DECLARE
  found text[];
BEGIN
  SELECT array_agg(conname) INTO found FROM pg_constraint
   WHERE conrelid = 'invoice'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%status = ''final''%due_date IS NOT NULL%';
  IF coalesce(cardinality(found), 0) <> 1 THEN
    RAISE EXCEPTION 'migration 070: expected one CHECK tying final invoices to a due date, found %',
      coalesce(found, '{}');
  END IF;
  EXECUTE format('ALTER TABLE invoice DROP CONSTRAINT %I', found[1]);
END $$;

ALTER TABLE invoice
  ADD CONSTRAINT invoice_final_fields CHECK (
    (status = 'draft' AND number IS NULL AND issue_date IS NULL AND due_date IS NULL)
    OR (status = 'final' AND number IS NOT NULL AND issue_date IS NOT NULL
        AND (kind = 'credit_note' OR due_date IS NOT NULL)));
