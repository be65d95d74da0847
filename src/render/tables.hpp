// Terminal tables (pure): the reports the commands print, as aligned text, from the jobs'
// summary values. Sections: invoicing (bill, finalize), then costing (settle, prices
// propose). The costing tables pad columns to a width counted in characters
// (display_width, core/utf8.hpp), so names with ä and ö line up; a value wider than its
// column pushes the rest of its row right.
#pragma once

#include <string>
#include <vector>

#include "costing/matching.hpp"
#include "costing/outputs.hpp"
#include "costing/price_proposal.hpp"
#include "costing/settlement.hpp"
#include "costing/settlement_year.hpp"
#include "invoice/billing.hpp"
#include "invoice/document.hpp"

namespace costcover::render {

// --- Invoicing ---------------------------------------------------------------------------

// `costcover bill`: the run's line, the readiness warning, one row per agency (total,
// previous month, change with its percent to one decimal, rounded half away from zero),
// its corrections and findings, and what was written.
[[nodiscard]] std::string billing_table(const invoice::BillingSummary& summary);

// `costcover finalize`: one row per numbered invoice (number, agency, VAT group, gross,
// due date), indented.
[[nodiscard]] std::string finalized_table(const std::vector<invoice::NumberedInvoice>& invoices);

// ---- costing ------------------------------------------------------------------------------

// `costcover settle`: per matching row (TOTAL included) its revenue, total cost, surplus,
// coverage and the service's decision ("settle 1 234.56 (3 agencies)", "carry forward").
[[nodiscard]] std::string settle_table(const std::vector<costing::MatchingRow>& matching,
                                       const std::vector<costing::SettlementPlan>& plans);

// `costcover settle`, after the table: the centre's result after the settlement (revenue +
// settlement - cost) and what of it is carried forward into a later price list.
[[nodiscard]] std::string centre_result_table(const costing::CentreResult& result);

// `costcover prices propose`: per unit-cost row its total cost, forecast volume, unit cost
// and proposed price (the price empty for a service without one in `proposed`).
[[nodiscard]] std::string unit_costs_table(const std::vector<costing::UnitCostRow>& rows,
                                           const costing::PriceTable& proposed);

// `costcover prices propose`: the what-if rows, an agency's TOTAL row as "AGENCY total".
[[nodiscard]] std::string what_if_table(const std::vector<costing::WhatIfRow>& rows);

}  // namespace costcover::render
