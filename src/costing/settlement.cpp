#include "costing/settlement.hpp"

#include <cstdint>
#include <map>

#include "core/allocate.hpp"
#include "core/errors.hpp"
#include "core/int128.hpp"

namespace costcover::costing {

std::string to_string(SettlementDecision decision) {
  return decision == SettlementDecision::settle ? "settle" : "carry_forward";
}

std::optional<SettlementDecision> parse_settlement_decision(std::string_view text) {
  for (const SettlementDecision decision : {SettlementDecision::settle, SettlementDecision::carry_forward}) {
    if (to_string(decision) == text) return decision;
  }
  return std::nullopt;
}

SettlementDecision settlement_decision(model::SettlementMode mode, Decimal threshold_percent, Money revenue,
                                       Money surplus) {
  if (mode != model::SettlementMode::settle || surplus.cents() == 0) return SettlementDecision::carry_forward;
  // |surplus| > threshold_percent / 100 x revenue, in integers: |surplus| x 100 x 10^6 > units x revenue.
  const Int128 magnitude = surplus.cents() < 0 ? -Int128{surplus.cents()} : Int128{surplus.cents()};
  const Int128 base = revenue.cents() > 0 ? Int128{revenue.cents()} : Int128{0};
  const Int128 left = magnitude * 100 * Decimal::kOne;
  const Int128 right = Int128{threshold_percent.units()} * base;
  return left > right ? SettlementDecision::settle : SettlementDecision::carry_forward;
}

std::vector<SettlementLine> split_settlement(Money surplus,
                                             const std::vector<std::pair<std::string, Money>>& invoiced) {
  std::vector<SettlementLine> merged;
  std::map<std::string, std::size_t> index;
  for (const auto& [agency, amount] : invoiced) {
    const auto [at, added] = index.emplace(agency, merged.size());
    if (added) merged.push_back({agency, Money(), Money()});
    merged[at->second].invoiced += amount;
  }
  std::vector<SettlementLine> lines;
  std::vector<std::int64_t> weights;
  for (const SettlementLine& line : merged)
    if (line.invoiced.cents() > 0) {
      lines.push_back(line);
      weights.push_back(line.invoiced.cents());
    }
  if (lines.empty())
    throw InputError("cannot split a settlement of " + (-surplus).to_string() +
                     ": no agency was invoiced a positive amount for the service");
  const std::vector<Money> parts = allocate(-surplus, weights);
  Money sum;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    lines[i].amount = parts[i];
    sum += parts[i];
  }
  if (sum != -surplus)
    throw InvariantError("settlement lines sum to " + sum.to_string() + " but should be " + (-surplus).to_string());
  return lines;
}

Money SettlementPlan::settled() const {
  Money sum;
  for (const SettlementLine& line : lines) sum += line.amount;
  return sum;
}

SettlementPlan plan_settlement(const model::CostModel& model, const MatchingRow& row,
                               const std::vector<std::pair<std::string, Money>>& invoiced) {
  SettlementPlan plan;
  plan.service = row.service;
  plan.revenue = row.revenue;
  plan.total_cost = row.total_cost();
  plan.surplus = row.surplus();
  plan.threshold = row.revenue.cents() > 0 ? percent_of(row.revenue, model.threshold_percent) : Money();
  plan.decision = settlement_decision(model.settlement_mode, model.threshold_percent, plan.revenue, plan.surplus);
  const std::string difference = (plan.surplus.cents() >= 0 ? "surplus " : "deficit ") +
                                 (plan.surplus.cents() >= 0 ? plan.surplus : -plan.surplus).to_string();
  if (model.settlement_mode != model::SettlementMode::settle) {
    plan.reason = difference + " carried forward: settlement mode is carry_forward";
  } else if (plan.surplus.cents() == 0) {
    plan.reason = "no difference to settle";
  } else if (plan.decision == SettlementDecision::carry_forward) {
    plan.reason = difference + " carried forward: within the threshold of " + model.threshold_percent.to_string() +
                  " % of revenue (" + plan.threshold.to_string() + ")";
  } else {
    try {
      plan.lines = split_settlement(plan.surplus, invoiced);
      plan.reason = difference + " settled: above the threshold of " + model.threshold_percent.to_string() +
                    " % of revenue (" + plan.threshold.to_string() + ")";
    } catch (const InputError&) {
      plan.decision = SettlementDecision::carry_forward;
      plan.reason = difference + " carried forward: no agency was invoiced a positive amount for the service";
    }
  }
  return plan;
}

}  // namespace costcover::costing
