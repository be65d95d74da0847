// The business_calendar table, filled from core's pure Finnish holiday rules. Ordinals
// count business days from 2000-01-01 (kCalendarBase) whatever range is filled, so for
// any a <= b the business days d with a < d <= b number ordinal(b) - ordinal(a).
#pragma once

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

}  // namespace costcover::store
