-- 065 settlement result: every euro in the matching, and the centre's result after the
-- settlement (docs/costing-jobs.md, "settle"). Since this issue every fee and charge line
-- names the catalog service it pays for, so settlement_revenue (sql/062) counts it in that
-- service's revenue; its body is unchanged ('' is left only for a line without a service,
-- which settle refuses), its comment says so.
--
-- settlement_revenue_total(Y): the year's revenue reckoned apart from the per-service sums,
-- for settle's check that the matching's TOTAL revenue is every euro billed:
--   invoice status | invoice period | what it adds
--   final          | in Y           | its net total (credit notes negative, corrections in it)
--                  |                | less its settlement lines (any year: they are no revenue)
--   final          | outside Y      | nothing: a correction issued in Y+1 counts in Y+1
--   draft          | any            | nothing
--
-- v_settlement_result: per year, the latest settle's decisions summed: revenue, settled,
-- total cost, the centre's result (revenue + settled - total cost) and what was carried
-- forward. A settled service's row has settled = -surplus (cost_settlement's CHECK), so the
-- result equals carried_forward: 0.00 when every difference was settled.

COMMENT ON FUNCTION settlement_revenue(integer) IS
  'The year''s revenue per service and agency: final invoices of its periods, settlement lines excluded, fees and '
  'charges in the service they pay for ('''' only for a line without a service); what costcover settle matches with '
  'the cost.';

CREATE FUNCTION settlement_revenue_total(p_year integer)
RETURNS numeric
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT sum(i.net_total) FROM invoice i
                    WHERE i.status = 'final' AND i.period BETWEEN p_year || '-01' AND p_year || '-12'), 0)
       - coalesce((SELECT sum(l.amount) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
                    WHERE i.status = 'final' AND i.period BETWEEN p_year || '-01' AND p_year || '-12'
                      AND l.kind = 'settlement'), 0)
$$;
COMMENT ON FUNCTION settlement_revenue_total(integer) IS
  'The year''s revenue from the final invoices'' net totals less their settlement lines: what the matching''s TOTAL '
  'revenue must equal.';

CREATE VIEW v_settlement_result AS
SELECT year,
       sum(revenue) AS revenue,
       sum(settled) AS settled,
       sum(total_cost) AS total_cost,
       sum(revenue + settled - total_cost) AS result,
       coalesce(sum(surplus) FILTER (WHERE decision = 'carry_forward'), 0) AS carried_forward,
       count(*) FILTER (WHERE decision = 'carry_forward' AND surplus <> 0) AS carried_services
  FROM cost_settlement
 GROUP BY year;
COMMENT ON VIEW v_settlement_result IS
  'Per year, the latest costcover settle summed over its services: the centre''s result after the settlement '
  '(revenue + settled - total_cost), which equals what was carried forward into a later price list.';
COMMENT ON COLUMN v_settlement_result.revenue IS 'Final invoice lines of the year, settlement lines excluded.';
COMMENT ON COLUMN v_settlement_result.settled IS 'The settlement lines planned (credits negative, charges positive).';
COMMENT ON COLUMN v_settlement_result.total_cost IS 'The cost the cost model allocates to the services.';
COMMENT ON COLUMN v_settlement_result.result IS 'revenue + settled - total_cost: the centre''s result after the settlement.';
COMMENT ON COLUMN v_settlement_result.carried_forward IS 'The surpluses (deficits negative) carried forward.';
COMMENT ON COLUMN v_settlement_result.carried_services IS 'Services carried forward with a difference other than 0.00.';
