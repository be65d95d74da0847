#include "rating/true_up.hpp"

#include <algorithm>
#include <optional>

#include "core/phrases.hpp"
#include "rating/price.hpp"

namespace costcover::rating::detail {

TrueUpDecision decide_true_up(const ServiceWindow& window, Month month, std::int64_t volume) {
  const EffectiveLimit& lower = window.lower;
  TrueUpDecision decision;
  if (!lower.present || month != window.last_billing_month) {
    return decision;
  }
  decision.reduced = lower.suspended_by != nullptr && lower.value < lower.unsuspended;
  if (lower.value > volume) {
    decision.outcome = TrueUpOutcome::billed;
    decision.shortfall = lower.value - volume;
  } else if (decision.reduced && lower.unsuspended > volume) {
    decision.outcome = TrueUpOutcome::suspended;
    decision.shortfall = lower.unsuspended - volume;
  }
  return decision;
}

namespace {

void bill_true_up_line(const ServiceMonth& sm, const ServiceWindow& window, const TrueUpDecision& decision,
                       std::int64_t volume, Worksheet& sheet) {
  const EffectiveLimit& lower = window.lower;
  const auto has_terms = [](const DayTerms& d) { return d.terms != nullptr; };
  const auto first = std::find_if(window.days.begin(), window.days.end(), has_terms);
  const auto last = std::find_if(window.days.rbegin(), window.days.rend(), has_terms);
  const std::optional<BasePrice> base = base_price(*first->terms, *first->version, first->day, 1, sheet);
  const std::string limit = limit_text("lower_limit", lower, window.yearly);
  const std::string& language = sheet.input().language;
  std::string description =
      phrase(Phrase::true_up, language, sm.name, limit_text(LimitKind::lower, lower, window.yearly, language));
  if (decision.reduced) {
    description += phrase(Phrase::true_up_reduced, language, lower.suspended_days, exception_text(*lower.suspended_by));
  }
  description += phrase(Phrase::billable_volume, language, volume);
  const std::string exception_id = decision.reduced ? lower.suspended_by->id : "";
  PendingLine p = prototype(LineKind::true_up, *last->version, sm.service, base ? base->unit_price : Decimal(),
                            base ? base->source : "missing", exception_id, std::move(description));
  p.line.days = sheet.input().month.range();
  sheet.pending(sheet.line(std::move(p))).line.quantity += decision.shortfall;
  sheet.finding(FindingKind::true_up, last->version, sm.service, exception_id, decision.shortfall,
                sm.service + ": billable volume " + std::to_string(volume) + " is below " + limit + "; true-up of " +
                    std::to_string(decision.shortfall) + " units");
}

}  // namespace

void bill_true_up(const ServiceMonth& sm, const ServiceWindow& window, const TrueUpDecision& decision,
                  std::int64_t volume, const model::Agreement* last, Worksheet& sheet) {
  const EffectiveLimit& lower = window.lower;
  switch (decision.outcome) {
    case TrueUpOutcome::none:
      return;
    case TrueUpOutcome::billed:
      bill_true_up_line(sm, window, decision, volume, sheet);
      return;
    case TrueUpOutcome::suspended:
      sheet.finding(FindingKind::limits_suspended, last, sm.service, lower.suspended_by->id, decision.shortfall,
                    sm.service + ": billable volume " + std::to_string(volume) + " is below lower_limit " +
                        std::to_string(lower.unsuspended) + " but limits were suspended for " +
                        std::to_string(lower.suspended_days) + " days (" + exception_text(*lower.suspended_by) +
                        "); no true-up");
      return;
  }
}

}  // namespace costcover::rating::detail
