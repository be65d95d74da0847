-- 030 invoicing: invoices (draft -> final), their lines, the lineage from each line to
-- the daily volumes it rated, the gap-free number counter, and the triggers that make a
-- final invoice immutable whatever client is used. docs/invoicing.md explains the rules.
--
-- Invariants:
-- - a draft has no number, issue or due date; a final invoice has all three;
-- - numbers are 'YYYY-NNNNNN', gap-free per year of the issue date, handed out only by
--   `costcover finalize` / `costcover credit` under a row lock on invoice_counter;
-- - one invoice holds either only VAT category O lines (vat_group 'O') or only lines
--   subject to VAT (vat_group 'VAT'): EN 16931 forbids O with other categories;
-- - nothing of a final invoice (row, lines, VAT breakdown, lineage) is ever updated or
--   deleted: the triggers below raise an error.

CREATE TABLE invoice_counter (
  year         integer PRIMARY KEY,
  last_number  integer NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

CREATE TABLE invoice (
  id                  bigserial PRIMARY KEY,
  status              text NOT NULL CHECK (status IN ('draft', 'final')),
  kind                text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
  number              text UNIQUE CHECK (number ~ '^[0-9]{4}-[0-9]{6}$'),
  agency              text NOT NULL REFERENCES agency (id),
  period              text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  vat_group           text NOT NULL CHECK (vat_group IN ('O', 'VAT')),
  issue_date          date,
  due_date            date,
  payment_terms_days  integer NOT NULL CHECK (payment_terms_days >= 0),
  buyer_reference     text NOT NULL,
  agreement_id        text,
  agreement_version   integer,
  currency            text NOT NULL DEFAULT 'EUR',
  net_total           numeric(18,2) NOT NULL,
  vat_total           numeric(18,2) NOT NULL,
  gross_total         numeric(18,2) NOT NULL,
  credited_invoice_id bigint REFERENCES invoice (id),
  credit_reason       text,
  job_run_id          bigint REFERENCES job_run (id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  finalized_at        timestamptz,
  CHECK ((status = 'draft' AND number IS NULL AND issue_date IS NULL AND due_date IS NULL)
      OR (status = 'final' AND number IS NOT NULL AND issue_date IS NOT NULL AND due_date IS NOT NULL)),
  CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)),
  CHECK (kind = 'invoice' OR credit_reason IS NOT NULL),
  CHECK (gross_total = net_total + vat_total),
  FOREIGN KEY (agreement_id, agreement_version) REFERENCES agreement_version (agreement_id, version)
);
CREATE INDEX invoice_period ON invoice (period, agency);
CREATE UNIQUE INDEX invoice_one_draft ON invoice (agency, period, vat_group) WHERE status = 'draft' AND kind = 'invoice';
CREATE UNIQUE INDEX invoice_one_credit_note ON invoice (credited_invoice_id) WHERE kind = 'credit_note';

CREATE TABLE invoice_line (
  invoice_id          bigint NOT NULL REFERENCES invoice (id) ON DELETE CASCADE,
  line_no             integer NOT NULL CHECK (line_no > 0),
  kind                text NOT NULL CHECK (kind IN ('usage', 'over_limit', 'true_up', 'fee', 'charge',
                                                    'sla_credit', 'correction', 'settlement')),
  service             text REFERENCES service (id),
  description         text NOT NULL,
  quantity            bigint NOT NULL,
  unit_price          numeric(18,4) NOT NULL,
  amount              numeric(18,2) NOT NULL,
  exact_amount        numeric(24,6) NOT NULL,
  vat_category        text NOT NULL CHECK (vat_category IN ('S', 'Z', 'E', 'AE', 'O')),
  vat_rate            numeric(5,2),
  agreement_id        text,
  agreement_version   integer,
  price_source        text NOT NULL,          -- 'list 2027', 'agreement', 'tier 2', 'exception EX-3', ...
  exception_id        text,
  exception_reason    text,
  days_from           date,
  days_to             date,
  corrects_invoice_id bigint REFERENCES invoice (id),
  corrected_kind      text,                   -- correction lines: the kind of line they correct
  PRIMARY KEY (invoice_id, line_no),
  CHECK (vat_category <> 'O' OR vat_rate IS NULL),
  CHECK (kind <> 'correction' OR corrects_invoice_id IS NOT NULL),
  FOREIGN KEY (agreement_id, agreement_version) REFERENCES agreement_version (agreement_id, version)
);
CREATE INDEX invoice_line_corrects ON invoice_line (corrects_invoice_id) WHERE corrects_invoice_id IS NOT NULL;

