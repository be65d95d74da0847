// Finnish business days: Monday to Friday except public holidays. The holidays are
// computed, not listed by year: fixed ones, Easter-based ones (Good Friday, Easter
// Monday, Ascension Day) and floating ones (Midsummer Eve and Day, All Saints' Day).
// finnish_holiday() also names the two that always fall on a Sunday (Easter Sunday,
// Whit Sunday); they change no count.
#pragma once

#include <optional>
#include <string>

#include "core/dates.hpp"

namespace costcover {

[[nodiscard]] Date easter_sunday(int year);  // Gregorian computus, valid 1583..9999
// The English name of the holiday on that day ("Good Friday"), or nothing.
[[nodiscard]] std::optional<std::string> finnish_holiday(Date day);
[[nodiscard]] bool is_business_day(Date day);
// Number of business days d with received < d <= delivered; 0 when delivered <= received.
// Received Monday, delivered Wednesday: 2. Received Friday, delivered Monday: 1.
[[nodiscard]] int business_days_between(Date received, Date delivered);

}  // namespace costcover
