// Instants and Helsinki local days for the transaction CSV, without a time-zone database:
// timestamps are parsed strictly (ISO 8601 with a UTC offset) into microseconds since the
// Unix epoch, and the Helsinki local day comes from the EU daylight-saving rule (EET +2,
// EEST +3 from the last Sunday of March to the last Sunday of October, 01:00 UTC), which
// holds for every year the loader accepts (2000..2099). An integration test checks the
// local days against PostgreSQL's AT TIME ZONE 'Europe/Helsinki'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/dates.hpp"

namespace costcover::ingest {

using costcover::kFirstYear;  // the loader accepts the program's years (core/dates.hpp)
using costcover::kLastYear;
inline constexpr std::int64_t kMicrosPerSecond = 1'000'000;
inline constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
// Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for binary dates and timestamps.
inline constexpr std::int32_t kPostgresEpochDays = 10'957;

// Days since 1970-01-01 of a civil date (proleptic Gregorian), and back.
[[nodiscard]] std::int32_t days_from_civil(int year, int month, int day);
struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};
[[nodiscard]] CivilDate civil_from_days(std::int32_t days);
using costcover::days_in_month;

struct ParsedTimestamp {
  std::int64_t micros = 0;  // since 1970-01-01T00:00:00Z
};

// Parses "YYYY-MM-DDTHH:MM[:SS[.ffffff]]" followed by "Z", "±HH:MM", "±HHMM" or "±HH";
// 'T' may be a space. On failure returns nothing and sets *error to a message quoting
// the text (e.g. `"2027-02-30T10:00:00+02:00" is not a real day`).
[[nodiscard]] std::optional<ParsedTimestamp> parse_timestamp(std::string_view text, std::string* error);

// A job's as-of time (`--as-of` of ingest and generate): a timestamp as above, or a day
// "YYYY-MM-DD" meaning its last microsecond in Helsinki. On failure returns nothing and
// sets *error to parse_timestamp's message followed by the day form.
[[nodiscard]] std::optional<std::int64_t> parse_as_of(std::string_view text, std::string* error);

// Offset of Helsinki local time from UTC at an instant, in seconds (7200 or 10800).
[[nodiscard]] int helsinki_offset_seconds(std::int64_t utc_micros);
// The Helsinki local day (days since 1970-01-01) of an instant.
[[nodiscard]] std::int32_t helsinki_day(std::int64_t utc_micros);
// The instant of a Helsinki local wall-clock time (seconds into a local day). In the
// autumn overlap the earlier (summer-time) instant is taken; a time in the spring gap is
// read with the winter offset.
[[nodiscard]] std::int64_t helsinki_to_utc(std::int32_t local_day, std::int64_t local_micros_of_day);

// "2027-01-05T14:02:11+02:00" (Helsinki local time with its offset), microseconds shown
// only when non-zero.
[[nodiscard]] std::string format_helsinki(std::int64_t utc_micros);
// Appends the same to out without allocating a temporary.
void append_helsinki(std::string& out, std::int64_t utc_micros);
// "2027-01-05" for a day count.
[[nodiscard]] std::string format_day(std::int32_t days);

}  // namespace costcover::ingest
