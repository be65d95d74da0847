#include "costing/price_proposal.hpp"

#include <algorithm>
#include <map>
#include <tuple>

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

std::vector<CarriedDifference> carried_differences(const std::vector<RecordedDecision>& recorded,
                                                   const model::Catalog& catalog) {
  std::vector<CarriedDifference> carried;
  for (const auto& r : recorded) {
    if (r.decision == SettlementDecision::carry_forward && r.surplus != Money()) {
      carried.push_back(CarriedDifference{r.service, r.surplus});
    }
  }
  std::stable_sort(carried.begin(), carried.end(), [&](const auto& a, const auto& b) {
    return catalog.order_of(a.service) < catalog.order_of(b.service);
  });
  return carried;
}

PriceTable adjusted_prices(const std::vector<UnitCostRow>& rows, const std::vector<CarriedDifference>& carried) {
  PriceTable prices;
  for (const auto& row : rows) {
    if (!row.proposed_price || !row.forecast_volume || *row.forecast_volume <= 0) continue;
    Money surplus;
    for (const auto& c : carried) {
      if (c.service == row.service) surplus += c.surplus;
    }
    if (surplus == Money()) {
      prices.emplace_back(row.service, *row.proposed_price);
      continue;
    }
    const Money to_cover = row.total_cost - surplus;
    if (to_cover <= Money()) {
      prices.emplace_back(row.service, Decimal());
      continue;
    }
    // Decimal units are millionths of a euro: 10^4 per cent.
    const Integer cents = ceil_of(Rational(Integer(to_cover.cents()), Integer(*row.forecast_volume)));
    prices.emplace_back(row.service, Decimal::from_units(int64_of(cents) * 10'000));
  }
  return prices;
}

std::vector<AgencyVolume> forecast_volumes(const model::ContractSet& contracts, int price_year) {
  const Date first(static_cast<unsigned short>(price_year), 1, 1);
  const Date before = first - boost::gregorian::days(1);
  std::map<std::string, std::vector<model::Agreement>> by_id;
  for (const auto& a : contracts.agreements) by_id[a.id].push_back(a);
  std::vector<std::pair<int, AgencyVolume>> entries;  // (catalog order, volume)
  for (const auto& [id, versions] : by_id) {
    const model::Agreement* agreement = model::version_in_force(versions, first);
    if (agreement == nullptr) agreement = model::version_in_force(versions, before);
    if (agreement == nullptr) continue;
    for (const auto& terms : agreement->services) {
      if (terms.price.model != model::PriceModel::list || !terms.volume.forecast) continue;
      const std::int64_t volume =
          terms.volume.per == model::Window::month ? *terms.volume.forecast * 12 : *terms.volume.forecast;
      entries.emplace_back(contracts.catalog.order_of(terms.service),
                           AgencyVolume{agreement->client, terms.service, volume});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.agency, a.first) < std::tie(b.second.agency, b.first);
  });
  std::vector<AgencyVolume> out;
  out.reserve(entries.size());
  for (auto& [order, volume] : entries) out.push_back(std::move(volume));
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
