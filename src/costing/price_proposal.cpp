#include "costing/price_proposal.hpp"

#include <map>

#include "core/csv.hpp"
#include "costing/matching.hpp"

namespace costcover::costing {

namespace {

std::optional<Decimal> lookup(const PriceTable& prices, const std::string& service) {
  for (const auto& [id, price] : prices)
    if (id == service) return price;
  return std::nullopt;
}

std::string yaml_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string price_text(Decimal price) { return price.to_string(price.units() % 10'000 == 0 ? 2 : 4); }

}  // namespace

PriceTable proposed_prices(const std::vector<UnitCostRow>& rows) {
  PriceTable out;
  for (const UnitCostRow& row : rows)
    if (row.proposed_price) out.emplace_back(row.service, *row.proposed_price);
  return out;
}

std::string price_list_yaml(int year, const std::string& basis, const PriceTable& prices,
                            const std::vector<std::string>& header_lines) {
  std::string out;
  for (const std::string& line : header_lines) out += line.empty() ? "#\n" : "# " + line + "\n";
  out += "price_list:\n  year: " + std::to_string(year) + "\n  basis: " + yaml_quoted(basis) + "\nprices:\n";
  for (const auto& [service, price] : prices) out += "  " + service + ": " + price_text(price) + "\n";
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

std::string price_what_if_csv(const std::vector<WhatIfRow>& rows) {
  std::string out =
      "agency,service,volume,current_price,proposed_price,current_amount,proposed_amount,change,change_percent\n";
  for (const WhatIfRow& r : rows) {
    const std::optional<Decimal> percent = r.change_percent();
    out += csv_text_field(r.agency) + "," + csv_text_field(r.service) + "," +
           (r.volume ? std::to_string(*r.volume) : "") + "," + (r.current_price ? r.current_price->to_string(4) : "") +
           "," + (r.proposed_price ? r.proposed_price->to_string(4) : "") + "," + r.current_amount.to_string() + "," +
           r.proposed_amount.to_string() + "," + r.change().to_string() + "," + (percent ? percent->to_string(2) : "") +
           "\n";
  }
  return out;
}

}  // namespace costcover::costing
