-- 001 foundation: the reference data (catalog, agencies, price lists, agreement versions),
-- the business-day calendar, the daily volumes the nightly job counts, and job runs.
-- Money is NUMERIC(18,2), unit prices NUMERIC(18,4). Timestamps are timestamptz.

CREATE TABLE provider (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  business_id   text NOT NULL,
  vat_id        text,
  details       jsonb NOT NULL DEFAULT '{}'   -- address, e-invoice address, payment
);

CREATE TABLE service (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]+$'),
  position      integer NOT NULL,            -- catalog order = invoice line order
  name          text NOT NULL,
  unit          text NOT NULL,
  area          text NOT NULL CHECK (area IN ('finance', 'hr', 'other')),
  vat_category  text NOT NULL,
  vat_rate      numeric(5,2)
);

CREATE TABLE agency (
  id              text PRIMARY KEY CHECK (id ~ '^[A-Z0-9]+$'),
  name            text NOT NULL,
  business_id     text NOT NULL,
  branch          text NOT NULL,
  account_manager text,
  details         jsonb NOT NULL DEFAULT '{}'  -- address, e-invoice address, contacts
);

CREATE TABLE price_list (
  year          integer PRIMARY KEY,
  basis         text NOT NULL,
  source_file   text NOT NULL,
  content_hash  text NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE price_list_item (
  year          integer NOT NULL REFERENCES price_list (year) ON DELETE CASCADE,
  service       text NOT NULL REFERENCES service (id),
  unit_price    numeric(18,4) NOT NULL CHECK (unit_price >= 0),
  PRIMARY KEY (year, service)
);

-- Every version of every agreement, with the exact file text it came from: rating parses
-- source_text again, so a bill never depends on a file that can change afterwards.
CREATE TABLE agreement_version (
  agreement_id  text NOT NULL,
  version       integer NOT NULL CHECK (version > 0),
  client        text NOT NULL REFERENCES agency (id),
  valid_from    date NOT NULL,
  valid_to      date NOT NULL,
  signed_on     date,
  buyer_reference text NOT NULL,
  payment_terms_days integer NOT NULL,
  source_file   text NOT NULL,
  content_hash  text NOT NULL,
  source_text   text NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agreement_id, version),
  CHECK (valid_from <= valid_to)
);
CREATE INDEX agreement_version_client ON agreement_version (client, valid_from, valid_to);

-- Finnish business days, filled by the program from the pure holiday rules for a range
-- of years. business_ordinal counts business days up to and including the day, so the
-- business days d with a < d <= b number ordinal(b) - ordinal(a).
CREATE TABLE business_calendar (
  day              date PRIMARY KEY,
  is_business_day  boolean NOT NULL,
  holiday          text,
  business_ordinal integer NOT NULL
);

-- What the nightly job counted: per agency, service, Helsinki day, tag set and processing
-- time in business days. Rating reads these rows; invoice lines point back at them.
CREATE TABLE daily_volume (
  id                     bigserial UNIQUE,
  agency                 text NOT NULL,
  service                text NOT NULL,
  day                    date NOT NULL,
  tags                   text NOT NULL DEFAULT '',   -- sorted, ';'-separated
  business_days          integer NOT NULL,
  transactions           bigint NOT NULL,            -- delivered, not cancelled
  quantity               bigint NOT NULL,
  cancelled_transactions bigint NOT NULL DEFAULT 0,
  cancelled_quantity     bigint NOT NULL DEFAULT 0,
  counted_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency, service, day, tags, business_days)
);
CREATE INDEX daily_volume_day ON daily_volume (day, agency);

-- Every run of every job: what, with which parameters and inputs, when, how it ended.
CREATE TABLE job_run (
  id            bigserial PRIMARY KEY,
  job           text NOT NULL,
  parameters    jsonb NOT NULL DEFAULT '{}',
  inputs        jsonb NOT NULL DEFAULT '{}',     -- input files and their hashes
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  outcome       text NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
  row_counts    jsonb NOT NULL DEFAULT '{}',
  message       text
);
CREATE INDEX job_run_job ON job_run (job, started_at);
