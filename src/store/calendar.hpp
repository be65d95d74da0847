// The business_calendar table, filled from core's pure Finnish holiday rules. Ordinals
// count business days from 2000-01-01 (kCalendarBase) whatever range is filled, so for
// any a <= b the business days d with a < d <= b number ordinal(b) - ordinal(a).
#pragma once

#include <string>

#include <soci/soci.h>

#include "core/dates.hpp"

namespace costcover::store {

inline constexpr int kCalendarBaseYear = kFirstYear;  // ordinals count from its first day
inline constexpr int kCalendarLastYear = kLastYear;

// Makes sure business_calendar holds every day of first_year..last_year (clamped to
// kCalendarBaseYear..kCalendarLastYear) with the right flags, holiday names and ordinals;
// writes only rows that are missing or different (one statement, so it is atomic on its
// own and joins the caller's transaction if there is one). Returns the rows written.
int ensure_calendar(soci::session& session, int first_year, int last_year);

// The first business day on or after `day` in business_calendar: `day` itself when it is
// one. InputError naming the year when the stored calendar does not reach that far (it is
// filled by `costcover db migrate` and the nightly job).
[[nodiscard]] Date business_day_on_or_after(soci::session& session, Date day);

// Why `day` is not a business day, from business_calendar: "a Saturday", "a Sunday" or the
// holiday's name ("Christmas Eve"); empty when it is one or is not in the calendar.
[[nodiscard]] std::string why_not_business_day(soci::session& session, Date day);

}  // namespace costcover::store
