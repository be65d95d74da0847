#include "render/tables.hpp"

#include <fmt/format.h>

#include <cstddef>

#include "core/utf8.hpp"

namespace costcover::render {
namespace {

enum class Align { left, right };

// `text` filled with spaces to `width` characters.
std::string pad(const std::string& text, std::size_t width, Align align) {
  const std::size_t length = display_width(text);
  if (length >= width) return text;
  const std::string fill(width - length, ' ');
  return align == Align::right ? fill + text : text + fill;
}

std::string left(const std::string& text, std::size_t width) { return pad(text, width, Align::left); }
std::string right(const std::string& text, std::size_t width) { return pad(text, width, Align::right); }

}  // namespace

// ---- costing ------------------------------------------------------------------------------

namespace {

std::string settle_decision(const std::vector<costing::SettlementPlan>& plans, const std::string& service) {
  std::string decision;
  for (const auto& plan : plans) {
    if (plan.service != service) continue;
    decision = plan.decision == costing::SettlementDecision::settle
                   ? "settle " + plan.settled().to_display() + " (" + std::to_string(plan.lines.size()) + " agencies)"
                   : "carry forward";
  }
  return decision;
}

}  // namespace

std::string settle_table(const std::vector<costing::MatchingRow>& matching,
                         const std::vector<costing::SettlementPlan>& plans) {
  std::string out = fmt::format("{} {} {} {} {} {}\n", left("service", 17), right("revenue", 15),
                                right("total cost", 15), right("surplus", 14), right("coverage", 9), "decision");
  for (const auto& row : matching) {
    const auto coverage = row.coverage_percent();
    out += fmt::format("{} {} {} {} {} {}\n", left(row.service, 17), right(row.revenue.to_display(), 15),
                       right(row.total_cost().to_display(), 15), right(row.surplus().to_display(), 14),
                       right(coverage ? coverage->to_string(2) + " %" : "", 9), settle_decision(plans, row.service));
  }
  return out;
}

std::string unit_costs_table(const std::vector<costing::UnitCostRow>& rows, const costing::PriceTable& proposed) {
  std::string out;
  for (const auto& row : rows) {
    std::string price;
    for (const auto& [service, p] : proposed) {
      if (service == row.service) price = p.to_string(4);
    }
    out += fmt::format("  {} total cost {}  volume {}  unit cost {}  price {}\n", left(row.service, 17),
                       right(row.total_cost.to_display(), 15),
                       right(row.forecast_volume ? std::to_string(*row.forecast_volume) : "", 9),
                       right(row.unit_cost ? row.unit_cost->to_string(4) : "", 9), right(price, 9));
  }
  return out;
}

std::string what_if_table(const std::vector<costing::WhatIfRow>& rows) {
  std::string out = fmt::format("{} {} {} {} {} {} {} {} {}\n", left("agency", 8), left("service", 17),
                                right("volume", 9), right("price now", 10), right("proposed", 10),
                                right("amount now", 14), right("proposed", 14), right("change", 13), right("%", 8));
  for (const auto& row : rows) {
    const bool total = row.service == costing::kTotalRow;
    const auto percent = row.change_percent();
    out += fmt::format("{} {} {} {} {} {} {} {} {}\n", left(total ? "" : row.agency, 8),
                       left(total ? row.agency + " total" : row.service, 17),
                       right(row.volume ? std::to_string(*row.volume) : "", 9),
                       right(row.current_price ? row.current_price->to_string(4) : "", 10),
                       right(row.proposed_price ? row.proposed_price->to_string(4) : "", 10),
                       right(row.current_amount.to_display(), 14), right(row.proposed_amount.to_display(), 14),
                       right(row.change().to_display(), 13), right(percent ? percent->to_string(2) : "", 8));
  }
  return out;
}

}  // namespace costcover::render
