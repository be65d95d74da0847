#include "core/dates.hpp"

#include <algorithm>
#include <stdexcept>

namespace costcover {

namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int out = 0;
  for (const char c : digits) out = out * 10 + (c - '0');
  return out;
}

std::string two_digits(int value) {
  return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
}

std::string four_digits(int value) {
  std::string out = std::to_string(value);
  return std::string(out.size() < 4 ? 4 - out.size() : 0, '0') + out;
}

}  // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

std::optional<int> parse_year(std::string_view text) {
  if (text.size() != 4 || !all_digits(text)) return std::nullopt;
  const int year = to_int(text);
  if (year < kFirstYear || year > kLastYear) return std::nullopt;
  return year;
}

std::optional<Date> try_parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::string_view y = text.substr(0, 4);
  const std::string_view m = text.substr(5, 2);
  const std::string_view d = text.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  const int year = to_int(y);
  const int month = to_int(m);
  const int day = to_int(d);
  // boost::gregorian supports 1400..9999.
  if (year < 1400 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(day));
}

Date parse_date(std::string_view text) {
  if (auto day = try_parse_date(text)) return *day;
  throw std::invalid_argument("invalid date \"" + std::string(text) + "\": expected a real day as YYYY-MM-DD");
}

std::string format_date(Date day) {
  return four_digits(day.year()) + '-' + two_digits(day.month()) + '-' + two_digits(day.day());
}

Date next_day(Date day) { return day + boost::gregorian::days(1); }

int year_of(Date day) { return static_cast<int>(day.year()); }

long day_index(Date from, Date day) { return static_cast<long>((day - from).days()); }

std::string format_range(const DateRange& range) { return format_date(range.from) + ".." + format_date(range.to); }

std::optional<DateRange> DateRange::intersect(const DateRange& other) const {
  const Date start = std::max(from, other.from);
  const Date end = std::min(to, other.to);
  if (end < start) return std::nullopt;
  return DateRange{start, end};
}

Month::Month(int year, int month) : year_(year), month_(month) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12) {
    throw std::invalid_argument("invalid month " + std::to_string(year) + "-" + std::to_string(month) +
                                ": expected a year in 1900..9999 and a month in 1..12");
  }
}

Month Month::parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-' || !all_digits(text.substr(0, 4)) || !all_digits(text.substr(5, 2))) {
    throw std::invalid_argument("invalid month \"" + std::string(text) + "\": expected YYYY-MM");
  }
  const int year = to_int(text.substr(0, 4));
  const int month = to_int(text.substr(5, 2));
  if (year < 1900 || month < 1 || month > 12) {
    throw std::invalid_argument("invalid month \"" + std::string(text) + "\": expected YYYY-MM");
  }
  return Month(year, month);
}

Month Month::of(Date day) { return Month(day.year(), day.month()); }

Date Month::first_day() const {
  return Date(static_cast<unsigned short>(year_), static_cast<unsigned short>(month_), 1);
}

Date Month::last_day() const {
  return Date(static_cast<unsigned short>(year_), static_cast<unsigned short>(month_),
              static_cast<unsigned short>(days()));
}

int Month::days() const { return days_in_month(year_, month_); }

Month Month::next() const { return month_ == 12 ? Month(year_ + 1, 1) : Month(year_, month_ + 1); }

Month Month::previous() const { return month_ == 1 ? Month(year_ - 1, 12) : Month(year_, month_ - 1); }

std::string Month::to_string() const { return four_digits(year_) + '-' + two_digits(month_); }

Month add_months(Month month, int count) {
  const int index = month.year() * 12 + (month.month() - 1) + count;
  return Month(index / 12, index % 12 + 1);
}

int months_between(Month from, Month to) { return (to.year() - from.year()) * 12 + (to.month() - from.month()); }

}  // namespace costcover
