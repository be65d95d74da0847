// Calendar values: days are boost::gregorian::date; a Month is a billing period; a
// DateRange is inclusive at both ends (the formats' `period` and `valid`).
#pragma once

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace costcover {

using Date = boost::gregorian::date;

// The years the program works in: the business calendar it fills, the Helsinki day rule
// of the loader and every --year option.
inline constexpr int kFirstYear = 2000;
inline constexpr int kLastYear = 2099;

[[nodiscard]] bool is_leap_year(int year);
[[nodiscard]] int days_in_month(int year, int month);  // month 1..12

// "2027" -> 2027 when it is four digits within kFirstYear..kLastYear; nothing otherwise.
[[nodiscard]] std::optional<int> parse_year(std::string_view text);

// Parses "YYYY-MM-DD" strictly (exactly that shape, a real day); throws
// std::invalid_argument quoting the text.
[[nodiscard]] Date parse_date(std::string_view text);
[[nodiscard]] std::optional<Date> try_parse_date(std::string_view text);
[[nodiscard]] std::string format_date(Date day);  // "2027-01-31"

// Day arithmetic, named.
[[nodiscard]] Date next_day(Date day);
[[nodiscard]] int year_of(Date day);
[[nodiscard]] long day_index(Date from, Date day);  // days from `from` to `day` (negative before it)

struct DateRange {
  Date from;
  Date to;  // inclusive
  [[nodiscard]] bool contains(Date day) const { return from <= day && day <= to; }
  [[nodiscard]] long days() const { return (to - from).days() + 1; }
  // The overlap of two ranges, if any.
  [[nodiscard]] std::optional<DateRange> intersect(const DateRange& other) const;
  bool operator==(const DateRange&) const = default;
};

[[nodiscard]] std::string format_range(const DateRange& range);  // "2027-03-01..2027-03-31"

class Month {
 public:
  Month(int year, int month);                               // throws std::invalid_argument outside 1..12 / 1900..9999
  [[nodiscard]] static Month parse(std::string_view text);  // "YYYY-MM"
  [[nodiscard]] static Month of(Date day);
  [[nodiscard]] int year() const { return year_; }
  [[nodiscard]] int month() const { return month_; }
  [[nodiscard]] Date first_day() const;
  [[nodiscard]] Date last_day() const;
  [[nodiscard]] int days() const;
  [[nodiscard]] DateRange range() const { return {first_day(), last_day()}; }
  [[nodiscard]] Month next() const;
  [[nodiscard]] Month previous() const;
  [[nodiscard]] std::string to_string() const;  // "2027-01"
  auto operator<=>(const Month&) const = default;

 private:
  int year_;
  int month_;
};

// Month arithmetic, counting billing months: add_months(2027-11, 3) is 2028-02 (throws
// std::invalid_argument outside Month's years); months_between(from, to) is to - from.
[[nodiscard]] Month add_months(Month month, int count);
[[nodiscard]] int months_between(Month from, Month to);

}  // namespace costcover
