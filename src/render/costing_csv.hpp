// The costing engine's files as text (pure): allocation.csv, unit_costs.csv, matching.csv,
// what_if.csv (formats in docs/formats.md) and the proposed price list YAML.
// Rows come from the costing engine (costing/outputs.hpp, matching.hpp, price_proposal.hpp),
// which does every computation; this part only writes them. Text fields (cost centre,
// service, agency) go through csv_text_field (core/csv.hpp), amounts and numbers as they
// are; each file ends with a newline after its last row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/money.hpp"

#include "costing/ledger.hpp"
#include "costing/matching.hpp"
#include "costing/outputs.hpp"
#include "costing/price_proposal.hpp"
#include "model/model.hpp"

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

// Where a proposed price list comes from: the ledger (or budget) and cost model of `year`
// and the differences `settle` carried forward. The ledger of Y proposes the prices of
// Y+1; the budget of Y those of Y itself, before it starts.
struct PriceListSource {
  costing::CostBasis basis = costing::CostBasis::ledger;
  int year = 0;                  // the ledger's (budget's) and the cost model's year
  std::int64_t ledger_load = 0;  // its load: cost_ledger_load.id (cost_budget_load.id)
  std::string ledger_file;       // the file's name, without its folders
  std::string ledger_sha256;
  std::int64_t ledger_rows = 0;
  Money ledger_total;
  std::string cost_model_file;
  std::string cost_model_sha256;
  model::AllocationMethod method = model::AllocationMethod::direct;
  Money imputed_interest;
  // The year whose settle decisions were read: `year` for the ledger; for a budget the
  // latest settled year before it (0: none).
  int settled_year = 0;
  bool settlement_recorded = false;  // settle has run for settled_year
  std::vector<costing::CarriedDifference> carried;
};

// The proposed price list's header lines (price_list_yaml's header_lines): the command,
// the ledger or budget, the cost model, the volumes, and the carried differences (or why
// none).
[[nodiscard]] std::vector<std::string> price_list_header(const PriceListSource& source);
// Its price_list.basis: "ledger 2026 (load 3, sha256 ...), cost model 2026, proposed by
// costcover" or "budget 2027 (load 1, ...), cost model 2027, ..."; the year of any
// carried differences last.
[[nodiscard]] std::string price_list_basis(const PriceListSource& source);

}  // namespace costcover::render
