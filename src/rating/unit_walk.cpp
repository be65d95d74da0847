#include "rating/unit_walk.hpp"

#include <algorithm>
#include <optional>

#include "core/phrases.hpp"
#include "rating/price.hpp"

namespace costcover::rating::detail {
namespace {

using model::AgreementException;
using model::ExceptionKind;

// What holds for every unit of one day.
struct DayRules {
  const DayTerms* day = nullptr;
  const AgreementException* price_exception = nullptr;  // with a unit_price
  const AgreementException* suspension = nullptr;
  bool has_upper = false;  // the day's version writes an upper limit
};

class UnitWalk {
 public:
  UnitWalk(const ServiceMonth& sm, const ServiceWindow& window, Worksheet& sheet)
      : sm_(sm), window_(window), sheet_(sheet), position_(window.prior) {}

  WalkTotals run(const std::vector<DayTerms>& month_days);

 private:
  [[nodiscard]] DayRules rules_for(const DayTerms& day);
  void exclude_row(const DayRules& rules, const DailyVolume& row, const AgreementException& exclusion);
  void bill_row(const DayRules& rules, const DailyVolume& row);
  // The line for the units from position_ + 1 to at most end (a limit or a tier may stop
  // them earlier: end is moved there).
  [[nodiscard]] PendingLine next_run(const DayRules& rules, std::int64_t& end);
  [[nodiscard]] PendingLine usage_run(const DayRules& rules, std::int64_t& end);
  // The upper limit in the words of the descriptions.
  [[nodiscard]] std::string upper_text() const {
    return limit_text(LimitKind::upper, window_.upper, window_.yearly, language());
  }
  [[nodiscard]] const std::string& language() const { return sheet_.input().language; }