-- VAT per invoice and category, computed on the category's net sum (EN 16931).
CREATE TABLE invoice_vat (
  invoice_id    bigint NOT NULL REFERENCES invoice (id) ON DELETE CASCADE,
  vat_category  text NOT NULL,
  vat_rate      numeric(5,2),
  net_amount    numeric(18,2) NOT NULL,
  vat_amount    numeric(18,2) NOT NULL
);
CREATE UNIQUE INDEX invoice_vat_key ON invoice_vat (invoice_id, vat_category, coalesce(vat_rate, -1));

-- Lineage: the daily volumes a usage, over_limit, correction or credit line rated, by the
-- daily_volume KEY (agency, service, day, tags, business_days: it survives a recount by
-- the nightly job), the id the row had, and the units of it on the line (negative on a
-- correction that takes units back). One row per line with parallel arrays, element i
-- being one daily volume: a month of 1,000 agencies has a million of them, and one row
-- per line keeps the billing run's writes small. v_invoice_line_volume unnests them.
CREATE TABLE invoice_line_volume (
  invoice_id        bigint NOT NULL,
  line_no           integer NOT NULL,
  agency            text NOT NULL,
  service           text NOT NULL,
  days              date[] NOT NULL,
  tags              text[] NOT NULL,
  business_days     integer[] NOT NULL,
  quantities        bigint[] NOT NULL,
  daily_volume_ids  bigint[] NOT NULL,
  PRIMARY KEY (invoice_id, line_no),
  FOREIGN KEY (invoice_id, line_no) REFERENCES invoice_line (invoice_id, line_no) ON DELETE CASCADE,
  CHECK (cardinality(days) = cardinality(tags) AND cardinality(days) = cardinality(business_days)
     AND cardinality(days) = cardinality(quantities) AND cardinality(days) = cardinality(daily_volume_ids))
);

CREATE VIEW v_invoice_line_volume AS
SELECT v.invoice_id, v.line_no, v.agency, v.service, u.day, u.tags, u.business_days, u.quantity,
       nullif(u.daily_volume_id, 0) AS daily_volume_id
  FROM invoice_line_volume v,
       unnest(v.days, v.tags, v.business_days, v.quantities, v.daily_volume_ids)
         AS u(day, tags, business_days, quantity, daily_volume_id);

-- Final means final. A final invoice row can never be updated or deleted; a draft may
-- become final (one UPDATE that sets status, number and dates) or be deleted. Lines,
-- VAT rows and lineage of a final invoice can be neither inserted, updated nor deleted.
-- (Superusers can still disable triggers; the read-only auditor role cannot.)
CREATE FUNCTION invoice_refuse_final_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION 'invoice % (id %) is final and cannot be changed (%); issue a credit note or a correction instead',
      OLD.number, OLD.id, TG_OP USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_final_immutable BEFORE UPDATE OR DELETE ON invoice
  FOR EACH ROW EXECUTE FUNCTION invoice_refuse_final_change();

-- Lines, VAT rows and lineage are checked per statement (transition tables), so that a
-- billing run can COPY hundreds of thousands of lineage rows without a lookup per row.
CREATE FUNCTION invoice_part_refuse_final_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hit record;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT i.id, i.number INTO hit FROM invoice i WHERE i.status = 'final'
       AND i.id IN (SELECT DISTINCT invoice_id FROM changed_new) LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'invoice % (id %) is final: its % cannot be changed (%)', hit.number, hit.id, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    SELECT i.id, i.number INTO hit FROM invoice i WHERE i.status = 'final'
       AND i.id IN (SELECT DISTINCT invoice_id FROM changed_old) LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'invoice % (id %) is final: its % cannot be changed (%)', hit.number, hit.id, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER invoice_line_final_insert AFTER INSERT ON invoice_line REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_line_final_update AFTER UPDATE ON invoice_line REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_line_final_delete AFTER DELETE ON invoice_line REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_vat_final_insert AFTER INSERT ON invoice_vat REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_vat_final_update AFTER UPDATE ON invoice_vat REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_vat_final_delete AFTER DELETE ON invoice_vat REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_line_volume_final_insert AFTER INSERT ON invoice_line_volume REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_line_volume_final_update AFTER UPDATE ON invoice_line_volume REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();
CREATE TRIGGER invoice_line_volume_final_delete AFTER DELETE ON invoice_line_volume REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_part_refuse_final_change();

-- TRUNCATE bypasses row triggers: refuse it while any final invoice exists.
CREATE FUNCTION invoice_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM invoice WHERE status = 'final') THEN
    RAISE EXCEPTION '% cannot be truncated: final invoices exist', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER invoice_no_truncate BEFORE TRUNCATE ON invoice
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_refuse_truncate();
CREATE TRIGGER invoice_line_no_truncate BEFORE TRUNCATE ON invoice_line
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_refuse_truncate();
CREATE TRIGGER invoice_vat_no_truncate BEFORE TRUNCATE ON invoice_vat
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_refuse_truncate();
CREATE TRIGGER invoice_line_volume_no_truncate BEFORE TRUNCATE ON invoice_line_volume
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_refuse_truncate();

