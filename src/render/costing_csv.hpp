// The costing engine's files as text (pure): allocation.csv, unit_costs.csv, matching.csv,
// what_if.csv (formats in ../shared/spec/formats.md) and the proposed price list YAML.
// Rows come from the costing engine (costing/outputs.hpp, matching.hpp, price_proposal.hpp),
// which does every computation; this part only writes them. Text fields (cost centre,
// service, agency) go through csv_text_field (core/csv.hpp), amounts and numbers as they
// are; each file ends with a newline after its last row.
#pragma once

#include <string>
#include <vector>

#include "costing/matching.hpp"
#include "costing/outputs.hpp"
#include "costing/price_proposal.hpp"

namespace costcover::render {

// cost_centre,kind,own_cost,received,allocated_out,total_cost
[[nodiscard]] std::string allocation_csv(const std::vector<costing::AllocationRow>& rows);

// service,direct_cost,support_cost,capital_cost,total_cost,forecast_volume,unit_cost,
// proposed_price; prices with exactly 4 decimals (4.2100), empty when there is none.
[[nodiscard]] std::string unit_costs_csv(const std::vector<costing::UnitCostRow>& rows);

// year,service,revenue,materials,...,total_cost,surplus,coverage_percent (matching.hpp).
[[nodiscard]] std::string matching_csv(const std::vector<costing::MatchingRow>& rows);

// agency,service,volume,current_price,proposed_price,current_amount,proposed_amount,change,
// change_percent
[[nodiscard]] std::string price_what_if_csv(const std::vector<costing::WhatIfRow>& rows);

// The price list as YAML text (the contracts/prices/YEAR.yaml shape): each header line as
// a "# " comment (an empty one as "#"), then price_list (year, basis) and prices. Prices
// print with 2 decimals when they are whole cents, else 4.
[[nodiscard]] std::string price_list_yaml(int year, const std::string& basis, const costing::PriceTable& prices,
                                          const std::vector<std::string>& header_lines);

}  // namespace costcover::render
