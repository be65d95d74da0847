-- 061 billing readiness: whether a month may be billed, as one named function over the
-- ingest tables, billing_readiness(period, agency). `costcover bill` refuses to write
-- drafts unless both counts are 0 (or --force); `costcover finalize` warns with the first.
-- (Until this migration the same rules sat in the billing job's SQL text, which also
-- probed information_schema for an ingest_reject.resolved_at column that no migration
-- ever created; that probe is gone.) docs/invoicing.md, "The billing run", step 2.
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
-- resolved. A reject counts when each of the three questions below says "counts":
--
--   1. Is it of the period?
--      delivered_day read (the Helsinki day of its delivered_at) | counts when the day is in the period
--      delivered_day unreadable (NULL)                           | counts when the period is the Helsinki
--                                                                | month of its load's as_of, or the month before
--   2. Is it of the agency? (only with an agency A given; without one, every reject is)
--      agency = A                                                | counts
--      agency unreadable (NULL)                                  | counts
--      agency not the id of any agency                           | counts (nobody else will bill it)
--      agency of another known agency                            | does not count
--   3. Is it resolved?
--      a LATER load (load_id greater than the reject's) accepted | resolved: does not count (the corrected
--      a transaction with the same (source, txn_id)              | row was sent again)
--      otherwise: no load, the same load or an earlier one       | counts
--      (txn_id unreadable: nothing can match it)                 | counts
--
-- Accepted means a row of delivered_transaction, whether cancelled since or not. A
-- cancellation that was rejected and then sent again correctly does not resolve its
-- reject: a cancellation adds no row of its own (it marks the earlier one), whose load_id
-- is the load that delivered it.
--
-- STABLE: reads only; the caller's transaction decides what it sees.

CREATE FUNCTION billing_readiness(billing_period text, billing_agency text DEFAULT NULL)
RETURNS TABLE (uncounted_days bigint, unresolved_rejects bigint)
LANGUAGE sql STABLE AS $$
  SELECT
    (SELECT count(*) FROM ingest_dirty_day d
      WHERE d.day < (to_date(billing_period || '-01', 'YYYY-MM-DD') + interval '1 month')::date
        AND (billing_agency IS NULL OR d.agency = billing_agency)),
    (SELECT count(*) FROM ingest_reject r JOIN ingest_load l ON l.id = r.load_id
      WHERE (CASE WHEN r.delivered_day IS NOT NULL
                  THEN to_char(r.delivered_day, 'YYYY-MM') = billing_period
                  ELSE billing_period IN (to_char(l.as_of AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM'),
                                          to_char((l.as_of AT TIME ZONE 'Europe/Helsinki') - interval '1 month',
                                                  'YYYY-MM'))
             END)
        AND (billing_agency IS NULL OR r.agency IS NULL OR r.agency = billing_agency
             OR r.agency NOT IN (SELECT a.id FROM agency a))
        AND NOT EXISTS (SELECT 1 FROM delivered_transaction t
                         WHERE t.source = r.source AND t.txn_id = r.txn_id AND t.load_id > r.load_id))
$$;

COMMENT ON FUNCTION billing_readiness(text, text) IS
  'Whether month billing_period (YYYY-MM) may be billed, for one agency or all (NULL): the (agency, service, day) '
  'keys up to its last day that the nightly job has not counted, and its rejected rows nobody resolved. '
  'The decision table is in sql/061_billing_readiness.sql.';
