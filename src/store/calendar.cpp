#include "store/calendar.hpp"

#include <algorithm>
#include <string>

#include "core/business_days.hpp"
#include "core/dates.hpp"

namespace costcover::store {
namespace {

std::string quote_literal(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

int ensure_calendar(soci::session& session, int first_year, int last_year) {
  first_year = std::max(first_year, kCalendarBaseYear);
  last_year = std::min(last_year, kCalendarLastYear);
  if (first_year > last_year) return 0;
  const Date base(kCalendarBaseYear, 1, 1);
  const Date first(static_cast<unsigned short>(first_year), 1, 1);
  const Date last(static_cast<unsigned short>(last_year), 12, 31);
  // One flag per day from the base ('1' business day), the holidays by name, and a cheap
  // fingerprint of the requested range to skip the write when all is in place.
  std::string pattern;
  std::string holidays;
  long long ordinal = 0;
  long long expected_sum = 0;
  long long expected_business = 0;
  for (Date day = base; day <= last; day += boost::gregorian::days(1)) {
    const bool business = is_business_day(day);
    pattern.push_back(business ? '1' : '0');
    if (business) ++ordinal;
    if (day >= first) {
      expected_sum += ordinal;
      expected_business += business ? 1 : 0;
      if (const auto name = finnish_holiday(day)) {
        if (!holidays.empty()) holidays += ", ";
        holidays += "(DATE '" + format_date(day) + "', " + quote_literal(*name) + ")";
      }
    }
  }
  const long long expected_days = (last - first).days() + 1;
  long long days = 0;
  long long ordinal_sum = 0;
  long long business_days = 0;
  session << "SELECT count(*), coalesce(sum(business_ordinal), 0), count(*) FILTER (WHERE is_business_day) "
             "FROM business_calendar WHERE day BETWEEN '" +
                 format_date(first) + "' AND '" + format_date(last) + "'",
      soci::into(days), soci::into(ordinal_sum), soci::into(business_days);
  if (days == expected_days && ordinal_sum == expected_sum && business_days == expected_business) return 0;

  if (holidays.empty()) holidays = "(NULL::date, NULL::text)";
  soci::statement st =
      (session.prepare
       << "WITH flags AS ("
          "  SELECT DATE '" +
              format_date(base) +
              "' + CAST(u.i - 1 AS integer) AS day, u.c = '1' AS business"
              "  FROM unnest(string_to_array('" +
              pattern +
              "', NULL)) WITH ORDINALITY AS u (c, i)"
              "), holiday (day, name) AS (VALUES " +
              holidays +
              "), "
              "numbered AS ("
              "  SELECT f.day, f.business, h.name, sum(CASE WHEN f.business THEN 1 ELSE 0 END) OVER (ORDER BY f.day) "
              "AS ordinal"
              "  FROM flags f LEFT JOIN holiday h ON h.day = f.day"
              ") "
              "INSERT INTO business_calendar AS c (day, is_business_day, holiday, business_ordinal) "
              "SELECT day, business, name, ordinal FROM numbered WHERE day >= DATE '" +
              format_date(first) +
              "' "
              "ON CONFLICT (day) DO UPDATE SET is_business_day = excluded.is_business_day, holiday = excluded.holiday, "
              "business_ordinal = excluded.business_ordinal "
              "WHERE (c.is_business_day, c.holiday, c.business_ordinal) IS DISTINCT FROM "
              "(excluded.is_business_day, excluded.holiday, excluded.business_ordinal)");
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace costcover::store