  const ServiceMonth& sm_;
  const ServiceWindow& window_;
  Worksheet& sheet_;
  std::int64_t position_;  // the last unit numbered in the window
  WalkTotals totals_;
};

WalkTotals UnitWalk::run(const std::vector<DayTerms>& month_days) {
  std::size_t next_row = 0;
  for (const DayTerms& day : month_days) {
    if (day.terms == nullptr) {
      continue;
    }
    const DayRules rules = rules_for(day);
    while (next_row < sm_.rows.size() && sm_.rows[next_row]->day == day.day) {
      const DailyVolume& row = *sm_.rows[next_row++];
      totals_.covered += row.quantity;
      if (const AgreementException* exclusion = day.version->exclusion_for(sm_.service, day.day, row.tags)) {
        exclude_row(rules, row, *exclusion);
      } else {
        bill_row(rules, row);
      }
    }
  }
  return std::move(totals_);
}

DayRules UnitWalk::rules_for(const DayTerms& day) {
  DayRules rules;
  rules.day = &day;
  rules.price_exception = day.version->first_exception(ExceptionKind::price, sm_.service, day.day);
  rules.suspension = day.version->first_exception(ExceptionKind::limits_suspended, sm_.service, day.day);
  rules.has_upper = window_.upper.present && day.terms->volume.upper_limit.has_value();
  if (rules.price_exception != nullptr && !rules.price_exception->unit_price) {
    sheet_.error(rules.price_exception->where, "price exception " + rules.price_exception->id + " has no unit_price");
    rules.price_exception = nullptr;
  }
  return rules;
}

void UnitWalk::exclude_row(const DayRules& rules, const DailyVolume& row, const AgreementException& exclusion) {
  PendingLine p = prototype(LineKind::usage, *rules.day->version, sm_.service, Decimal(), "exception " + exclusion.id,
                            exclusion.id, phrase(Phrase::not_billed, language(), sm_.name, exception_text(exclusion)));
  sheet_.add_units(sheet_.line(std::move(p)), row, row.quantity, row.day);
  auto& [transactions, units] = totals_.excluded[&exclusion];
  transactions += row.transactions;
  units += row.quantity;
}

void UnitWalk::bill_row(const DayRules& rules, const DailyVolume& row) {
  totals_.billable += row.quantity;
  std::int64_t remaining = row.quantity;
  while (remaining > 0) {
    std::int64_t end = position_ + remaining;
    PendingLine p = next_run(rules, end);
    const std::int64_t count = end - position_;
    sheet_.add_units(sheet_.line(std::move(p)), row, count, row.day);
    position_ = end;
    remaining -= count;
  }
}

PendingLine UnitWalk::next_run(const DayRules& rules, std::int64_t& end) {
  const model::Volume& volume = rules.day->terms->volume;
  const bool above = rules.has_upper && position_ + 1 > window_.upper.value;
  if (rules.has_upper && !above) {
    end = std::min(end, window_.upper.value);
  }
  if (above && rules.suspension == nullptr && volume.over_limit == model::OverLimitMode::price) {
    totals_.over_price = volume.over_limit_price;
    totals_.over_billed += end - position_;
    return prototype(LineKind::over_limit, *rules.day->version, sm_.service, volume.over_limit_price, "over_limit", "",
                     sm_.name + phrase(Phrase::above_limit, language(), upper_text()));
  }
  PendingLine p = usage_run(rules, end);
  if (above && rules.suspension != nullptr) {
    if (p.line.exception_id.empty()) {
      p.line.exception_id = rules.suspension->id;
    }
    p.line.description += phrase(Phrase::above_limit, language(), upper_text()) +
                          phrase(Phrase::limits_suspended, language(), exception_text(*rules.suspension));
    totals_.suspended_over += end - position_;
    if (totals_.suspended_by == nullptr) {
      totals_.suspended_by = rules.suspension;
    }
  } else if (above) {
    totals_.flagged += end - position_;
  }
  return p;
}

PendingLine UnitWalk::usage_run(const DayRules& rules, std::int64_t& end) {
  const model::Agreement& version = *rules.day->version;
  if (const AgreementException* special = rules.price_exception) {
    totals_.priced[special] += end - position_;
    return prototype(LineKind::usage, version, sm_.service, *special->unit_price, "exception " + special->id,
                     special->id, phrase(Phrase::special_price, language(), sm_.name, exception_text(*special)));
  }
  const std::optional<BasePrice> base = base_price(*rules.day->terms, version, rules.day->day, position_ + 1, sheet_);
  if (!base) {
    return prototype(LineKind::usage, version, sm_.service, Decimal(), "missing", "", sm_.name);
  }
  if (base->tier_end >= 0) {
    end = std::min(end, base->tier_end);
  }
  return prototype(LineKind::usage, version, sm_.service, base->unit_price, base->source, "", sm_.name + base->detail);
}

}  // namespace

WalkTotals walk_units(const ServiceMonth& sm, const ServiceWindow& window, const std::vector<DayTerms>& month_days,
                      Worksheet& sheet) {
  return UnitWalk(sm, window, sheet).run(month_days);
}

void report_walk(const ServiceMonth& sm, const ServiceWindow& window, const WalkTotals& totals,
                 const model::Agreement* last, Worksheet& sheet) {
  const std::string& service = sm.service;
  const std::string upper = limit_text("upper_limit", window.upper, window.yearly);
  for (const auto& [exclusion, counts] : totals.excluded) {
    sheet.finding(FindingKind::excluded, last, service, exclusion->id, counts.second,
                  service + ": " + std::to_string(counts.first) + " transactions (" + std::to_string(counts.second) +
                      " units) not billed and not counted toward tiers or limits (" + exception_text(*exclusion) + ")");
  }
  for (const auto& [exception, units] : totals.priced) {
    sheet.finding(FindingKind::price_exception, last, service, exception->id, units,
                  service + ": " + std::to_string(units) + " units priced at " + exception->unit_price->to_string(4) +
                      " (" + exception_text(*exception) + ")");
  }
  if (totals.flagged > 0) {
    sheet.finding(FindingKind::over_limit_flagged, last, service, "", totals.flagged,
                  service + ": " + upper + " exceeded by " + std::to_string(totals.flagged) +
                      ", flagged (billed at the normal price)");
  }
  if (totals.over_billed > 0) {
    sheet.finding(FindingKind::over_limit_billed, last, service, "", totals.over_billed,
                  service + ": " + upper + " exceeded by " + std::to_string(totals.over_billed) + ", billed at " +
                      totals.over_price.to_string(4) + " as over_limit");
  }
  if (totals.suspended_over > 0) {
    sheet.finding(FindingKind::limits_suspended, last, service, totals.suspended_by->id, totals.suspended_over,
                  service + ": " + upper + " exceeded by " + std::to_string(totals.suspended_over) +
                      " while limits were suspended (" + exception_text(*totals.suspended_by) +
                      "); billed at the normal price");
  }
}

}  // namespace costcover::rating::detail
