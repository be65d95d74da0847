// The zero-result settlement of one service: whether its surplus or deficit is settled
// with the agencies or carried forward, and if settled, each agency's settlement amount in
// proportion to what it was invoiced for the service (largest remainder, so the lines sum
// exactly). Sign convention: a surplus (revenue > cost) is returned as negative lines (a
// credit), a deficit charged as positive lines; either way the lines sum to -surplus, so
// that revenue + lines - cost is exactly zero.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "costing/matching.hpp"
#include "model/model.hpp"

namespace costcover::costing {

enum class SettlementDecision { settle, carry_forward };
[[nodiscard]] std::string to_string(SettlementDecision decision);  // "settle" | "carry_forward"
[[nodiscard]] std::optional<SettlementDecision> parse_settlement_decision(std::string_view text);  // the inverse

// settle when mode is settle and |surplus| > threshold_percent % of revenue (compared
// exactly, no rounding; a revenue of zero or less makes the threshold zero). A zero surplus
// is never settled.
[[nodiscard]] SettlementDecision settlement_decision(model::SettlementMode mode, Decimal threshold_percent,
                                                     Money revenue, Money surplus);

struct SettlementLine {
  std::string agency;
  Money invoiced;  // the agency's invoiced amount for the service (the weight)
  Money amount;    // negative: credit (surplus returned); positive: charge (deficit)
};

// Splits -surplus over the agencies in proportion to their invoiced amounts. Entries for
// the same agency add up (first appearance order); agencies whose total is zero or
// negative get no line. One line per remaining agency, possibly 0.00 (invoicing should
// skip those). Throws InputError if no agency has a positive invoiced amount.
[[nodiscard]] std::vector<SettlementLine> split_settlement(Money surplus,
                                                           const std::vector<std::pair<std::string, Money>>& invoiced);

struct SettlementPlan {
  std::string service;
  Money revenue;
  Money total_cost;
  Money surplus;    // revenue - total_cost
  Money threshold;  // threshold_percent of revenue, rounded to the cent (for reports)
  SettlementDecision decision = SettlementDecision::carry_forward;
  std::string reason;                   // one line for people: why settled or carried forward
  std::vector<SettlementLine> lines;    // empty unless settled
  [[nodiscard]] Money settled() const;  // the lines' sum: -surplus when settled, else 0.00
};

// The plan for one matching row (not the TOTAL row). When the rule says settle but no
// agency has a positive invoiced amount, the difference is carried forward with that
// reason.
[[nodiscard]] SettlementPlan plan_settlement(const model::CostModel& model, const MatchingRow& row,
                                             const std::vector<std::pair<std::string, Money>>& invoiced);

}  // namespace costcover::costing
