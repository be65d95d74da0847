-- 040 costing: the cost ledger as imported by `costcover costs import` (one current set
-- of rows per year, replaced whole by a corrected file), the rows each import rejected
-- with their reasons, and the decisions of `costcover settle` per year and service (what
-- was settled with the agencies, what was carried into the next price proposal).
-- docs/costing-jobs.md explains the jobs.
--
-- Invariants:
-- - every import that committed has a cost_ledger_load row with rows_read = accepted +
--   rejected; a killed or failed import leaves nothing (its job_run says what happened);
-- - cost_ledger holds, for each year, exactly the accepted rows of that year's latest
--   load (the current load), so sum(amount) of a year equals its current load's total;
-- - cost_settlement holds the latest settle run of each year.

CREATE TABLE cost_ledger_load (
  id            bigserial PRIMARY KEY,
  job_run_id    bigint REFERENCES job_run (id),
  year          integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  file_name     text NOT NULL,               -- as given on the command line
  file_hash     text NOT NULL,               -- SHA-256 of the file's bytes
  file_bytes    bigint NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  rows_read     bigint NOT NULL,
  accepted      bigint NOT NULL,
  rejected      bigint NOT NULL,
  total         numeric(18,2) NOT NULL,      -- sum of the accepted amounts
  replaced_load_id bigint REFERENCES cost_ledger_load (id),  -- the year's previous current load
  CHECK (rows_read = accepted + rejected)
);
CREATE INDEX cost_ledger_load_year ON cost_ledger_load (year, id);

-- The current ledger rows of each year, one per accepted line of the current load.
CREATE TABLE cost_ledger (
  year          integer NOT NULL,
  load_id       bigint NOT NULL REFERENCES cost_ledger_load (id),
  line          bigint NOT NULL,             -- the row's line in the loaded file
  period        text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  cost_centre   text NOT NULL,
  account       text NOT NULL CHECK (account <> ''),
  amount        numeric(18,2) NOT NULL,
  PRIMARY KEY (load_id, line),
  CHECK (substr(period, 1, 4)::integer = year)
);
CREATE INDEX cost_ledger_year ON cost_ledger (year, cost_centre, account);

-- Rejected rows of every load (kept for loads that were later replaced, too). field names
-- the column at fault ('period', 'cost_centre', 'account', 'amount') or '-' for the whole
-- row (column count, CSV syntax, invalid UTF-8). Invalid UTF-8 bytes in raw are \xNN.
CREATE TABLE cost_ledger_reject (
  load_id       bigint NOT NULL REFERENCES cost_ledger_load (id),
  line          bigint NOT NULL,
  field         text NOT NULL,
  reason_code   text NOT NULL,
  reason        text NOT NULL,
  raw           text NOT NULL,
  PRIMARY KEY (load_id, line)
);

-- The latest `costcover settle` of each year, per service: the matching figures it used
-- and its decision. `prices propose --year YEAR` reads the carry_forward rows of YEAR and
-- puts their difference into the proposed prices of YEAR + 1.
CREATE TABLE cost_settlement (
  year          integer NOT NULL,
  service       text NOT NULL REFERENCES service (id),
  job_run_id    bigint REFERENCES job_run (id),
  ledger_load_id bigint REFERENCES cost_ledger_load (id),
  revenue       numeric(18,2) NOT NULL,      -- final invoice lines of the year, settlement lines excluded
  total_cost    numeric(18,2) NOT NULL,
  surplus       numeric(18,2) NOT NULL,      -- revenue - total_cost
  threshold     numeric(18,2) NOT NULL,
  decision      text NOT NULL CHECK (decision IN ('settle', 'carry_forward')),
  reason        text NOT NULL,
  settled       numeric(18,2) NOT NULL DEFAULT 0,  -- sum of the planned settlement lines (= -surplus when settled)
  PRIMARY KEY (year, service),
  CHECK (surplus = revenue - total_cost),
  CHECK (decision = 'carry_forward' OR settled = -surplus)
);

-- For auditors: each year's current ledger with the load it came from.
CREATE VIEW v_cost_ledger AS
SELECT c.year, c.period, c.cost_centre, c.account, c.amount, c.load_id, c.line, l.file_name, l.file_hash, l.loaded_at
  FROM cost_ledger c JOIN cost_ledger_load l ON l.id = c.load_id;
