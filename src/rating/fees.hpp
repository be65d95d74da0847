// PRIVATE to src/rating/: fixed fees and one-off charges of one agreement in the month
// (docs/rating.md, "Fees" and "Exceptions").
// - A monthly fee is billed for each run of days on which the version in force lists it
//   with one amount, pro-rated by the run's days in the month.
// - A yearly fee is billed once per year window, on the month of its first day in force,
//   pro-rated: the sum of the day's amounts over the window divided by the window's days.
// - A charge is billed on the invoice of the month of its date, with the amount of the
//   version in force that day; a charge that version does not list is not billed (finding).
// Both carry the VAT their services share, or category O when they differ (finding).
#pragma once

#include <vector>

#include "rating/worksheet.hpp"

namespace costcover::rating::detail {

// A run of days of the month with one fee amount.
struct FeeRun {
  DateRange days;
  const model::Agreement* version = nullptr;  // in force on the run's last day
  const model::Fee* fee = nullptr;
};
// The runs of the monthly fee `id` over the month's versions in force (one per day).
[[nodiscard]] std::vector<FeeRun> monthly_fee_runs(const std::vector<const model::Agreement*>& versions,
                                                   Date month_start, const std::string& id);

void bill_fees(const Group& group, Worksheet& sheet);
void bill_charges(const Group& group, Worksheet& sheet);

}  // namespace costcover::rating::detail
