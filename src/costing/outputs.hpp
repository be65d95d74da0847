// The allocation's outputs in cents: allocation.csv and unit_costs.csv rows (see
// docs/formats.md) and the rounded service-by-category table that both
// unit_costs.csv and matching.csv are built from, so the two files always agree. The files'
// text is written by render/costing_csv.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "costing/allocation.hpp"
#include "model/model.hpp"

namespace costcover::costing {

// allocation.csv: cost_centre,kind,own_cost,received,allocated_out,total_cost
// Rounding: own_cost is whole cents already; production centres' `received` are rounded by
// largest remainder so they sum exactly to the support centres' own costs; support
// centres' `received` are rounded half away from zero, and their allocated_out and
// total_cost are own_cost + received. So each row adds up, received and allocated_out
// columns have the same sum, and the production totals sum to ledger + interest.
struct AllocationRow {
  std::string cost_centre;
  model::CentreKind kind = model::CentreKind::production;
  Money own_cost;
  Money received;
  Money allocated_out;  // production: 0.00
  Money total_cost;
};
[[nodiscard]] std::vector<AllocationRow> allocation_rows(const Allocation& allocation);

// A service's cost by category in cents, from controlled rounding of the exact
// service x category table: each cell is its exact value rounded down or up, each column
// sums to its exact total rounded down or up (to the cent exactly where the exact total is
// whole cents, e.g. depreciation and interest), and the services' totals sum exactly to
// ledger total + imputed interest.
struct ServiceCostRow {
  std::string service;
  std::array<Money, kCategoryCount> cost{};  // by CostCategory
  [[nodiscard]] Money operator[](CostCategory category) const { return cost[index_of(category)]; }
  [[nodiscard]] Money direct_total() const;  // materials .. other_direct
  [[nodiscard]] Money common_total() const;  // support_functions .. other_common
  [[nodiscard]] Money total() const { return direct_total() + common_total(); }
};
[[nodiscard]] std::vector<ServiceCostRow> service_cost_rows(const Allocation& allocation);

// unit_costs.csv: service,direct_cost,support_cost,capital_cost,total_cost,forecast_volume,
// unit_cost,proposed_price. support_cost = support_functions + other_common; capital_cost =
// depreciation + imputed_interest. unit_cost = total_cost / forecast_volume to 4 decimals
// (half away from zero); proposed_price = total_cost / forecast_volume rounded UP to the
// cent from the exact quotient, so proposed_price x forecast_volume >= total_cost. Without
// a positive forecast volume both are empty (nothing).
struct UnitCostRow {
  std::string service;
  Money direct_cost;
  Money support_cost;
  Money capital_cost;
  Money total_cost;
  std::optional<std::int64_t> forecast_volume;
  std::optional<Decimal> unit_cost;       // 4 decimals
  std::optional<Decimal> proposed_price;  // 2 decimals
};
[[nodiscard]] std::vector<UnitCostRow> unit_cost_rows(const Allocation& allocation, const model::CostModel& model);
[[nodiscard]] std::vector<UnitCostRow> unit_cost_rows(const std::vector<ServiceCostRow>& costs,
                                                      const model::CostModel& model);

}  // namespace costcover::costing
