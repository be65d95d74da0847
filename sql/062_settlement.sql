-- 062 settlement: the questions `costcover settle --year Y` asks the invoice tables, as
-- named functions, so that the program and an auditor get the same answer from the same
-- rule (docs/costing-jobs.md, "settle"). Nothing here stores anything: the functions read
-- invoice and invoice_line. Periods are 'YYYY-MM' text, so the months of Y are the periods
-- 'Y-01' .. 'Y-12'.
--
-- settlement_lines(Y): the lines that settle year Y, on drafts and final invoices alike.
--   line kind    | price_source     | a settlement line of Y
--   settlement   | 'settlement Y'   | yes (what settle writes: costing::settlement_price_source)
--   settlement   | 'settlement X'   | no: it settles another year
--   any other    | any              | no
--
-- settlement_revenue(Y): the revenue the matching calculation compares with the cost, per
-- service ('' for fees and charges, which belong to no service) and agency.
--   invoice status | invoice period | line                     | counts as revenue of Y
--   final          | in Y           | not a settlement line    | yes (credit notes and corrections too, negative)
--   final          | in Y           | settlement (any year)    | no: a settlement settles a year, it is no revenue
--   final          | outside Y      | any                      | no: a correction issued in Y+1 counts in Y+1
--   draft          | any            | any                      | no: drafts are not revenue
--
-- settlement_blocking_drafts(Y): the drafts that make settle refuse (they would still
-- change the revenue).
--   invoice status | invoice period | holds a settlement line of Y | blocks
--   draft          | in Y           | no                           | yes
--   draft          | in Y           | yes                          | no: settle's own draft, which it replaces
--   draft          | outside Y      | any                          | no
--   final          | any            | any                          | no
--
-- months_without_final_invoice(Y): the months of Y that billing has not finished.
--   the month has a final invoice (of any kind) | listed
--   yes                                         | no
--   no (no invoice, or only drafts)             | yes

CREATE FUNCTION settlement_lines(p_year integer)
RETURNS TABLE (invoice_id bigint, status text, agency text, period text, service text, amount numeric)
LANGUAGE sql STABLE AS $$
  SELECT i.id, i.status, i.agency, i.period, l.service, l.amount
    FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
   WHERE l.kind = 'settlement' AND l.price_source = 'settlement ' || p_year
$$;
COMMENT ON FUNCTION settlement_lines(integer) IS
  'The invoice lines that settle the year (kind settlement, price_source ''settlement YEAR''), drafts and finals.';

CREATE FUNCTION settlement_revenue(p_year integer)
RETURNS TABLE (service text, agency text, amount numeric)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(l.service, ''), i.agency, sum(l.amount)
    FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
   WHERE i.status = 'final'
     AND i.period BETWEEN p_year || '-01' AND p_year || '-12'
     AND l.kind <> 'settlement'
   GROUP BY 1, 2
$$;
COMMENT ON FUNCTION settlement_revenue(integer) IS
  'The year''s revenue per service ('''' for fees and charges) and agency: final invoices of its periods, '
  'settlement lines excluded; what costcover settle matches with the cost.';

CREATE FUNCTION settlement_blocking_drafts(p_year integer)
RETURNS TABLE (agency text, period text)
LANGUAGE sql STABLE AS $$
  SELECT i.agency, i.period
    FROM invoice i
   WHERE i.status = 'draft'
     AND i.period BETWEEN p_year || '-01' AND p_year || '-12'
     AND NOT EXISTS (SELECT 1 FROM settlement_lines(p_year) s WHERE s.invoice_id = i.id)
$$;
COMMENT ON FUNCTION settlement_blocking_drafts(integer) IS
  'The draft invoices of the year other than settlement drafts: costcover settle refuses while there are any.';

CREATE FUNCTION months_without_final_invoice(p_year integer)
RETURNS TABLE (period text)
LANGUAGE sql STABLE AS $$
  SELECT p.period
    FROM generate_series(1, 12) m,
         LATERAL (SELECT p_year || '-' || lpad(m::text, 2, '0') AS period) p
   WHERE NOT EXISTS (SELECT 1 FROM invoice i WHERE i.status = 'final' AND i.period = p.period)
$$;
COMMENT ON FUNCTION months_without_final_invoice(integer) IS
  'The months of the year without a final invoice: costcover settle refuses while there are any (unless --force).';
