#include "store/calendar.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/business_days.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/query.hpp"

namespace costcover::store {
namespace {

// What the calendar of a range must hold: one flag per day from the base ('1' business
// day), the holidays by name, and a cheap fingerprint of the range to skip the write
// when all is in place.
struct ExpectedCalendar {
  std::string pattern;
  std::vector<std::string> holiday_days;
  std::vector<std::string> holiday_names;
  long long days = 0;
  long long ordinal_sum = 0;
  long long business_days = 0;
};

ExpectedCalendar expected_calendar(Date base, Date first, Date last) {
  ExpectedCalendar expected;
  long long ordinal = 0;
  for (Date day = base; day <= last; day += boost::gregorian::days(1)) {
    const bool business = is_business_day(day);
    expected.pattern.push_back(business ? '1' : '0');
    if (business) ++ordinal;
    if (day < first) continue;
    expected.ordinal_sum += ordinal;
    expected.business_days += business ? 1 : 0;
    if (const auto name = finnish_holiday(day)) {
      expected.holiday_days.push_back(format_date(day));
      expected.holiday_names.push_back(*name);
    }
  }
  expected.days = (last - first).days() + 1;
  return expected;
}

bool calendar_in_place(soci::session& session, Date first, Date last, const ExpectedCalendar& expected) {
  const db::Rows rows = db::query(session,
                                  "SELECT count(*), coalesce(sum(business_ordinal), 0), "
                                  "count(*) FILTER (WHERE is_business_day) "
                                  "FROM business_calendar WHERE day BETWEEN $1::date AND $2::date",
                                  {format_date(first), format_date(last)});
  return std::stoll(rows.text(0, 0)) == expected.days && std::stoll(rows.text(0, 1)) == expected.ordinal_sum &&
         std::stoll(rows.text(0, 2)) == expected.business_days;
}

}  // namespace

int ensure_calendar(soci::session& session, int first_year, int last_year) {
  first_year = std::max(first_year, kCalendarBaseYear);
  last_year = std::min(last_year, kCalendarLastYear);
  if (first_year > last_year) return 0;
  const Date base(kCalendarBaseYear, 1, 1);
  const Date first(static_cast<unsigned short>(first_year), 1, 1);
  const Date last(static_cast<unsigned short>(last_year), 12, 31);
  const ExpectedCalendar expected = expected_calendar(base, first, last);
  if (calendar_in_place(session, first, last, expected)) return 0;
  return static_cast<int>(db::exec(
      session,
      "WITH flags AS ("
      "  SELECT $1::date + CAST(u.i - 1 AS integer) AS day, u.c = '1' AS business"
      "  FROM unnest(string_to_array($2::text, NULL)) WITH ORDINALITY AS u (c, i)"
      "), holiday (day, name) AS ("
      "  SELECT * FROM unnest($4::date[], $5::text[])"
      "), numbered AS ("
      "  SELECT f.day, f.business, h.name, sum(CASE WHEN f.business THEN 1 ELSE 0 END) OVER (ORDER BY f.day) "
      "AS ordinal"
      "  FROM flags f LEFT JOIN holiday h ON h.day = f.day"
      ") "
      "INSERT INTO business_calendar AS c (day, is_business_day, holiday, business_ordinal) "
      "SELECT day, business, name, ordinal FROM numbered WHERE day >= $3::date "
      "ON CONFLICT (day) DO UPDATE SET is_business_day = excluded.is_business_day, holiday = excluded.holiday, "
      "business_ordinal = excluded.business_ordinal "
      "WHERE (c.is_business_day, c.holiday, c.business_ordinal) IS DISTINCT FROM "
      "(excluded.is_business_day, excluded.holiday, excluded.business_ordinal)",
      {format_date(base), expected.pattern, format_date(first), db::text_array(expected.holiday_days),
       db::text_array(expected.holiday_names)}));
}

Date business_day_on_or_after(soci::session& session, Date day) {
  // A week past the day is enough: Finnish holidays and weekends never close more than
  // four days in a row (Christmas Eve to Boxing Day before a weekend).
  const auto rows = db::query(session,
                              "SELECT to_char(min(day) FILTER (WHERE is_business_day), 'YYYY-MM-DD') "
                              "FROM business_calendar WHERE day BETWEEN $1::date AND $1::date + 14",
                              {format_date(day)});
  if (rows.empty() || rows.is_null(0, 0)) {
    throw InputError(
        fmt::format("the business calendar holds no business day on or after {} (year {}): run `costcover db migrate`, "
                    "which fills the calendar of {}..{}",
                    format_date(day), year_of(day), kCalendarBaseYear, kCalendarLastYear));
  }
  return parse_date(rows.text(0, 0));
}

std::string why_not_business_day(soci::session& session, Date day) {
  const auto rows = db::query(session,
                              "SELECT is_business_day, coalesce(holiday, ''), extract(isodow FROM day)::int "
                              "FROM business_calendar WHERE day = $1::date",
                              {format_date(day)});
  if (rows.empty() || rows.text(0, 0) == "t") return "";
  if (!rows.text(0, 1).empty()) return rows.text(0, 1);
  return rows.text(0, 2) == "6" ? "a Saturday" : "a Sunday";
}

}  // namespace costcover::store
