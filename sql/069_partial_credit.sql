-- 069 partial credit notes: a credit note may credit part of an invoice, an invoice may
-- have several credit notes, and an invoice credited in full releases its agency's month
-- and VAT group for a new invoice (docs/invoicing.md, "Credit notes").
--
-- Invariants:
-- - each line of a credit note of `costcover credit` names the invoice line it credits:
--   (corrects_invoice_id, credits_line_no), a foreign key to invoice_line. Credit notes
--   written before this migration credited every line in order and carry no
--   credits_line_no: their line K credited line K (the views below read them so);
-- - what is left of a line is the line plus its credit lines (invoice_line_credit); the
--   program never writes a credit line that takes more than what is left, in quantity or
--   in amount, nor one in the line's own direction;
-- - an invoice is 'none', 'part' or 'full' credited (invoice_credit_state):
--     credit lines of it | every line's quantity and amount left at zero | state
--     none               | (any)                                          | none
--     some               | no                                             | part
--     some               | yes                                            | full
--   A 'full' invoice no longer bills its month: billing, corrections and finalisation
--   read only invoices that are not 'full' (store/invoices.cpp);
-- - invoice.replaces_invoice_id: the invoice credited in full that a new invoice of the
--   same agency, month and VAT group replaces; only invoices replace.
-- The final-immutable triggers of 030 are unchanged: a credit note is written as a draft
-- and numbered final in the same transaction, and nothing of a final invoice changes.

DROP INDEX invoice_one_credit_note;
CREATE INDEX invoice_credited ON invoice (credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;

ALTER TABLE invoice_line ADD COLUMN credits_line_no integer CHECK (credits_line_no > 0);
ALTER TABLE invoice_line
  ADD CONSTRAINT invoice_line_credits_line CHECK (credits_line_no IS NULL OR corrects_invoice_id IS NOT NULL),
  ADD CONSTRAINT invoice_line_credits_line_fk FOREIGN KEY (corrects_invoice_id, credits_line_no)
    REFERENCES invoice_line (invoice_id, line_no);
COMMENT ON COLUMN invoice_line.credits_line_no IS
  'Credit note lines: the line number, on the invoice corrects_invoice_id, of the line this line credits.';

ALTER TABLE invoice ADD COLUMN replaces_invoice_id bigint REFERENCES invoice (id);
ALTER TABLE invoice
  ADD CONSTRAINT invoice_only_invoices_replace CHECK (kind = 'invoice' OR replaces_invoice_id IS NULL);
COMMENT ON COLUMN invoice.replaces_invoice_id IS
  'An invoice billed again after a full credit: the credited invoice of the same agency, month and VAT group it replaces.';

-- Every credit line of a costcover credit note, as (credited invoice, credited line no).
CREATE VIEW invoice_credit_line AS
SELECT n.credited_invoice_id AS invoice_id, coalesce(l.credits_line_no, l.line_no) AS line_no,
       n.id AS credit_note_id, n.number AS credit_note_number, l.line_no AS credit_line_no,
       l.quantity, l.amount, l.exact_amount
  FROM invoice n JOIN invoice_line l ON l.invoice_id = n.id
 WHERE n.kind = 'credit_note' AND n.credited_invoice_id IS NOT NULL;
COMMENT ON VIEW invoice_credit_line IS
  'Each line of a credit note of costcover credit, with the invoice and line it credits (credits_line_no, or its own line number on notes made before migration 069).';

-- Each line of an invoice with what its credit lines took (negative on a positive line).
CREATE VIEW invoice_line_credit AS
SELECT l.invoice_id, l.line_no, l.quantity, l.amount, l.exact_amount,
       coalesce(sum(c.quantity), 0) AS credited_quantity,
       coalesce(sum(c.amount), 0) AS credited_amount,
       coalesce(sum(c.exact_amount), 0) AS credited_exact_amount,
       count(c.credit_line_no) AS credit_lines
  FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
  LEFT JOIN invoice_credit_line c ON c.invoice_id = l.invoice_id AND c.line_no = l.line_no
 WHERE i.kind = 'invoice'
 GROUP BY l.invoice_id, l.line_no, l.quantity, l.amount, l.exact_amount;
COMMENT ON VIEW invoice_line_credit IS
  'Each invoice line with the sums of the credit lines crediting it; what is left is quantity + credited_quantity and amount + credited_amount.';

-- The credit state of each invoice (decision table in the header).
CREATE VIEW invoice_credit_state AS
SELECT i.id AS invoice_id,
       CASE WHEN NOT EXISTS (SELECT 1 FROM invoice_credit_line c WHERE c.invoice_id = i.id) THEN 'none'
            WHEN EXISTS (SELECT 1 FROM invoice_line_credit s WHERE s.invoice_id = i.id
                          AND (s.quantity + s.credited_quantity <> 0 OR s.amount + s.credited_amount <> 0))
              THEN 'part'
            ELSE 'full' END AS state
  FROM invoice i WHERE i.kind = 'invoice';
COMMENT ON VIEW invoice_credit_state IS
  'none: no credit note credits the invoice; part: some of it is credited; full: every line is credited to zero (the month and VAT group may be billed again).';

-- The 'full' row of the table above, as the one test billing, corrections and
-- finalisation use: some credit line credits the invoice and nothing is left on any line.
CREATE FUNCTION invoice_fully_credited(p_invoice bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM invoice n WHERE n.credited_invoice_id = p_invoice AND n.kind = 'credit_note')
     AND NOT EXISTS (SELECT 1 FROM invoice_line_credit s WHERE s.invoice_id = p_invoice
                      AND (s.quantity + s.credited_quantity <> 0 OR s.amount + s.credited_amount <> 0))
$$;
COMMENT ON FUNCTION invoice_fully_credited(bigint) IS
  'True when credit notes credit every line of the invoice to zero quantity and amount (invoice_credit_state = full).';
