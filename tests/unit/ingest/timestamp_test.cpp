// The transaction CSV's timestamps: strict ISO 8601 with an offset, and Helsinki days
// across the daylight-saving changes.
#include <gtest/gtest.h>

#include "ingest/timestamp.hpp"

namespace costcover::ingest {
namespace {

std::int64_t utc(int y, int mo, int d, int h, int mi, int s) {
  return (static_cast<std::int64_t>(days_from_civil(y, mo, d)) * 86'400 + h * 3600 + mi * 60 + s) * kMicrosPerSecond;
}

TEST(Timestamp, ParsesOffsetsAndZulu) {
  struct Case {
    const char* text;
    std::int64_t expected;
  };
  const Case cases[] = {
      {"2027-01-03T08:15:00+02:00", utc(2027, 1, 3, 6, 15, 0)},
      {"2027-01-03T08:15:00Z", utc(2027, 1, 3, 8, 15, 0)},
      {"2027-01-03 08:15:00-05:30", utc(2027, 1, 3, 13, 45, 0)},
      {"2027-01-03T08:15+0200", utc(2027, 1, 3, 6, 15, 0)},
      {"2027-01-03T08:15:00+02", utc(2027, 1, 3, 6, 15, 0)},
      {"2027-01-03T08:15:00.5+02:00", utc(2027, 1, 3, 6, 15, 0) + 500'000},
      {"2027-01-03T08:15:00.123456Z", utc(2027, 1, 3, 8, 15, 0) + 123'456},
      {"2028-02-29T23:59:59+02:00", utc(2028, 2, 29, 21, 59, 59)},
  };
  for (const auto& c : cases) {
    std::string error;
    const auto parsed = parse_timestamp(c.text, &error);
    ASSERT_TRUE(parsed.has_value()) << c.text << ": " << error;
    EXPECT_EQ(parsed->micros, c.expected) << c.text;
  }
}

TEST(Timestamp, RejectsWithAMessageQuotingTheText) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"2027-01-03T08:15:00", "\"2027-01-03T08:15:00\" has no UTC offset (expected Z or +HH:MM)"},
      {"2027-02-30T08:15:00+02:00", "\"2027-02-30T08:15:00+02:00\" is not a real day"},
      {"2027-02-29T08:15:00+02:00", "is not a real day"},
      {"2027-01-03T24:00:00+02:00", "is not a real time of day"},
      {"2027-01-03T08:60:00+02:00", "is not a real time of day"},
      {"2027-01-03T08:15:00+15:00", "impossible UTC offset"},
      {"1999-12-31T08:15:00+02:00", "outside the supported years 2000..2099"},
      {"03.01.2027 08:15", "is not a timestamp of the form YYYY-MM-DDTHH:MM:SS+HH:MM"},
      {"2027-01-03T08:15:00.1234567Z", "more than 6 fractional digits"},
      {"2027-01-03T08:15:00+02:00x", "is not a timestamp"},
      {"", "is not a timestamp"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(parse_timestamp(c.text, &error).has_value()) << c.text;
    EXPECT_NE(error.find(c.message), std::string::npos) << c.text << " gave: " << error;
  }
}

TEST(Timestamp, HelsinkiDayFollowsDaylightSaving) {
  // 2027: summer time from Sunday 28 March 01:00 UTC to Sunday 31 October 01:00 UTC.
  EXPECT_EQ(helsinki_offset_seconds(utc(2027, 3, 28, 0, 59, 59)), 7200);
  EXPECT_EQ(helsinki_offset_seconds(utc(2027, 3, 28, 1, 0, 0)), 10800);
  EXPECT_EQ(helsinki_offset_seconds(utc(2027, 10, 31, 0, 59, 59)), 10800);
  EXPECT_EQ(helsinki_offset_seconds(utc(2027, 10, 31, 1, 0, 0)), 7200);
  // 22:30 UTC is already the next day in Helsinki (+02:00 in winter, +03:00 in summer).
  EXPECT_EQ(helsinki_day(utc(2027, 1, 31, 22, 30, 0)), days_from_civil(2027, 2, 1));
  EXPECT_EQ(helsinki_day(utc(2027, 1, 31, 21, 59, 59)), days_from_civil(2027, 1, 31));
  EXPECT_EQ(helsinki_day(utc(2027, 6, 30, 21, 0, 0)), days_from_civil(2027, 7, 1));
  EXPECT_EQ(helsinki_day(utc(2027, 6, 30, 20, 59, 59)), days_from_civil(2027, 6, 30));
}

TEST(Timestamp, FormatsHelsinkiLocalTimeAndRoundTrips) {
  EXPECT_EQ(format_helsinki(utc(2027, 1, 5, 12, 2, 11)), "2027-01-05T14:02:11+02:00");
  EXPECT_EQ(format_helsinki(utc(2027, 7, 5, 12, 2, 11)), "2027-07-05T15:02:11+03:00");
  EXPECT_EQ(format_helsinki(utc(2027, 7, 5, 12, 2, 11) + 5), "2027-07-05T15:02:11.000005+03:00");
  for (std::int64_t t = utc(2026, 1, 1, 0, 0, 0); t < utc(2028, 1, 1, 0, 0, 0); t += 3'599 * kMicrosPerSecond) {
    const auto back = parse_timestamp(format_helsinki(t), nullptr);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->micros, t);
  }
  EXPECT_EQ(helsinki_to_utc(days_from_civil(2027, 7, 5), (15 * 3600 + 2 * 60 + 11) * kMicrosPerSecond),
            utc(2027, 7, 5, 12, 2, 11));
}

// --as-of of ingest and generate: a timestamp, or a day meaning its last microsecond in
// Helsinki (winter +02:00, summer +03:00).
TEST(Timestamp, AsOfTakesATimestampOrTheEndOfAHelsinkiDay) {
  std::string error;
  EXPECT_EQ(parse_as_of("2027-01-15T00:00:00Z", &error), utc(2027, 1, 15, 0, 0, 0)) << error;
  EXPECT_EQ(parse_as_of("2027-01-31T23:59:59+02:00", &error), utc(2027, 1, 31, 21, 59, 59)) << error;
  EXPECT_EQ(parse_as_of("2027-01-14", &error), utc(2027, 1, 14, 22, 0, 0) - 1) << error;
  EXPECT_EQ(parse_as_of("2027-07-14", &error), utc(2027, 7, 14, 21, 0, 0) - 1) << error;
  EXPECT_EQ(parse_as_of("2026-12-31", &error), utc(2026, 12, 31, 22, 0, 0) - 1) << error;
  const struct {
    const char* text;
    const char* message;
  } bad[] = {
      {"junk",
       "\"junk\" is not a timestamp of the form YYYY-MM-DDTHH:MM:SS+HH:MM (or a day YYYY-MM-DD, meaning its end in "
       "Helsinki)"},
      {"2027-02-30", "\"2027-02-30\" is not a timestamp"},
      {"2027-01-15T00:00:00", "has no UTC offset"},
      {"", "is not a timestamp"},
  };
  for (const auto& c : bad) {
    error.clear();
    EXPECT_FALSE(parse_as_of(c.text, &error).has_value()) << c.text;
    EXPECT_NE(error.find(c.message), std::string::npos) << c.text << " gave: " << error;
  }
}

TEST(Timestamp, CivilDaysRoundTrip) {
  for (std::int32_t d = days_from_civil(1999, 12, 1); d < days_from_civil(2101, 1, 1); ++d) {
    const CivilDate c = civil_from_days(d);
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(format_day(days_from_civil(2027, 3, 9)), "2027-03-09");
}

}  // namespace
}  // namespace costcover::ingest
