#include "core/business_days.hpp"

#include <stdexcept>

namespace costcover {

namespace {

using boost::gregorian::days;

Date make_date(int year, int month, int day) {
  return Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(day));
}

// The first day on or after `from` that falls on `weekday` (0 = Sunday .. 6 = Saturday).
Date first_on_or_after(Date from, int weekday) {
  const int offset = (weekday - from.day_of_week().as_number() + 7) % 7;
  return from + days(offset);
}

}  // namespace

Date easter_sunday(int year) {
  if (year < 1583 || year > 9999) {
    throw std::invalid_argument("easter_sunday: year " + std::to_string(year) + " is outside 1583..9999");
  }
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return make_date(year, month, day);
}

namespace {

// The holiday's name as a literal, or nullptr; no allocation, as counting calls it per day.
const char* holiday_name(Date day) {
  const int year = day.year();
  const int month = day.month();
  const int dom = day.day();
  if (month == 1 && dom == 1) return "New Year's Day";
  if (month == 1 && dom == 6) return "Epiphany";
  if (month == 5 && dom == 1) return "May Day";
  if (month == 12 && dom == 6) return "Independence Day";
  if (month == 12 && dom == 24) return "Christmas Eve";
  if (month == 12 && dom == 25) return "Christmas Day";
  if (month == 12 && dom == 26) return "Boxing Day";
  if (year >= 1583) {
    const Date easter = easter_sunday(year);
    if (day == easter - days(2)) return "Good Friday";
    if (day == easter) return "Easter Sunday";
    if (day == easter + days(1)) return "Easter Monday";
    if (day == easter + days(39)) return "Ascension Day";
    if (day == easter + days(49)) return "Whit Sunday";
  }
  constexpr int kFriday = 5;
  constexpr int kSaturday = 6;
  if (month == 6 && day == first_on_or_after(make_date(year, 6, 19), kFriday)) return "Midsummer Eve";
  if (month == 6 && day == first_on_or_after(make_date(year, 6, 20), kSaturday)) return "Midsummer Day";
  if ((month == 10 || month == 11) && day == first_on_or_after(make_date(year, 10, 31), kSaturday)) {
    return "All Saints' Day";
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> finnish_holiday(Date day) {
  const char* name = holiday_name(day);
  if (name == nullptr) return std::nullopt;
  return std::string(name);
}

bool is_business_day(Date day) {
  const int weekday = day.day_of_week().as_number();
  if (weekday == 0 || weekday == 6) return false;
  return holiday_name(day) == nullptr;
}

int business_days_between(Date received, Date delivered) {
  int count = 0;
  for (Date d = received + days(1); d <= delivered; d += days(1)) {
    if (is_business_day(d)) ++count;
  }
  return count;
}

}  // namespace costcover
