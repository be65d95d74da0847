// PRIVATE to src/rating/: the true-up of a lower limit (docs/rating.md, "Limits"). On the
// window's last billing month, when the window's billable volume is below the effective
// lower limit, a true_up line bills the shortfall at the price of the window's first
// unit (under the version in force on the window's first day with terms; a price
// exception does not apply to it), carrying the version in force on the window's last
// day with terms. Suspended days reduce the limit; a window whose true-up the suspension
// took away gets a limits_suspended finding instead.
#pragma once

#include <cstdint>

#include "rating/window.hpp"
#include "rating/worksheet.hpp"

namespace costcover::rating::detail {

enum class TrueUpOutcome {
  none,       // no lower limit, not the window's last month, or the volume reaches the limit
  billed,     // a true_up line of `shortfall` units
  suspended,  // below the unsuspended limit, but the suspension took the true-up away
};

struct TrueUpDecision {
  TrueUpOutcome outcome = TrueUpOutcome::none;
  std::int64_t shortfall = 0;  // billed: the limit minus the volume; suspended: the same against the unsuspended limit
  bool reduced = false;        // a limits_suspended exception lowered the limit
};

// The decision for a window's billable volume (earlier months included) in month.
[[nodiscard]] TrueUpDecision decide_true_up(const ServiceWindow& window, Month month, std::int64_t volume);

// Bills the true-up of sm (line and finding) as decided; last is the month's last version.
void bill_true_up(const ServiceMonth& sm, const ServiceWindow& window, const TrueUpDecision& decision,
                  std::int64_t volume, const model::Agreement* last, Worksheet& sheet);

}  // namespace costcover::rating::detail