-- The counter only moves forward: a number once handed out is never handed out again.
CREATE FUNCTION invoice_counter_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.last_number < OLD.last_number OR NEW.year <> OLD.year THEN
    RAISE EXCEPTION 'invoice_counter % only moves forward', OLD.year USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_counter_forward BEFORE UPDATE OR DELETE ON invoice_counter
  FOR EACH ROW EXECUTE FUNCTION invoice_counter_forward_only();

-- Auditor views ------------------------------------------------------------------------

-- Every invoice line with its invoice's header, in export order.
CREATE VIEW v_invoice_line AS
SELECT i.id AS invoice_id, i.number AS invoice_number, i.status, i.kind AS invoice_kind, i.agency, i.period,
       i.vat_group, i.issue_date, i.due_date, l.line_no, l.kind, l.service, l.description, l.quantity,
       l.unit_price, l.amount, l.exact_amount, l.vat_category, l.vat_rate, l.agreement_id, l.agreement_version,
       l.price_source, l.exception_id, l.exception_reason, l.days_from, l.days_to,
       l.corrects_invoice_id, c.number AS corrects_invoice_number
  FROM invoice i
  JOIN invoice_line l ON l.invoice_id = i.id
  LEFT JOIN invoice c ON c.id = l.corrects_invoice_id;

-- From an invoice line to the daily volumes it rated (by key, as counted now) and on to
-- the transactions behind them (by agency, service and Helsinki day of delivered_at,
-- tag set and processing time). One row per transaction; billed_quantity is the units of
-- the daily volume row the line billed.
CREATE VIEW v_invoice_line_lineage AS
SELECT i.number AS invoice_number, i.status, i.agency, i.period, l.invoice_id, l.line_no, l.kind, l.service,
       l.agreement_id, l.agreement_version, l.price_source, l.exception_id, l.unit_price, l.amount,
       v.day, v.tags, v.business_days, v.daily_volume_id AS billed_daily_volume_id, v.quantity AS billed_quantity,
       dv.id AS daily_volume_id, dv.quantity AS counted_quantity,
       t.source, t.txn_id, t.received_at, t.delivered_at, t.quantity AS transaction_quantity,
       t.cancelled_load_id IS NOT NULL AS cancelled
  FROM v_invoice_line_volume v
  JOIN invoice i ON i.id = v.invoice_id
  JOIN invoice_line l ON l.invoice_id = v.invoice_id AND l.line_no = v.line_no
  LEFT JOIN daily_volume dv ON (dv.agency, dv.service, dv.day, dv.tags, dv.business_days)
                             = (v.agency, v.service, v.day, v.tags, v.business_days)
  LEFT JOIN delivered_transaction t ON t.agency = v.agency AND t.service = v.service AND t.delivered_day = v.day
       AND t.tags = v.tags
       AND (SELECT d.business_ordinal FROM business_calendar d WHERE d.day = t.delivered_day)
         - (SELECT r.business_ordinal FROM business_calendar r WHERE r.day = t.received_day) = v.business_days;

-- Which (agency, month) had counted volumes change, and when: kept by statement-level
-- triggers on daily_volume, so that a billing run re-rates only the finalised months
-- whose volumes (or whose yearly window's volumes) changed after they were finalised.
CREATE TABLE volume_change (
  agency      text NOT NULL,
  month       text NOT NULL,            -- 'YYYY-MM'
  changed_at  timestamptz NOT NULL,
  PRIMARY KEY (agency, month)
);

CREATE FUNCTION volume_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamp timestamptz := clock_timestamp();
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO volume_change AS c (agency, month, changed_at)
    SELECT DISTINCT agency, to_char(day, 'YYYY-MM'), stamp FROM changed_new
    ON CONFLICT (agency, month) DO UPDATE SET changed_at = EXCLUDED.changed_at;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO volume_change AS c (agency, month, changed_at)
    SELECT DISTINCT agency, to_char(day, 'YYYY-MM'), stamp FROM changed_old
    ON CONFLICT (agency, month) DO UPDATE SET changed_at = EXCLUDED.changed_at;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER daily_volume_change_insert AFTER INSERT ON daily_volume REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION volume_change_record();
CREATE TRIGGER daily_volume_change_update AFTER UPDATE ON daily_volume
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION volume_change_record();
CREATE TRIGGER daily_volume_change_delete AFTER DELETE ON daily_volume REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION volume_change_record();
