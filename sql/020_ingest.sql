-- 020 ingest: loads of delivered-transaction CSV files, the accepted transactions
-- (partitioned by the Helsinki month of delivered_at), the rejected rows with their
-- reasons, and the (agency, service, day) keys each load touched, which the nightly job
-- recounts. See docs/ingest.md for the rules.

-- One row per `costcover ingest` run that committed. A killed or failed load leaves no
-- row here (its job_run says what happened).
CREATE TABLE ingest_load (
  id            bigserial PRIMARY KEY,
  job_run_id    bigint REFERENCES job_run (id),
  source        text NOT NULL,
  file_name     text NOT NULL,
  file_bytes    bigint NOT NULL,
  as_of         timestamptz NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  rows_read     bigint NOT NULL DEFAULT 0,
  accepted      bigint NOT NULL DEFAULT 0,   -- new transactions + cancellations applied
  duplicates    bigint NOT NULL DEFAULT 0,
  rejected      bigint NOT NULL DEFAULT 0,
  cancellations bigint NOT NULL DEFAULT 0,   -- of the accepted, rows that cancelled one
  CHECK (rows_read = accepted + duplicates + rejected)
);
CREATE INDEX ingest_load_source ON ingest_load (source, loaded_at);

-- Accepted transactions. The key is (source, txn_id); it is unique across partitions
-- because the loader (under its advisory lock) checks every key against all partitions
-- before inserting. The primary key includes the partition key as PostgreSQL requires,
-- and serves the key lookups. delivered_day / received_day are the Helsinki local dates.
-- A cancellation does not delete: it records the load and line that cancelled the row.
CREATE TABLE delivered_transaction (
  source            text NOT NULL,
  txn_id            text NOT NULL,
  agency            text NOT NULL,
  service           text NOT NULL,
  received_at       timestamptz NOT NULL,
  delivered_at      timestamptz NOT NULL,
  received_day      date NOT NULL,
  delivered_day     date NOT NULL,
  quantity          integer NOT NULL CHECK (quantity > 0),
  tags              text NOT NULL DEFAULT '',  -- sorted, de-duplicated, ';'-separated
  load_id           bigint NOT NULL,           -- ingest_load that accepted it
  line              bigint NOT NULL,           -- its line in that load's file
  cancelled_load_id bigint,                    -- ingest_load whose row cancelled it
  cancelled_line    bigint,
  PRIMARY KEY (source, txn_id, delivered_day),
  CHECK (delivered_at >= received_at),
  CHECK ((cancelled_load_id IS NULL) = (cancelled_line IS NULL))
) PARTITION BY RANGE (delivered_day);
-- Files arrive roughly in delivery order, so a BRIN index finds a day's rows cheaply.
CREATE INDEX delivered_transaction_day ON delivered_transaction USING brin (delivered_day);

-- Creates the month partition holding `day` if it does not exist yet.
CREATE FUNCTION ingest_ensure_partition(day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', day)::date;
  name  text := format('delivered_transaction_%s', to_char(first, 'YYYY_MM'));
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF delivered_transaction FOR VALUES FROM (%L) TO (%L)',
                   name, first, (first + interval '1 month')::date);
  END IF;
END $$;

-- Rejected rows, each with its source, line, raw text and reason. Invalid UTF-8 bytes
-- (and NUL) in raw are written as \xNN.
CREATE TABLE ingest_reject (
  load_id      bigint NOT NULL REFERENCES ingest_load (id),
  source       text NOT NULL,
  line         bigint NOT NULL,
  reason_code  text NOT NULL,
  reason       text NOT NULL,
  raw          text NOT NULL,
  PRIMARY KEY (load_id, line)
);
CREATE INDEX ingest_reject_source ON ingest_reject (source, reason_code);

-- The (agency, service, Helsinki day) keys whose counts are stale: loads add the keys of
-- the rows they accepted or cancelled; the nightly job recounts them and removes them in
-- the same transaction.
CREATE TABLE ingest_dirty_day (
  agency    text NOT NULL,
  service   text NOT NULL,
  day       date NOT NULL,
  load_id   bigint NOT NULL,   -- the first load that touched it since the last count
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency, service, day)
);
CREATE INDEX ingest_dirty_day_day ON ingest_dirty_day (day);

-- The loader's staging table: one load at a time (under the advisory lock 'ingest') copies
-- its valid rows here, inside its transaction, and empties it again before committing.
-- UNLOGGED: it is never needed after a crash, and skipping WAL makes the COPY cheap.
CREATE UNLOGGED TABLE ingest_staging (
  line          bigint NOT NULL,
  byte_offset   bigint NOT NULL,
  byte_length   integer NOT NULL,
  txn_id        text NOT NULL,
  agency        text NOT NULL,
  service       text NOT NULL,
  received_at   timestamptz NOT NULL,
  delivered_at  timestamptz NOT NULL,
  received_day  date NOT NULL,
  delivered_day date NOT NULL,
  quantity      integer NOT NULL,
  tags          text NOT NULL,
  cancelled     boolean NOT NULL
);
