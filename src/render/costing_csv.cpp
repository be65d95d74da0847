#include "render/costing_csv.hpp"

#include <fmt/format.h>

#include "core/csv.hpp"
#include "model/cost_model_names.hpp"

namespace costcover::render {
namespace {

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

std::string allocation_csv(const std::vector<costing::AllocationRow>& rows) {
  std::string out = "cost_centre,kind,own_cost,received,allocated_out,total_cost\n";
  for (const costing::AllocationRow& r : rows)
    out += csv_text_field(r.cost_centre) + "," + model::to_string(r.kind) + "," + r.own_cost.to_string() + "," +
           r.received.to_string() + "," + r.allocated_out.to_string() + "," + r.total_cost.to_string() + "\n";
  return out;
}

std::string unit_costs_csv(const std::vector<costing::UnitCostRow>& rows) {
  std::string out =
      "service,direct_cost,support_cost,capital_cost,total_cost,forecast_volume,unit_cost,proposed_price\n";
  for (const costing::UnitCostRow& r : rows) {
    out += csv_text_field(r.service) + "," + r.direct_cost.to_string() + "," + r.support_cost.to_string() + "," +
           r.capital_cost.to_string() + "," + r.total_cost.to_string() + "," +
           (r.forecast_volume ? std::to_string(*r.forecast_volume) : "") + "," +
           (r.unit_cost ? r.unit_cost->to_string(4) : "") + "," +
           (r.proposed_price ? r.proposed_price->to_string(4) : "") + "\n";
  }
  return out;
}

std::string matching_csv(const std::vector<costing::MatchingRow>& rows) {
  using costing::kCategoryCount;
  using costing::kDirectCategoryCount;
  std::string out =
      "year,service,revenue,materials,personnel,rents,purchased_services,other_direct,direct_total,"
      "support_functions,depreciation,imputed_interest,other_common,common_total,total_cost,surplus,"
      "coverage_percent\n";
  for (const costing::MatchingRow& r : rows) {
    out += std::to_string(r.year) + "," + csv_text_field(r.service) + "," + r.revenue.to_string();
    for (std::size_t k = 0; k < kDirectCategoryCount; ++k) out += "," + r.cost[k].to_string();
    out += "," + r.direct_total().to_string();
    for (std::size_t k = kDirectCategoryCount; k < kCategoryCount; ++k) out += "," + r.cost[k].to_string();
    const std::optional<Decimal> coverage = r.coverage_percent();
    out += "," + r.common_total().to_string() + "," + r.total_cost().to_string() + "," + r.surplus().to_string() + "," +
           (coverage ? coverage->to_string(2) : "") + "\n";
  }
  return out;
}

std::string price_what_if_csv(const std::vector<costing::WhatIfRow>& rows) {
  std::string out =
      "agency,service,volume,current_price,proposed_price,current_amount,proposed_amount,change,change_percent\n";
  for (const costing::WhatIfRow& r : rows) {
    const std::optional<Decimal> percent = r.change_percent();
    out += csv_text_field(r.agency) + "," + csv_text_field(r.service) + "," +
           (r.volume ? std::to_string(*r.volume) : "") + "," + (r.current_price ? r.current_price->to_string(4) : "") +
           "," + (r.proposed_price ? r.proposed_price->to_string(4) : "") + "," + r.current_amount.to_string() + "," +
           r.proposed_amount.to_string() + "," + r.change().to_string() + "," + (percent ? percent->to_string(2) : "") +
           "\n";
  }
  return out;
}

std::string price_list_yaml(int year, const std::string& basis, const costing::PriceTable& prices,
                            const std::vector<std::string>& header_lines) {
  std::string out;
  for (const std::string& line : header_lines) out += line.empty() ? "#\n" : "# " + line + "\n";
  out += "price_list:\n  year: " + std::to_string(year) + "\n  basis: " + yaml_quoted(basis) + "\nprices:\n";
  for (const auto& [service, price] : prices) out += "  " + service + ": " + price_text(price) + "\n";
  return out;
}

std::vector<std::string> price_list_header(const PriceListSource& source) {
  const int year = source.year;
  const bool budget = source.basis == costing::CostBasis::budget;
  std::vector<std::string> header = {
      budget ? fmt::format("Proposed cost-covering prices for {}, by `costcover prices propose --year {} --budget`, "
                           "before the year.",
                           year, year)
             : fmt::format("Proposed cost-covering prices for {}, by `costcover prices propose --year {}`.",
                           costing::proposed_price_year(source.basis, year), year),
      fmt::format("{} {}: {} (sha256 {}), {} rows, total {}.", budget ? "Budget" : "Ledger", year, source.ledger_file,
                  source.ledger_sha256, source.ledger_rows, source.ledger_total.to_string()),
      fmt::format("Cost model {}: {} (sha256 {}), method {}, imputed interest {}.", year, source.cost_model_file,
                  source.cost_model_sha256, model::to_string(source.method), source.imputed_interest.to_string()),
      fmt::format("Volumes: forecast_volumes of the cost model {}; price = total cost / forecast volume, rounded up "
                  "to the cent.",
                  year),
  };
  const int settled = budget ? source.settled_year : year;
  if (source.carried.empty()) {
    if (source.settlement_recorded) {
      header.push_back(fmt::format("No difference of {} was carried forward by `costcover settle`.", settled));
    } else if (budget) {
      header.push_back(fmt::format(
          "No year before {} has been settled by `costcover settle`: no carried differences included.", year));
    } else {
      header.push_back(fmt::format("`costcover settle --year {}` has not run: no carried differences included.", year));
    }
  }
  for (const auto& c : source.carried) {
    const bool surplus = c.surplus > Money();
    header.push_back(fmt::format("{}: {} {} of {} carried forward into the price.", c.service,
                                 surplus ? "surplus" : "deficit", (surplus ? c.surplus : -c.surplus).to_string(),
                                 settled));
  }
  return header;
}

std::string price_list_basis(const PriceListSource& source) {
  std::string basis =
      fmt::format("{} {} (load {}, sha256 {}), cost model {}, proposed by costcover", costing::to_string(source.basis),
                  source.year, source.ledger_load, source.ledger_sha256, source.year);
  if (!source.carried.empty()) {
    const int settled = source.basis == costing::CostBasis::budget ? source.settled_year : source.year;
    basis += fmt::format(", with differences of {} carried forward", settled);
  }
  return basis;
}

}  // namespace costcover::render
