// PRIVATE to src/rating/: performance targets and their credits (docs/rating.md,
// "Performance credits"). Every delivered transaction of a day whose terms have targets is
// measured against each target (excluded ones too: exclusions take units out of billing,
// not out of the deadlines) unless an sla_waiver takes its row out (its day in the
// waiver's period, its tags meeting the waiver's tags). A target is missed when
// met / measured < target_share. A missed target with credit_percent credits that percent
// of the service's priced lines (usage, over_limit, true_up) of the versions that carry
// the target, on an sla_credit line of the last such version.
// The commitment holds within the boundary conditions: in a month in which the window's
// billable volume is above the effective upper limit (units over it on days whose limits
// are not suspended), no target is in force: nothing measured, no credit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "rating/unit_walk.hpp"
#include "rating/window.hpp"
#include "rating/worksheet.hpp"

namespace costcover::rating::detail {

struct TargetStat {
  model::PerformanceTarget target;
  std::int64_t measured = 0;  // transactions measured
  std::int64_t met = 0;       // of them, within max_business_days
  std::int64_t waived = 0;    // transactions of days carrying the target that a waiver took out
  const model::AgreementException* waived_by = nullptr;  // the first such waiver
  std::set<int> versions;                                // the versions that carry this target in the month
  const model::Agreement* last_version = nullptr;
};

struct Measurement {
  std::vector<TargetStat> stats;  // one per distinct target, in the order first met
  CountsBy<std::int64_t> waived;  // waiver -> transactions not measured
};

// Whether the service's performance targets are in force in the month.
struct Commitment {
  bool in_force = true;
  std::int64_t volume = 0;  // the window's billable volume to the month's end
  std::string limit;        // "upper_limit 2000", "yearly upper_limit 12000"
};
// Not in force when the walk put units above the upper limit on days not suspended
// (billed as over_limit or flagged), or when earlier months of a yearly window already
// passed it and none of the month's units was saved by a suspension. Exactly at the
// limit is within it.
[[nodiscard]] Commitment commitment(const ServiceWindow& window, std::int64_t volume, const WalkTotals& walk);

// Measures the rows of sm over month_days.
[[nodiscard]] Measurement measure_targets(const ServiceMonth& sm, const std::vector<DayTerms>& month_days);

// met / measured below the target share (exactly at it is met).
[[nodiscard]] bool target_missed(const TargetStat& stat);
// "94.34": met / measured in percent, 2 decimals rounded half away from zero.
[[nodiscard]] std::string percent_text(std::int64_t met, std::int64_t measured);

// The findings of the measurement (deadline_waived, deadline_met, deadline_missed, or one
// targets_not_in_force), the target results and the credit lines. The service's priced
// lines are those of the worksheet from first_line on.
void bill_sla_credits(const ServiceMonth& sm, const Measurement& measurement, const Commitment& commitment,
                      std::size_t first_line, const model::Agreement* last, Worksheet& sheet);

}  // namespace costcover::rating::detail
