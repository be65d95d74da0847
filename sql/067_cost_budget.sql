-- 067 cost budget: the budget of a year, the costs the centre plans for it, as imported by
-- `costcover costs import --year Y --budget FILE.csv` (the cost ledger's CSV format). It is
-- what `costcover prices propose --year Y --budget` allocates to set the prices of Y before
-- Y starts. It is kept in its own tables, apart from the actual ledger (040_costing.sql):
-- the matching calculation and the settlement read cost_ledger only, so a budget can never
-- be taken for the books. The three tables mirror cost_ledger_load, cost_ledger and
-- cost_ledger_reject column for column, and the import keeps them the same way.
-- docs/costing-jobs.md explains the jobs.
--
-- Invariants:
-- - every budget import that committed has a cost_budget_load row with rows_read =
--   accepted + rejected; a killed or failed import leaves nothing (its job_run says what
--   happened);
-- - cost_budget holds, for each year, exactly the accepted rows of that year's latest
--   budget load (the current budget), so sum(amount) of a year equals its current load's
--   total; earlier loads and their rejects stay as history (replaced_load_id);
-- - a budget row's period is a month of its year.

CREATE TABLE cost_budget_load (
  id            bigserial PRIMARY KEY,
  job_run_id    bigint REFERENCES job_run (id),
  year          integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  file_name     text NOT NULL,
  file_hash     text NOT NULL,
  file_bytes    bigint NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  rows_read     bigint NOT NULL,
  accepted      bigint NOT NULL,
  rejected      bigint NOT NULL,
  total         numeric(18,2) NOT NULL,
  replaced_load_id bigint REFERENCES cost_budget_load (id),
  CHECK (rows_read = accepted + rejected)
);
CREATE INDEX cost_budget_load_year ON cost_budget_load (year, id);

CREATE TABLE cost_budget (
  year          integer NOT NULL,
  load_id       bigint NOT NULL REFERENCES cost_budget_load (id),
  line          bigint NOT NULL,
  period        text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  cost_centre   text NOT NULL,
  account       text NOT NULL CHECK (account <> ''),
  amount        numeric(18,2) NOT NULL,
  PRIMARY KEY (load_id, line),
  CHECK (substr(period, 1, 4)::integer = year)
);
CREATE INDEX cost_budget_year ON cost_budget (year, cost_centre, account);

CREATE TABLE cost_budget_reject (
  load_id       bigint NOT NULL REFERENCES cost_budget_load (id),
  line          bigint NOT NULL,
  field         text NOT NULL,
  reason_code   text NOT NULL,
  reason        text NOT NULL,
  raw           text NOT NULL,
  PRIMARY KEY (load_id, line)
);

-- For auditors: each year's current budget with the load it came from.
CREATE VIEW v_cost_budget AS
SELECT b.year, b.period, b.cost_centre, b.account, b.amount, b.load_id, b.line, l.file_name, l.file_hash, l.loaded_at
  FROM cost_budget b JOIN cost_budget_load l ON l.id = b.load_id;

COMMENT ON TABLE cost_budget_load IS
  'one row per budget import that committed (costcover costs import --year Y --budget FILE.csv); the latest row of a year is its current budget';
COMMENT ON COLUMN cost_budget_load.job_run_id IS 'the costs import run that loaded it';
COMMENT ON COLUMN cost_budget_load.year IS 'the budget''s year: every accepted row is a month of it';
COMMENT ON COLUMN cost_budget_load.file_name IS 'the file as given on the command line';
COMMENT ON COLUMN cost_budget_load.file_hash IS 'SHA-256 of the file''s bytes (the same file again is not loaded again)';
COMMENT ON COLUMN cost_budget_load.file_bytes IS 'size of the file in bytes';
COMMENT ON COLUMN cost_budget_load.loaded_at IS 'when the import wrote the row';
COMMENT ON COLUMN cost_budget_load.rows_read IS 'rows after the header: accepted + rejected';
COMMENT ON COLUMN cost_budget_load.accepted IS 'rows stored in cost_budget';
COMMENT ON COLUMN cost_budget_load.rejected IS 'rows stored in cost_budget_reject';
COMMENT ON COLUMN cost_budget_load.total IS 'sum of the accepted amounts, euros';
COMMENT ON COLUMN cost_budget_load.replaced_load_id IS 'the year''s previous current budget load, which this one replaced';

COMMENT ON TABLE cost_budget IS
  'the current budget of each year: the accepted rows of its latest cost_budget_load; never read by the matching calculation or the settlement';
COMMENT ON COLUMN cost_budget.year IS 'the budget''s year';
COMMENT ON COLUMN cost_budget.load_id IS 'the load the row came from (the year''s latest)';
COMMENT ON COLUMN cost_budget.line IS 'the row''s line in the loaded file (the header is line 1)';
COMMENT ON COLUMN cost_budget.period IS 'YYYY-MM, a month of year';
COMMENT ON COLUMN cost_budget.cost_centre IS 'a cost centre of the cost model of year';
COMMENT ON COLUMN cost_budget.account IS 'the account as written in the file';
COMMENT ON COLUMN cost_budget.amount IS 'planned euros, negative for a planned credit';

COMMENT ON TABLE cost_budget_reject IS
  'the rows each budget import rejected, with the field at fault and the reason (kept for replaced loads too)';
COMMENT ON COLUMN cost_budget_reject.load_id IS 'the load that rejected the row';
COMMENT ON COLUMN cost_budget_reject.line IS 'the row''s line in the loaded file';
COMMENT ON COLUMN cost_budget_reject.field IS 'period, cost_centre, account, amount, or - for the whole row';
COMMENT ON COLUMN cost_budget_reject.reason_code IS 'the reason''s code (docs/costing-jobs.md lists them)';
COMMENT ON COLUMN cost_budget_reject.reason IS 'the reason for people, quoting the value';
COMMENT ON COLUMN cost_budget_reject.raw IS 'the row as read; invalid UTF-8 bytes as \xNN';

COMMENT ON VIEW v_cost_budget IS 'each year''s current budget with the load, file and hash it came from';
