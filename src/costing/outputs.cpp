#include "costing/outputs.hpp"

#include <map>

#include "core/errors.hpp"

namespace costcover::costing {

using model::CentreKind;

std::vector<AllocationRow> allocation_rows(const Allocation& allocation) {
  std::vector<Rational> production_received;
  Integer support_own = 0;
  for (const CentreAllocation& c : allocation.centres) {
    if (c.kind == CentreKind::support) {
      support_own += whole_of(c.own_cost);
    } else {
      production_received.push_back(c.received);
    }
  }
  const std::vector<Integer> rounded = round_to_sum(production_received, support_own);
  std::vector<AllocationRow> rows;
  std::size_t next_production = 0;
  for (const CentreAllocation& c : allocation.centres) {
    AllocationRow row{c.id, c.kind, money_of(whole_of(c.own_cost)), Money(), Money(), Money()};
    if (c.kind == CentreKind::support) {
      row.received = round_money(c.received);
      row.allocated_out = row.own_cost + row.received;
      row.total_cost = row.allocated_out;
    } else {
      row.received = money_of(rounded[next_production++]);
      row.total_cost = row.own_cost + row.received;
    }
    rows.push_back(row);
  }
  return rows;
}

Money ServiceCostRow::direct_total() const {
  Money sum;
  for (std::size_t k = 0; k < kDirectCategoryCount; ++k) sum += cost[k];
  return sum;
}

Money ServiceCostRow::common_total() const {
  Money sum;
  for (std::size_t k = kDirectCategoryCount; k < kCategoryCount; ++k) sum += cost[k];
  return sum;
}

std::vector<ServiceCostRow> service_cost_rows(const Allocation& allocation) {
  std::vector<std::vector<Rational>> table;
  for (const ServiceAllocation& s : allocation.services) table.emplace_back(s.cost.begin(), s.cost.end());
  const std::vector<std::vector<Integer>> rounded = controlled_round(table);
  std::vector<ServiceCostRow> rows;
  Money sum;
  for (std::size_t i = 0; i < allocation.services.size(); ++i) {
    ServiceCostRow row{allocation.services[i].service, {}};
    for (std::size_t k = 0; k < kCategoryCount; ++k) row.cost[k] = money_of(rounded[i][k]);
    sum += row.total();
    rows.push_back(row);
  }
  const Money expected = allocation.ledger_total + allocation.imputed_interest;
  if (!allocation.services.empty() && sum != expected)
    throw InvariantError("rounded service costs sum to " + sum.to_string() +
                         " but ledger total plus imputed interest is " + expected.to_string() + " (remainder " +
                         (expected - sum).to_string() + ")");
  return rows;
}

std::vector<UnitCostRow> unit_cost_rows(const std::vector<ServiceCostRow>& costs, const model::CostModel& model) {
  std::map<std::string, std::int64_t> volumes(model.forecast_volumes.begin(), model.forecast_volumes.end());
  std::vector<UnitCostRow> rows;
  for (const ServiceCostRow& c : costs) {
    UnitCostRow row;
    row.service = c.service;
    row.direct_cost = c.direct_total();
    row.support_cost = c[CostCategory::support_functions] + c[CostCategory::other_common];
    row.capital_cost = c[CostCategory::depreciation] + c[CostCategory::imputed_interest];
    row.total_cost = c.total();
    const auto volume = volumes.find(c.service);
    if (volume != volumes.end()) {
      row.forecast_volume = volume->second;
      if (volume->second > 0) {
        const Rational per_unit_cents(Integer(row.total_cost.cents()), Integer(volume->second));
        // Decimal units are millionths of a euro: 10^4 per cent.
        const Integer unit_ten_thousandths = round_half_away(per_unit_cents * 100);
        row.unit_cost = Decimal::from_units(int64_of(unit_ten_thousandths * 100));
        row.proposed_price = Decimal::from_units(int64_of(ceil_of(per_unit_cents) * 10'000));
      }
    }
    rows.push_back(row);
  }
  return rows;
}

std::vector<UnitCostRow> unit_cost_rows(const Allocation& allocation, const model::CostModel& model) {
  return unit_cost_rows(service_cost_rows(allocation), model);
}

}  // namespace costcover::costing
