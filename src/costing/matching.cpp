#include "costing/matching.hpp"

#include <map>

#include "core/errors.hpp"

namespace costcover::costing {

Money MatchingRow::direct_total() const {
  Money sum;
  for (std::size_t k = 0; k < kDirectCategoryCount; ++k) sum += cost[k];
  return sum;
}

Money MatchingRow::common_total() const {
  Money sum;
  for (std::size_t k = kDirectCategoryCount; k < kCategoryCount; ++k) sum += cost[k];
  return sum;
}

std::optional<Decimal> MatchingRow::coverage_percent() const {
  return costing::coverage_percent(revenue, total_cost());
}

std::optional<Decimal> coverage_percent(Money revenue, Money cost) {
  if (cost.cents() == 0) return std::nullopt;
  // percent in hundredths = revenue / cost x 100 x 100
  const Integer hundredths = round_half_away(Rational(Integer(revenue.cents()) * 10'000, Integer(cost.cents())));
  return Decimal::from_units(int64_of(hundredths * 10'000));
}

std::vector<MatchingRow> matching_rows(int year, const std::vector<ServiceCostRow>& costs,
                                       const std::vector<std::pair<std::string, Money>>& revenue) {
  std::vector<MatchingRow> rows;
  std::map<std::string, std::size_t> index;
  for (const ServiceCostRow& c : costs) {
    index.emplace(c.service, rows.size());
    rows.push_back({year, c.service, Money(), c.cost});
  }
  for (const auto& [service, amount] : revenue) {
    auto found = index.find(service);
    if (found == index.end()) {
      found = index.emplace(service, rows.size()).first;
      rows.push_back({year, service, Money(), {}});
    }
    rows[found->second].revenue += amount;
  }
  MatchingRow total{year, kTotalRow, Money(), {}};
  for (const MatchingRow& row : rows) {
    total.revenue += row.revenue;
    for (std::size_t k = 0; k < kCategoryCount; ++k) total.cost[k] += row.cost[k];
  }
  rows.push_back(total);
  return rows;
}

std::vector<MatchingRow> matching_rows(const Allocation& allocation,
                                       const std::vector<std::pair<std::string, Money>>& revenue) {
  return matching_rows(allocation.year, service_cost_rows(allocation), revenue);
}

}  // namespace costcover::costing
