// The cost-revenue matching calculation (kustannusvastaavuuslaskelma), the rows of
// matching.csv (written by render/costing_csv.hpp):
//   year,service,revenue,materials,personnel,rents,purchased_services,other_direct,
//   direct_total,support_functions,depreciation,imputed_interest,other_common,common_total,
//   total_cost,surplus,coverage_percent
// One row per service and a TOTAL row last. The cost columns come from the controlled
// rounding of service_cost_rows(), so every row adds up (direct_total, common_total,
// total_cost are sums of the printed columns), the TOTAL row is the column sums, and each
// TOTAL column is within a cent of its exact total (exactly it for depreciation and
// imputed interest, which are whole cents in the ledger and the asset list).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "costing/allocation.hpp"
#include "costing/outputs.hpp"

namespace costcover::costing {

inline constexpr const char* kTotalRow = "TOTAL";

struct MatchingRow {
  int year = 0;
  std::string service;  // kTotalRow for the total
  Money revenue;
  std::array<Money, kCategoryCount> cost{};  // by CostCategory
  [[nodiscard]] Money operator[](CostCategory category) const { return cost[index_of(category)]; }
  [[nodiscard]] Money direct_total() const;
  [[nodiscard]] Money common_total() const;
  [[nodiscard]] Money total_cost() const { return direct_total() + common_total(); }
  [[nodiscard]] Money surplus() const { return revenue - total_cost(); }  // negative: deficit
  // revenue / total_cost x 100, 2 decimals, half away from zero; nothing (an empty field)
  // when total_cost is zero.
  [[nodiscard]] std::optional<Decimal> coverage_percent() const;
};

// revenue / cost x 100 rounded half away from zero to 2 decimals; nothing when cost is 0.
[[nodiscard]] std::optional<Decimal> coverage_percent(Money revenue, Money cost);

// Rows in the allocation's service order; a service with revenue but no cost in the model
// gets a row of its own after them (zero costs). Revenue entries for the same service add
// up. The TOTAL row comes last.
[[nodiscard]] std::vector<MatchingRow> matching_rows(int year, const std::vector<ServiceCostRow>& costs,
                                                     const std::vector<std::pair<std::string, Money>>& revenue);
[[nodiscard]] std::vector<MatchingRow> matching_rows(const Allocation& allocation,
                                                     const std::vector<std::pair<std::string, Money>>& revenue);

}  // namespace costcover::costing
