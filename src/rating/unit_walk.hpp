// PRIVATE to src/rating/: the unit walk of one service's month (docs/rating.md, "Prices",
// "Limits" and "Exceptions"). Day by day, each row of the month in order, its units are
// numbered on from the window's earlier units and put on lines:
// - a row an exclude exception takes out goes whole on a zero-priced usage line naming
//   the exception, and its units hold no position;
// - otherwise each unit is priced by a price exception of its day, or else its base
//   price (list, agreement or tier: a run of units stops at a tier's end);
// - a unit numbered above the effective upper limit, on a day whose version writes one,
//   goes on an over_limit line when the version prices over-limit units and its day is
//   not suspended; otherwise it stays on its usage line, flagged, or marked with the
//   limits_suspended exception on a suspended day.
// Invariant: every unit of every row is on exactly one line (rating.cpp checks it).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "rating/window.hpp"
#include "rating/worksheet.hpp"

namespace costcover::rating::detail {

// What the walk counted, for the findings and the true-up.
struct WalkTotals {
  std::int64_t covered = 0;                                 // units of the rows walked
  std::int64_t billable = 0;                                // of them, not excluded
  std::int64_t flagged = 0;                                 // above the upper limit, billed normally (over_limit: flag)
  std::int64_t over_billed = 0;                             // above the upper limit on over_limit lines
  Decimal over_price;                                       // the over_limit price of the last such run
  std::int64_t suspended_over = 0;                          // above the upper limit on suspended days
  const model::AgreementException* suspended_by = nullptr;  // the first suspension of those
  CountsBy<std::pair<std::int64_t, std::int64_t>> excluded;  // exclusion -> (transactions, units)
  CountsBy<std::int64_t> priced;                             // price exception -> units
};

// Walks the rows of sm (all of the month) over month_days under window's limits, adding
// the lines to the worksheet.
[[nodiscard]] WalkTotals walk_units(const ServiceMonth& sm, const ServiceWindow& window,
                                    const std::vector<DayTerms>& month_days, Worksheet& sheet);

// The findings of the walk: excluded, price_exception, over_limit_flagged,
// over_limit_billed and limits_suspended (upper limit), in that order, all under `last`.
void report_walk(const ServiceMonth& sm, const ServiceWindow& window, const WalkTotals& totals,
                 const model::Agreement* last, Worksheet& sheet);

}  // namespace costcover::rating::detail
