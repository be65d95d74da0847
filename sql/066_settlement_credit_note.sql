-- 066 settlement credit notes: a settlement credit is a credit note, not a negative
-- invoice (docs/costing-jobs.md, "settle"). `costcover settle --year Y` makes, per agency
-- and VAT group, one document of its settlement lines of Y: a credit note when they sum to
-- a credit, an invoice otherwise. A settlement credit note credits no invoice: it settles a
-- year. invoice.settles_year says which, on settle's invoices and credit notes alike.
--
-- Invariants (replacing 030's "a credit note credits an invoice, an invoice credits none"):
--   kind        | credited_invoice_id | settles_year | allowed
--   invoice     | null                | any          | yes (a settlement invoice has settles_year)
--   invoice     | set                 | any          | no: only a credit note credits
--   credit_note | set                 | null         | yes: costcover credit's, of that invoice
--   credit_note | null                | set          | yes: the settlement's credit note of that year
--   credit_note | set                 | set          | no: it credits an invoice or settles a year, not both
--   credit_note | null                | null         | no: a credit note must say what it credits
-- A credit note still needs its credit_reason (030). Finalisation numbers settle's credit
-- notes with its invoices (`costcover finalize --period Y-12`), from the same counter.

ALTER TABLE invoice ADD COLUMN settles_year integer CHECK (settles_year BETWEEN 2000 AND 2099);
COMMENT ON COLUMN invoice.settles_year IS
  'The year a settlement invoice or credit note of costcover settle settles; null on every other invoice.';

-- 030's CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)) was declared
-- without a name: find it by its definition, and refuse to go on unless exactly one is found.
DO $$
DECLARE
  found text[];
BEGIN
  SELECT array_agg(conname) INTO found FROM pg_constraint
   WHERE conrelid = 'invoice'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%kind = ''credit_note''%credited_invoice_id IS NOT NULL%';
  IF coalesce(cardinality(found), 0) <> 1 THEN
    RAISE EXCEPTION 'migration 066: expected one CHECK tying credit notes to credited_invoice_id on invoice, found %',
      coalesce(found, '{}');
  END IF;
  EXECUTE format('ALTER TABLE invoice DROP CONSTRAINT %I', found[1]);
END $$;

ALTER TABLE invoice
  ADD CONSTRAINT invoice_only_credit_notes_credit CHECK (kind = 'credit_note' OR credited_invoice_id IS NULL),
  ADD CONSTRAINT invoice_credit_note_credits_something
    CHECK (kind = 'invoice' OR (credited_invoice_id IS NULL) <> (settles_year IS NULL));
