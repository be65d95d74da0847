// Terminal tables (pure): the reports the commands print, as aligned text. Columns are
// padded to a width counted in characters (display_width, core/utf8.hpp), so names with
// ä and ö line up; a value wider than its column pushes the rest of its row right.
#pragma once

#include <string>
#include <vector>

#include "costing/matching.hpp"
#include "costing/outputs.hpp"
#include "costing/price_proposal.hpp"
#include "costing/settlement.hpp"

namespace costcover::render {

// ---- costing ------------------------------------------------------------------------------

// `costcover settle`: per matching row (TOTAL included) its revenue, total cost, surplus,
// coverage and the service's decision ("settle 1 234.56 (3 agencies)", "carry forward").
[[nodiscard]] std::string settle_table(const std::vector<costing::MatchingRow>& matching,
                                       const std::vector<costing::SettlementPlan>& plans);

// `costcover prices propose`: per unit-cost row its total cost, forecast volume, unit cost
// and proposed price (the price empty for a service without one in `proposed`).
[[nodiscard]] std::string unit_costs_table(const std::vector<costing::UnitCostRow>& rows,
                                           const costing::PriceTable& proposed);

// `costcover prices propose`: the what-if rows, an agency's TOTAL row as "AGENCY total".
[[nodiscard]] std::string what_if_table(const std::vector<costing::WhatIfRow>& rows);

}  // namespace costcover::render
