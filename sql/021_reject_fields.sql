-- 021 reject fields: what a rejected row said, as far as it could be read, so that billing
-- and auditors need not re-parse `raw`: its txn_id, its agency (as written, known or not)
-- and the Helsinki day of its delivered_at. Each is NULL when the row did not give it
-- (broken quoting, wrong column count, invalid UTF-8 in the field, an unreadable
-- timestamp). See docs/ingest.md, "Rejects".
ALTER TABLE ingest_reject
  ADD COLUMN txn_id        text,
  ADD COLUMN agency        text,
  ADD COLUMN delivered_day date;

-- Rows rejected before this migration are read from `raw` the way billing read them until
-- now: split on commas (a quoted field holding a comma misleads it), the date part of the
-- fifth field as written where it is a real date.
CREATE FUNCTION pg_temp.real_date(text) RETURNS date LANGUAGE plpgsql AS $$
BEGIN
  RETURN to_date($1, 'YYYY-MM-DD');
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
UPDATE ingest_reject
   SET txn_id = nullif(split_part(raw, ',', 1), ''),
       agency = nullif(split_part(raw, ',', 2), ''),
       delivered_day = CASE WHEN split_part(raw, ',', 5) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
                            THEN pg_temp.real_date(substr(split_part(raw, ',', 5), 1, 10)) END;

CREATE INDEX ingest_reject_txn ON ingest_reject (source, txn_id);
