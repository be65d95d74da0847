#include "rating/sla_credit.hpp"

#include <algorithm>

#include "core/phrases.hpp"

namespace costcover::rating::detail {
namespace {

[[nodiscard]] bool same_target(const model::PerformanceTarget& a, const model::PerformanceTarget& b) {
  return a.metric == b.metric && a.max_business_days == b.max_business_days && a.target_share == b.target_share &&
         a.credit_percent == b.credit_percent;
}

[[nodiscard]] TargetStat& stat_of(std::vector<TargetStat>& stats, const model::PerformanceTarget& target) {
  auto it =
      std::find_if(stats.begin(), stats.end(), [&](const TargetStat& s) { return same_target(s.target, target); });
  if (it == stats.end()) {
    stats.push_back({target, 0, 0, 0, nullptr, {}, nullptr});
    it = std::prev(stats.end());
  }
  return *it;
}

void measure_row(const model::ServiceTerms& terms, const DailyVolume& row, std::vector<TargetStat>& stats) {
  for (const model::PerformanceTarget& target : terms.performance) {
    TargetStat& stat = stat_of(stats, target);
    stat.measured += row.transactions;
    if (row.business_days <= target.max_business_days) {
      stat.met += row.transactions;
    }
  }
}

// "1000 of 1060 measured transactions (94.34 %) within 5 business days, target 95 %".
// In the language of the description (English in findings).
[[nodiscard]] std::string measured_text(const TargetStat& stat, std::string_view language = "en") {
  const model::PerformanceTarget& target = stat.target;
  const std::string share =
      Decimal::from_units(narrow(static_cast<Int128>(target.target_share.units()) * 100, "share")).to_string();
  return phrase(Phrase::sla_measured, language, stat.met, stat.measured, percent_text(stat.met, stat.measured),
                target.max_business_days, share);
}

// The priced lines of the service from first_line on, of the versions carrying the target.
[[nodiscard]] Money credit_base(const TargetStat& stat, std::size_t first_line, Worksheet& sheet) {
  Money base;
  for (std::size_t i = first_line; i < sheet.line_count(); ++i) {
    const InvoiceLine& l = sheet.pending(i).line;
    if (model::is_priced(l.kind) && stat.versions.count(l.agreement_version) > 0) {
      base += multiply_round(l.quantity, l.unit_price);
    }
  }
  return base;
}

Money credit_line(const ServiceMonth& sm, const TargetStat& stat, const CountsBy<std::int64_t>& waived, Money base,
                  Worksheet& sheet) {
  const Decimal percent = *stat.target.credit_percent;
  const Money credit = -percent_of(base, percent);
  const std::string measured = measured_text(stat);
  const std::string& language = sheet.input().language;
  std::string description = phrase(Phrase::sla_credit, language, sm.name, percent.to_string(), base.to_string(),
                                   measured_text(stat, language));
  std::string exception_id;
  if (!waived.empty()) {
    const auto& [waiver, transactions] = waived.front();
    exception_id = waiver->id;
    description += phrase(Phrase::sla_not_measured, language, transactions, exception_text(*waiver));
  }
  PendingLine p = prototype(LineKind::sla_credit, *stat.last_version, sm.service, money_as_decimal(credit),
                            "credit_percent " + percent.to_string(), exception_id, std::move(description));
  p.line.quantity = 1;
  p.line.amount = credit;
  p.line.exact_amount =
      Decimal::from_units(-narrow(divide_round(static_cast<Int128>(base.cents()) * percent.units(), 10'000), "credit"));
  p.line.days = sheet.input().month.range();
  (void)sheet.line(std::move(p));
  sheet.finding(FindingKind::deadline_missed, stat.last_version, sm.service, exception_id, stat.measured,
                sm.service + ": " + measured + "; credit " + percent.to_string() + " % = " + credit.to_string());
  return credit;
}

[[nodiscard]] TargetResult result_of(const ServiceMonth& sm, const TargetStat& stat, TargetStatus status) {
  TargetResult r;
  r.agreement_id = stat.last_version->id;
  r.agreement_version = stat.last_version->version;
  r.service = sm.service;
  r.target = stat.target;
  r.status = status;
  r.transactions = stat.measured + stat.waived;
  r.measured = stat.measured;
  r.within = stat.met;
  r.waived = stat.waived;
  if (stat.waived_by != nullptr) {
    r.exception_id = stat.waived_by->id;
  }
  return r;
}

void settle_target(const ServiceMonth& sm, const TargetStat& stat, const CountsBy<std::int64_t>& waived,
                   std::size_t first_line, Worksheet& sheet) {
  const std::string& service = sm.service;
  if (stat.measured == 0) {
    sheet.target(result_of(sm, stat, TargetStatus::waived));
    return;
  }
  if (!target_missed(stat)) {
    sheet.finding(FindingKind::deadline_met, stat.last_version, service, "", stat.measured,
                  service + ": " + measured_text(stat));
    sheet.target(result_of(sm, stat, TargetStatus::met));
    return;
  }
  TargetResult result = result_of(sm, stat, TargetStatus::missed);
  const bool agreed = stat.target.credit_percent.has_value();
  const Money base = agreed ? credit_base(stat, first_line, sheet) : Money();
  if (!agreed || base == Money()) {
    sheet.finding(FindingKind::deadline_missed, stat.last_version, service, "", stat.measured,
                  service + ": " + measured_text(stat) + (agreed ? "; no amount to credit" : "; no credit agreed"));
  } else {
    result.credit = credit_line(sm, stat, waived, base, sheet);
  }
  sheet.target(std::move(result));
}

// Above the upper limit: one finding for the service, every target not_in_force.
void report_not_in_force(const ServiceMonth& sm, const Measurement& measurement, const Commitment& commitment,
                         const model::Agreement* last, Worksheet& sheet) {
  std::int64_t transactions = 0;
  for (const TargetStat& stat : measurement.stats) {
    if (stat.measured + stat.waived == 0) {
      continue;
    }
    TargetResult result = result_of(sm, stat, TargetStatus::not_in_force);
    result.measured = 0;
    result.within = 0;
    transactions = std::max(transactions, result.transactions);
    sheet.target(std::move(result));
  }
  if (transactions == 0) {
    return;
  }
  sheet.finding(FindingKind::targets_not_in_force, last, sm.service, "", transactions,
                sm.service + ": performance targets not in force: volume " + std::to_string(commitment.volume) +
                    " above " + commitment.limit + "; " + std::to_string(transactions) +
                    " transactions not measured, no credit");
}

}  // namespace

Commitment commitment(const ServiceWindow& window, std::int64_t volume, const WalkTotals& walk) {
  Commitment out;
  out.volume = volume;
  if (!window.upper.present) {
    return out;
  }
  const bool over_this_month = walk.flagged + walk.over_billed > 0;
  const bool over_before = window.prior > window.upper.value && walk.suspended_over == 0;
  if (over_this_month || over_before) {
    out.in_force = false;
    out.limit = limit_text("upper_limit", window.upper, window.yearly);
  }
  return out;
}

Measurement measure_targets(const ServiceMonth& sm, const std::vector<DayTerms>& month_days) {
  Measurement out;
  std::size_t next_row = 0;
  for (const DayTerms& day : month_days) {
    if (day.terms == nullptr) {
      continue;
    }
    for (const model::PerformanceTarget& target : day.terms->performance) {
      TargetStat& stat = stat_of(out.stats, target);
      stat.versions.insert(day.version->version);
      stat.last_version = day.version;
    }
    for (; next_row < sm.rows.size() && sm.rows[next_row]->day == day.day; ++next_row) {
      const DailyVolume& row = *sm.rows[next_row];
      if (day.terms->performance.empty()) {
        continue;
      }
      const model::AgreementException* waiver = day.version->waiver_for(sm.service, day.day, row.tags);
      if (waiver == nullptr) {
        measure_row(*day.terms, row, out.stats);
        continue;
      }
      out.waived[waiver] += row.transactions;
      for (const model::PerformanceTarget& target : day.terms->performance) {
        TargetStat& stat = stat_of(out.stats, target);
        stat.waived += row.transactions;
        if (stat.waived_by == nullptr) {
          stat.waived_by = waiver;
        }
      }
    }
  }
  return out;
}

bool target_missed(const TargetStat& stat) {
  return static_cast<Int128>(stat.met) * Decimal::kOne <
         static_cast<Int128>(stat.target.target_share.units()) * stat.measured;
}

std::string percent_text(std::int64_t met, std::int64_t measured) {
  const auto hundredths = narrow(divide_round(static_cast<Int128>(met) * 10'000, measured), "percent");
  const std::string cents = std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + "." + (cents.size() < 2 ? "0" + cents : cents);
}

void bill_sla_credits(const ServiceMonth& sm, const Measurement& measurement, const Commitment& commitment,
                      std::size_t first_line, const model::Agreement* last, Worksheet& sheet) {
  if (!commitment.in_force) {
    report_not_in_force(sm, measurement, commitment, last, sheet);
    return;
  }
  for (const auto& [waiver, transactions] : measurement.waived) {
    sheet.finding(FindingKind::deadline_waived, last, sm.service, waiver->id, transactions,
                  sm.service + ": " + std::to_string(transactions) + " transactions not measured against deadlines (" +
                      exception_text(*waiver) + ")");
  }
  for (const TargetStat& stat : measurement.stats) {
    if (stat.measured + stat.waived > 0) {
      settle_target(sm, stat, measurement.waived, first_line, sheet);
    }
  }
}

}  // namespace costcover::rating::detail
