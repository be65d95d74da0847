-- 060 ingest rules: the key rules of a load (docs/ingest.md, "Key rules") as one named
-- SQL function, ingest_key_outcome(), over the load's special rows, which move from a
-- temporary table to the unlogged table ingest_special so that the function can name them.
--
-- Input, one row per special row of the load (ingest_special, filled by the loader under
-- the advisory lock 'ingest' and emptied at the start and the end of every load): the
-- staged row as ingest_staging has it, whether the repeat filter flagged its key
-- (`repeated`), and the stored transaction of its key (e_*: found first in the partition
-- of the row's own day, then in the others; e_exists false when there is none).
-- Output: the same rows with an outcome and, for a reject, the reason the loader stores.
--
-- For one key, in line order. The reference is the stored transaction, else the key's
-- first delivered row in the file (ref_line). "Same content" compares agency, service,
-- received_at, delivered_at, quantity and tags; the first field that differs is named.
--
-- | row       | stored (e_exists) | where in the file                       | outcome              | reason |
-- |-----------|-------------------|-----------------------------------------|----------------------|--------|
-- | delivered | yes               | same content as the stored one          | duplicate            |        |
-- | delivered | yes               | other content                           | conflict             | conflicting duplicate: txn_id "X" was accepted in load L (line N) with a different F |
-- | delivered | no                | the key's first delivered row           | accepted             |        |
-- | delivered | no                | later, same content as the first        | duplicate            |        |
-- | delivered | no                | later, other content                    | conflict             | conflicting duplicate: txn_id "X" was accepted from line R of this file with a different F |
-- | cancelled | yes or no         | before the key's first delivered row    | unknown_cancellation | cancellation before its transaction: txn_id "X" is delivered after it, at line R of this file |
-- | cancelled | no                | no delivered row of the key in the file | unknown_cancellation | cancellation of unknown transaction: no earlier row or load delivered txn_id "X" |
-- | cancelled | yes, not cancelled| the first cancellation after the reference | cancels           |        |
-- | cancelled | no                | the first cancellation after ref_line   | cancels              |        |
-- | cancelled | yes or no         | a later cancellation                    | duplicate            |        |
-- | cancelled | yes, cancelled    | the first cancellation                  | duplicate            |        |
--
-- F is one of agency, service, received_at, delivered_at, quantity, tags (the first that
-- differs, in that order). A delivered row for a stored, cancelled key with the same
-- content is a duplicate (it does not revive it).
--
-- Plan: keys the repeat filter flagged go through window functions (one sort by key, the
-- next level sharing it); keys with one row (most of a re-delivery) are judged row by row
-- (UNION ALL), with no window. The function is LANGUAGE sql, STABLE, not STRICT and a
-- single SELECT, so PostgreSQL inlines it into the calling statement and plans it afresh
-- each load, as the statement it replaces was (no cached generic plan).

-- The special rows of the load in progress: cancellations, keys the repeat filter flagged,
-- keys already stored. UNLOGGED: never needed after a crash. One load at a time writes it
-- (advisory lock 'ingest'), inside its transaction; it is empty between loads.
-- Its first columns are ingest_staging's, in the same order (the staged row).
CREATE UNLOGGED TABLE ingest_special (
  LIKE ingest_staging,
  repeated      boolean NOT NULL,
  e_exists      boolean NOT NULL,
  e_cancelled   boolean NOT NULL,
  e_agency      text,
  e_service     text,
  e_received_at timestamptz,
  e_delivered_at timestamptz,
  e_quantity    integer,
  e_tags        text,
  e_day         date,
  e_load_id     bigint,
  e_line        bigint
);
COMMENT ON TABLE ingest_special IS
  'The special rows of the load in progress (cancellations, keys repeated in the file, keys already stored), each with the stored transaction of its key; input of ingest_key_outcome(); empty between loads';
COMMENT ON COLUMN ingest_special.line IS 'physical line of the row in the file (the header is line 1)';
COMMENT ON COLUMN ingest_special.byte_offset IS 'byte offset of the row in the file; -1 for a row moved back from a new month table';
COMMENT ON COLUMN ingest_special.byte_length IS 'bytes of the row in the file (0 when byte_offset is -1)';
COMMENT ON COLUMN ingest_special.txn_id IS 'the row''s txn_id: with the load''s source, the key';
COMMENT ON COLUMN ingest_special.agency IS 'the row''s agency';
COMMENT ON COLUMN ingest_special.service IS 'the row''s service';
COMMENT ON COLUMN ingest_special.received_at IS 'the row''s received_at';
COMMENT ON COLUMN ingest_special.delivered_at IS 'the row''s delivered_at';
COMMENT ON COLUMN ingest_special.received_day IS 'Helsinki day of received_at';
COMMENT ON COLUMN ingest_special.delivered_day IS 'Helsinki day of delivered_at';
COMMENT ON COLUMN ingest_special.quantity IS 'the row''s quantity';
COMMENT ON COLUMN ingest_special.tags IS 'the row''s tags, normalised';
COMMENT ON COLUMN ingest_special.cancelled IS 'status cancelled (else delivered)';
COMMENT ON COLUMN ingest_special.repeated IS 'the repeat filter flagged the key: it may have other rows in the file';
COMMENT ON COLUMN ingest_special.e_exists IS 'the key has a stored transaction (the e_* columns are its values)';
COMMENT ON COLUMN ingest_special.e_cancelled IS 'the stored transaction is cancelled';
COMMENT ON COLUMN ingest_special.e_agency IS 'agency of the stored transaction';
COMMENT ON COLUMN ingest_special.e_service IS 'service of the stored transaction';
COMMENT ON COLUMN ingest_special.e_received_at IS 'received_at of the stored transaction';
COMMENT ON COLUMN ingest_special.e_delivered_at IS 'delivered_at of the stored transaction';
COMMENT ON COLUMN ingest_special.e_quantity IS 'quantity of the stored transaction';
COMMENT ON COLUMN ingest_special.e_tags IS 'tags of the stored transaction';
COMMENT ON COLUMN ingest_special.e_day IS 'delivered_day of the stored transaction (its partition)';
COMMENT ON COLUMN ingest_special.e_load_id IS 'ingest_load that accepted the stored transaction';
COMMENT ON COLUMN ingest_special.e_line IS 'line of the stored transaction in that load''s file';

CREATE FUNCTION ingest_key_outcome()
RETURNS TABLE (
  line bigint, byte_offset bigint, byte_length integer, txn_id text, agency text, service text,
  received_at timestamptz, delivered_at timestamptz, received_day date, delivered_day date, quantity integer,
  tags text, cancelled boolean, e_exists boolean, e_agency text, e_service text, e_day date,
  outcome text, reason text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  -- For a key with several rows: its first delivered row in the file is the first of its
  -- window ordered by (cancelled, line), as delivered rows sort first. (The c_* of a key
  -- with cancellations only are never used: they matter for delivered rows alone.)
  WITH multi_reference AS (
    SELECT p.*,
      min(p.line) FILTER (WHERE NOT p.cancelled) OVER (PARTITION BY p.txn_id) AS ref_line,
      CASE WHEN p.e_exists THEN p.e_agency ELSE first_value(p.agency) OVER w END AS c_agency,
      CASE WHEN p.e_exists THEN p.e_service ELSE first_value(p.service) OVER w END AS c_service,
      CASE WHEN p.e_exists THEN p.e_received_at ELSE first_value(p.received_at) OVER w END AS c_received_at,
      CASE WHEN p.e_exists THEN p.e_delivered_at ELSE first_value(p.delivered_at) OVER w END AS c_delivered_at,
      CASE WHEN p.e_exists THEN p.e_quantity ELSE first_value(p.quantity) OVER w END AS c_quantity,
      CASE WHEN p.e_exists THEN p.e_tags ELSE first_value(p.tags) OVER w END AS c_tags
    FROM ingest_special p WHERE p.repeated
    WINDOW w AS (PARTITION BY p.txn_id ORDER BY p.cancelled, p.line)
  ), reference AS (
    SELECT f.*, min(f.line) FILTER (WHERE f.cancelled AND f.line > coalesce(f.ref_line,
        CASE WHEN f.e_exists THEN 0 ELSE 9223372036854775807 END)) OVER (PARTITION BY f.txn_id) AS first_cancel
    FROM multi_reference f
    UNION ALL
    -- A key with one row: its reference is the stored transaction or the row itself, and a
    -- cancellation is its only one.
    SELECT p.*, CASE WHEN NOT p.cancelled THEN p.line END,
      CASE WHEN p.e_exists THEN p.e_agency ELSE p.agency END,
      CASE WHEN p.e_exists THEN p.e_service ELSE p.service END,
      CASE WHEN p.e_exists THEN p.e_received_at ELSE p.received_at END,
      CASE WHEN p.e_exists THEN p.e_delivered_at ELSE p.delivered_at END,
      CASE WHEN p.e_exists THEN p.e_quantity ELSE p.quantity END,
      CASE WHEN p.e_exists THEN p.e_tags ELSE p.tags END,
      CASE WHEN p.cancelled AND p.e_exists THEN p.line END
    FROM ingest_special p WHERE NOT p.repeated
  ), ranked AS (
    SELECT f.*,
      CASE WHEN f.agency <> f.c_agency THEN 'agency' WHEN f.service <> f.c_service THEN 'service'
        WHEN f.received_at <> f.c_received_at THEN 'received_at'
        WHEN f.delivered_at <> f.c_delivered_at THEN 'delivered_at'
        WHEN f.quantity <> f.c_quantity THEN 'quantity' WHEN f.tags <> f.c_tags THEN 'tags' END AS differs
    FROM reference f
  )
  SELECT line, byte_offset, byte_length, txn_id, agency, service, received_at, delivered_at, received_day,
    delivered_day, quantity, tags, cancelled, e_exists, e_agency, e_service, e_day,
    CASE
      WHEN NOT cancelled AND e_exists THEN CASE WHEN differs IS NULL THEN 'duplicate' ELSE 'conflict' END
      WHEN NOT cancelled AND line = ref_line THEN 'accepted'
      WHEN NOT cancelled THEN CASE WHEN differs IS NULL THEN 'duplicate' ELSE 'conflict' END
      WHEN line < ref_line OR (ref_line IS NULL AND NOT e_exists) THEN 'unknown_cancellation'
      WHEN line = first_cancel AND NOT e_cancelled THEN 'cancels'
      ELSE 'duplicate'
    END AS outcome,
    CASE
      WHEN NOT cancelled AND e_exists AND differs IS NOT NULL THEN format(
        'conflicting duplicate: txn_id "%s" was accepted in load %s (line %s) with a different %s',
        txn_id, e_load_id, e_line, differs)
      WHEN NOT cancelled AND NOT e_exists AND line <> ref_line AND differs IS NOT NULL THEN format(
        'conflicting duplicate: txn_id "%s" was accepted from line %s of this file with a different %s',
        txn_id, ref_line, differs)
      WHEN cancelled AND line < ref_line THEN format(
        'cancellation before its transaction: txn_id "%s" is delivered after it, at line %s of this file',
        txn_id, ref_line)
      WHEN cancelled AND ref_line IS NULL AND NOT e_exists THEN format(
        'cancellation of unknown transaction: no earlier row or load delivered txn_id "%s"', txn_id)
    END AS reason
  FROM ranked
$$;
COMMENT ON FUNCTION ingest_key_outcome() IS
  'The key rules of a load over ingest_special: each row''s outcome (accepted, duplicate, conflict, cancels, unknown_cancellation) and a reject''s reason; decision table in sql/060_ingest_rules.sql';
