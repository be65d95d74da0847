// PRIVATE to src/rating/: the window and the limits of one service's month
// (docs/rating.md, "Windows" and "Limits").
//
// - A `per: year` window is 12 billing months from the month in which the agreement's
//   earliest version starts; a `per: month` window is the billing month. Versions that
//   disagree on `per` within a month: the version in force on the month's last day wins.
// - A window's effective limit is the sum over its days of the limit written in the
//   version in force that day, divided by the window's days, rounded to the nearest whole
//   unit (half away from zero). For the lower limit, days under a limits_suspended
//   exception contribute nothing.
// - The units billable before the month (earlier months of a yearly window) fix where
//   the month starts in the tiers and against the limits.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rating/worksheet.hpp"

namespace costcover::rating::detail {

// The year window of an agreement that contains month.
[[nodiscard]] DateRange year_window(const Group& group, Month month);

// Which versions rate a service in the month: those with terms for it on some day.
struct MonthVersions {
  model::Window per = model::Window::month;  // of the last day with terms
  const model::Agreement* last = nullptr;    // in force on the last day with terms; null: none
  std::map<int, DateRange> days;             // version -> its first and last day with terms
};
[[nodiscard]] MonthVersions month_versions(const std::vector<DayTerms>& month_days);

enum class LimitKind { lower, upper };

struct EffectiveLimit {
  bool present = false;                                     // some day of the window writes the limit
  std::int64_t value = 0;                                   // after pro-rating and suspensions
  std::int64_t unsuspended = 0;                             // as if no limits_suspended exception applied
  std::int64_t written = 0;                                 // as the last version in force writes it
  const model::AgreementException* suspended_by = nullptr;  // the first suspension met (lower limits)
  long suspended_days = 0;
};
// The limit over window (one entry per day of the window).
[[nodiscard]] EffectiveLimit effective_limit(const std::vector<DayTerms>& window, const std::string& service,
                                             LimitKind kind);
// "upper_limit 903 (written 2000)", "yearly lower_limit 12000".
[[nodiscard]] std::string limit_text(const char* which, const EffectiveLimit& limit, bool yearly);
// The same in the words of a line description, in the language (core/phrases.hpp):
// fi "yläraja 903 (sopimuksessa 2000)", en as limit_text above.
[[nodiscard]] std::string limit_text(LimitKind kind, const EffectiveLimit& limit, bool yearly,
                                     std::string_view language);

struct ServiceWindow {
  bool yearly = false;
  DateRange range;
  std::vector<DayTerms> days;         // every day of range
  Month last_billing_month{2000, 1};  // the window's true-up month
  EffectiveLimit lower;
  EffectiveLimit upper;
  std::int64_t prior = 0;  // billable units of the window's days before the month
};
// The window of service in month under the agreement; history holds the service's rows
// of earlier days (extra ones are ignored).
[[nodiscard]] ServiceWindow service_window(const Group& group, const std::string& service, Month month,
                                           const MonthVersions& versions, const std::vector<DayTerms>& month_days,
                                           std::span<const DailyVolume* const> history);

}  // namespace costcover::rating::detail
