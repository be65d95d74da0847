// The settlement of a year (pure), around the one-service rules of settlement.hpp: the
// year's final invoiced amounts as the matching calculation and the split take them, one
// plan per service, whether the year may be settled yet, and the settlement lines to
// invoice. docs/costing-jobs.md, "settle", states the rules.
//
// Invariants:
// - a settlement line carries only the CHANGE to what final settlement invoices of the year
//   already hold for its agency and service (the wanted share minus the final one), so a
//   re-run after a finalised settlement adds only what changed, and nothing if nothing did;
// - after the lines are stored, every service's settlement lines of the year (drafts and
//   finals) sum to -surplus when settled and to 0.00 otherwise (check_settlement_sums).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "costing/matching.hpp"
#include "costing/settlement.hpp"
#include "model/model.hpp"

namespace costcover::costing {

// A sum of invoice lines of one agency for one service: the year's revenue (fees and
// charges in the service they pay for), or its final settlement lines.
struct InvoicedAmount {
  std::string service;
  std::string agency;
  Money amount;
};

// The year's revenue, grouped for the matching calculation and the split.
struct YearRevenue {
  std::vector<std::pair<std::string, Money>> by_service;                        // (service, amount), input order
  std::map<std::string, std::vector<std::pair<std::string, Money>>> by_agency;  // service -> (agency, amount)
};
// Every euro belongs to a service: an entry without one (lines billed before fees and
// charges named their service) is an InputError naming the agency and the amount.
[[nodiscard]] YearRevenue year_revenue(const std::vector<InvoicedAmount>& invoiced);

// The matching's TOTAL revenue must be every final invoice line of the year other than
// settlement lines (credit notes and corrections included), reckoned apart from the
// per-service sums (from the invoices' net totals: store::final_revenue_total).
// InvariantError naming both figures and the difference otherwise.
void check_matching_revenue(int year, const std::vector<MatchingRow>& matching, Money final_lines_total);

// The centre's result of the year after the settlement: revenue + settlement - cost, over
// every service. Each settled service ends at zero, so the result is what was carried
// forward (the surpluses of the plans carried forward, which a later price list takes in):
// 0.00 when every difference is settled.
struct CentreResult {
  Money revenue;             // the matching's TOTAL revenue
  Money settlement;          // what the plans settle: the year's settlement lines once stored
  Money total_cost;          // the matching's TOTAL cost
  Money carried_forward;     // the surpluses of the plans carried forward
  int carried_services = 0;  // plans carried forward with a difference (not 0.00)
  [[nodiscard]] Money result() const { return revenue + settlement - total_cost; }
  bool operator==(const CentreResult&) const = default;
};
// From the matching rows (TOTAL row included) and one plan per service row. InvariantError
// when the result is not the carried total, or without a TOTAL row.
[[nodiscard]] CentreResult centre_result(int year, const std::vector<MatchingRow>& matching,
                                         const std::vector<SettlementPlan>& plans);

// One plan per matching row but the TOTAL row, in row order; each service's agencies
// weighted by what they were invoiced for it.
[[nodiscard]] std::vector<SettlementPlan> plan_settlements(const model::CostModel& model,
                                                           const std::vector<MatchingRow>& matching,
                                                           const YearRevenue& revenue);

// Why the year cannot be settled yet, or nothing when it can:
//   draft invoices of the year (other than settle's own) | months without a final invoice | force | verdict
//   some ("AGENCY YYYY-MM", the first named)             | any                            | any   | refused
//   none                                                  | some                           | no    | refused
//   none                                                  | some                           | yes   | settle
//   none                                                  | none                           | any   | settle
[[nodiscard]] std::optional<std::string> settlement_blocker(int year, const std::vector<std::string>& drafts,
                                                            const std::vector<std::string>& months_without_final,
                                                            bool force);

// What marks a line as the settlement of `year`: its price_source ("settlement 2026"),
// and the days it covers (the whole year).
[[nodiscard]] std::string settlement_price_source(int year);
[[nodiscard]] DateRange settlement_days(int year);

// One settlement line to invoice: kind settlement, quantity 1, unit price = amount, the
// price source and days above, the service's VAT.
struct SettlementInvoiceLine {
  std::string agency;
  std::string service;
  std::string description;
  Money amount;  // negative: a credit (a surplus returned); positive: a charge
  model::Vat vat;
};

// Per agency and service, the plan's share minus what `already_final` (the final
// settlement lines of the year, per agency and service) holds, where that is not zero;
// ordered by agency, then catalog order. The description says how the share was reckoned
// ("Payment: settlement of 2026, deficit 1 234.56 charged in proportion to 205.76
// invoiced of 1 234.56"), "(change to the settlement already invoiced)" after it when a
// final one exists, or that the settlement is reversed when the service is now carried
// forward (or no longer in the matching). The description and the service's name are in
// the agency's language (`agencies`, model::language_of; core/phrases.hpp): fi "Maksu:
// tasaus vuodelta 2026, alijäämä 1 234.56 veloitettu ...". InvariantError for a service
// the catalog lacks.
[[nodiscard]] std::vector<SettlementInvoiceLine> settlement_lines(int year, const model::Catalog& catalog,
                                                                  const std::vector<SettlementPlan>& plans,
                                                                  const YearRevenue& revenue,
                                                                  const std::vector<InvoicedAmount>& already_final,
                                                                  const std::vector<model::Agency>& agencies);

// Checks the stored settlement lines of the year, summed per service (drafts and finals):
// -surplus for a settled service, 0.00 for the others. InvariantError naming the service,
// both sides and the remainder.
void check_settlement_sums(int year, const std::vector<SettlementPlan>& plans,
                           const std::map<std::string, Money>& lines_by_service);

}  // namespace costcover::costing
