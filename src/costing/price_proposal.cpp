#include "costing/price_proposal.hpp"

#include <map>

#include "costing/matching.hpp"

namespace costcover::costing {
namespace {

std::optional<Decimal> lookup(const PriceTable& prices, const std::string& service) {
  for (const auto& [id, price] : prices)
    if (id == service) return price;
  return std::nullopt;
}

}  // namespace

PriceTable proposed_prices(const std::vector<UnitCostRow>& rows) {
  PriceTable out;
  for (const UnitCostRow& row : rows)
    if (row.proposed_price) out.emplace_back(row.service, *row.proposed_price);
  return out;
}

// coverage_percent computes a / b x 100 with the same rounding, which is the change in percent.
std::optional<Decimal> WhatIfRow::change_percent() const { return coverage_percent(change(), current_amount); }

std::vector<WhatIfRow> price_what_if(const std::vector<AgencyVolume>& volumes, const PriceTable& current_prices,
                                     const PriceTable& proposed) {
  // agency order, then (agency, service) order with summed volumes
  std::vector<std::string> agencies;
  std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> by_agency;
  for (const AgencyVolume& v : volumes) {
    auto [at, added] = by_agency.try_emplace(v.agency);
    if (added) agencies.push_back(v.agency);
    auto& services = at->second;
    auto found = services.begin();
    while (found != services.end() && found->first != v.service) ++found;
    if (found == services.end())
      services.emplace_back(v.service, v.volume);
    else
      found->second += v.volume;
  }
  std::vector<WhatIfRow> rows;
  for (const std::string& agency : agencies) {
    WhatIfRow total{agency, kTotalRow, std::nullopt, std::nullopt, std::nullopt, Money(), Money()};
    for (const auto& [service, volume] : by_agency.at(agency)) {
      WhatIfRow row{agency,  service, volume, lookup(current_prices, service), lookup(proposed, service),
                    Money(), Money()};
      if (row.current_price) row.current_amount = multiply_round(volume, *row.current_price);
      if (row.proposed_price) row.proposed_amount = multiply_round(volume, *row.proposed_price);
      total.current_amount += row.current_amount;
      total.proposed_amount += row.proposed_amount;
      rows.push_back(row);
    }
    rows.push_back(total);
  }
  return rows;
}

}  // namespace costcover::costing
