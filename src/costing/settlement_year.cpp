#include "costing/settlement_year.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/errors.hpp"
#include "core/phrases.hpp"

namespace costcover::costing {
namespace {

using AgencyService = std::pair<std::string, std::string>;

// What the agency was invoiced for the service in the year (the weight of its share).
Money invoiced_by(const YearRevenue& revenue, const std::string& service, const std::string& agency) {
  Money sum;
  const auto found = revenue.by_agency.find(service);
  if (found == revenue.by_agency.end()) return sum;
  for (const auto& [a, amount] : found->second) {
    if (a == agency) sum += amount;
  }
  return sum;
}

std::string settled_description(int year, const std::string& name, const SettlementPlan& plan, Money invoiced,
                                bool has_final, const std::string& language) {
  const bool surplus = plan.surplus > Money();
  return phrase(surplus ? Phrase::settlement_surplus : Phrase::settlement_deficit, language, name, year,
                (surplus ? plan.surplus : -plan.surplus).to_display(), invoiced.to_display(),
                plan.revenue.to_display()) +
         (has_final ? std::string(phrase(Phrase::settlement_change, language)) : std::string());
}

std::string reversed_description(int year, const std::string& name, const std::string& language) {
  return phrase(Phrase::settlement_reversed, language, name, year);
}

// Each agency's wanted share per service, with a zero entry where only a final one exists.
std::map<AgencyService, Money> wanted_shares(const std::vector<SettlementPlan>& plans,
                                             const std::map<AgencyService, Money>& already) {
  std::map<AgencyService, Money> wanted;
  for (const auto& plan : plans) {
    for (const auto& line : plan.lines) wanted[{line.agency, plan.service}] += line.amount;
  }
  for (const auto& [key, amount] : already) wanted.try_emplace(key, Money());
  return wanted;
}

}  // namespace

YearRevenue year_revenue(const std::vector<InvoicedAmount>& invoiced) {
  YearRevenue revenue;
  for (const auto& entry : invoiced) {
    if (entry.service.empty()) {
      throw InputError(fmt::format(
          "final invoice lines of {} worth {} belong to no service (billed before fees and charges named the service "
          "they pay for); credit those invoices and bill the months again before settling",
          entry.agency, entry.amount.to_display()));
    }
    revenue.by_agency[entry.service].emplace_back(entry.agency, entry.amount);
    revenue.by_service.emplace_back(entry.service, entry.amount);
  }
  return revenue;
}

void check_matching_revenue(int year, const std::vector<MatchingRow>& matching, Money final_lines_total) {
  const auto total =
      std::find_if(matching.begin(), matching.end(), [](const auto& r) { return r.service == kTotalRow; });
  const Money matched = total == matching.end() ? Money() : total->revenue;
  if (matched != final_lines_total) {
    throw InvariantError(fmt::format(
        "matching {}: TOTAL revenue is {} but the year's final invoice lines other than settlement lines sum to {} "
        "(difference {})",
        year, matched.to_string(), final_lines_total.to_string(), (final_lines_total - matched).to_string()));
  }
}

CentreResult centre_result(int year, const std::vector<MatchingRow>& matching,
                           const std::vector<SettlementPlan>& plans) {
  const auto total =
      std::find_if(matching.begin(), matching.end(), [](const auto& r) { return r.service == kTotalRow; });
  if (total == matching.end()) throw InvariantError(fmt::format("matching {} has no TOTAL row", year));
  CentreResult out;
  out.revenue = total->revenue;
  out.total_cost = total->total_cost();
  for (const auto& plan : plans) {
    out.settlement += plan.settled();
    if (plan.decision == SettlementDecision::carry_forward && plan.surplus != Money()) {
      out.carried_forward += plan.surplus;
      ++out.carried_services;
    }
  }
  if (out.result() != out.carried_forward) {
    throw InvariantError(fmt::format(
        "{}: the centre's result after the settlement is {} (revenue {} + settlement {} - cost {}) but {} is carried "
        "forward (remainder {})",
        year, out.result().to_string(), out.revenue.to_string(), out.settlement.to_string(), out.total_cost.to_string(),
        out.carried_forward.to_string(), (out.result() - out.carried_forward).to_string()));
  }
  return out;
}

std::vector<SettlementPlan> plan_settlements(const model::CostModel& model, const std::vector<MatchingRow>& matching,
                                             const YearRevenue& revenue) {
  static const std::vector<std::pair<std::string, Money>> kNoAgencies;
  std::vector<SettlementPlan> plans;
  for (const auto& row : matching) {
    if (row.service == kTotalRow) continue;
    const auto found = revenue.by_agency.find(row.service);
    plans.push_back(plan_settlement(model, row, found == revenue.by_agency.end() ? kNoAgencies : found->second));
  }
  return plans;
}

std::optional<std::string> settlement_blocker(int year, const std::vector<std::string>& drafts,
                                              const std::vector<std::string>& months_without_final, bool force) {
  if (!drafts.empty()) {
    return fmt::format("{} draft invoice(s) of {} are not final (first: {}); finalize or re-bill them before settling",
                       drafts.size(), year, drafts.front());
  }
  if (months_without_final.empty() || force) return std::nullopt;
  std::string months;
  for (const auto& month : months_without_final) months += (months.empty() ? "" : ", ") + month;
  return fmt::format(
      "the year {} is not fully invoiced: no final invoice for {}; settle after the year's last finalisation (or "
      "--force)",
      year, months);
}

std::string settlement_price_source(int year) { return "settlement " + std::to_string(year); }

DateRange settlement_days(int year) {
  const auto y = static_cast<unsigned short>(year);
  return DateRange{Date(y, 1, 1), Date(y, 12, 31)};
}

std::vector<SettlementInvoiceLine> settlement_lines(int year, const model::Catalog& catalog,
                                                    const std::vector<SettlementPlan>& plans,
                                                    const YearRevenue& revenue,
                                                    const std::vector<InvoicedAmount>& already_final,
                                                    const std::vector<model::Agency>& agencies) {
  std::map<AgencyService, Money> already;
  for (const auto& entry : already_final) already[{entry.agency, entry.service}] += entry.amount;
  std::map<std::string, const SettlementPlan*> plan_of;
  for (const auto& plan : plans) plan_of[plan.service] = &plan;

  std::vector<std::pair<int, SettlementInvoiceLine>> lines;  // (catalog order, line)
  for (const auto& [key, amount] : wanted_shares(plans, already)) {
    const auto& [agency, service] = key;
    const auto final_share = already.find(key);
    const bool has_final = final_share != already.end();
    const Money change = amount - (has_final ? final_share->second : Money());
    if (change == Money()) continue;
    const model::Service* svc = catalog.find(service);
    if (svc == nullptr) throw InvariantError("settlement for service " + service + " which the catalog lacks");
    const auto plan = plan_of.find(service);
    const bool settled = plan != plan_of.end() && plan->second->decision == SettlementDecision::settle;
    const std::string language = model::language_of(agencies, agency);
    const std::string name = svc->name_in(language);
    std::string description = settled ? settled_description(year, name, *plan->second,
                                                            invoiced_by(revenue, service, agency), has_final, language)
                                      : reversed_description(year, name, language);
    lines.emplace_back(catalog.order_of(service),
                       SettlementInvoiceLine{agency, service, std::move(description), change, svc->vat});
  }
  // By agency (the map's order), then catalog order; stable, so ties keep the id order.
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.agency, a.first) < std::tie(b.second.agency, b.first);
  });
  std::vector<SettlementInvoiceLine> out;
  out.reserve(lines.size());
  for (auto& [order, line] : lines) out.push_back(std::move(line));
  return out;
}

void check_settlement_sums(int year, const std::vector<SettlementPlan>& plans,
                           const std::map<std::string, Money>& lines_by_service) {
  for (const auto& plan : plans) {
    const auto found = lines_by_service.find(plan.service);
    const Money settled = found == lines_by_service.end() ? Money() : found->second;
    const Money expected = plan.decision == SettlementDecision::settle ? -plan.surplus : Money();
    if (settled != expected) {
      throw InvariantError(
          fmt::format("{} {}: settlement lines sum to {} but the difference to settle is {} (remainder {})",
                      plan.service, year, settled.to_string(), expected.to_string(), (expected - settled).to_string()));
    }
  }
}

}  // namespace costcover::costing
