// Easter, Finnish public holidays and business-day counting.
#include "core/business_days.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace costcover {
namespace {

TEST(Easter, KnownYears) {
  const std::pair<int, const char*> cases[] = {
      {1583, "1583-04-10"}, {1818, "1818-03-22"}, {1943, "1943-04-25"}, {2000, "2000-04-23"}, {2008, "2008-03-23"},
      {2011, "2011-04-24"}, {2019, "2019-04-21"}, {2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"},
      {2027, "2027-03-28"}, {2028, "2028-04-16"}, {2029, "2029-04-01"}, {2030, "2030-04-21"}, {2038, "2038-04-25"},
      {2285, "2285-03-22"}, {2100, "2100-03-28"},
  };
  for (const auto& [year, date] : cases) EXPECT_EQ(format_date(easter_sunday(year)), date) << year;
  EXPECT_THROW((void)easter_sunday(1582), std::invalid_argument);
}

using Holidays = std::vector<std::pair<const char*, const char*>>;

void expect_holidays(int year, const Holidays& expected) {
  Holidays found;
  std::vector<std::string> names;
  for (Date d(static_cast<unsigned short>(year), 1, 1); d.year() == year; d += boost::gregorian::days(1)) {
    if (auto name = finnish_holiday(d)) {
      EXPECT_EQ(format_date(d), found.size() < expected.size() ? expected[found.size()].first : "") << *name;
      EXPECT_EQ(*name, found.size() < expected.size() ? expected[found.size()].second : "") << format_date(d);
      found.emplace_back("", "");
    }
  }
  EXPECT_EQ(found.size(), expected.size());
}

TEST(FinnishHolidays, Year2026) {
  expect_holidays(2026, {
                            {"2026-01-01", "New Year's Day"},
                            {"2026-01-06", "Epiphany"},
                            {"2026-04-03", "Good Friday"},
                            {"2026-04-05", "Easter Sunday"},
                            {"2026-04-06", "Easter Monday"},
                            {"2026-05-01", "May Day"},
                            {"2026-05-14", "Ascension Day"},
                            {"2026-05-24", "Whit Sunday"},
                            {"2026-06-19", "Midsummer Eve"},
                            {"2026-06-20", "Midsummer Day"},
                            {"2026-10-31", "All Saints' Day"},
                            {"2026-12-06", "Independence Day"},
                            {"2026-12-24", "Christmas Eve"},
                            {"2026-12-25", "Christmas Day"},
                            {"2026-12-26", "Boxing Day"},
                        });
}

TEST(FinnishHolidays, Year2027) {
  expect_holidays(2027, {
                            {"2027-01-01", "New Year's Day"},
                            {"2027-01-06", "Epiphany"},
                            {"2027-03-26", "Good Friday"},
                            {"2027-03-28", "Easter Sunday"},
                            {"2027-03-29", "Easter Monday"},
                            {"2027-05-01", "May Day"},
                            {"2027-05-06", "Ascension Day"},
                            {"2027-05-16", "Whit Sunday"},
                            {"2027-06-25", "Midsummer Eve"},
                            {"2027-06-26", "Midsummer Day"},
                            {"2027-11-06", "All Saints' Day"},
                            {"2027-12-06", "Independence Day"},
                            {"2027-12-24", "Christmas Eve"},
                            {"2027-12-25", "Christmas Day"},
                            {"2027-12-26", "Boxing Day"},
                        });
}

TEST(FinnishHolidays, FloatingHolidaysStayInTheirWindows) {
  for (int year = 1900; year <= 2200; ++year) {
    int eves = 0;
    int saints = 0;
    for (Date d(static_cast<unsigned short>(year), 6, 1); d.month() <= 11; d += boost::gregorian::days(1)) {
      const auto name = finnish_holiday(d);
      if (name == "Midsummer Eve") {
        ++eves;
        EXPECT_EQ(d.day_of_week().as_number(), 5);
        EXPECT_GE(d.day(), 19);
        EXPECT_LE(d.day(), 25);
        EXPECT_EQ(finnish_holiday(d + boost::gregorian::days(1)), "Midsummer Day");
      }
      if (name == "All Saints' Day") {
        ++saints;
        EXPECT_EQ(d.day_of_week().as_number(), 6);
        EXPECT_TRUE(d >= Date(static_cast<unsigned short>(year), 10, 31) &&
                    d <= Date(static_cast<unsigned short>(year), 11, 6));
      }
    }
    EXPECT_EQ(eves, 1) << year;
    EXPECT_EQ(saints, 1) << year;
  }
}

TEST(BusinessDays, IsBusinessDay) {
  EXPECT_TRUE(is_business_day(parse_date("2027-01-04")));   // Monday
  EXPECT_FALSE(is_business_day(parse_date("2027-01-02")));  // Saturday
  EXPECT_FALSE(is_business_day(parse_date("2027-01-03")));  // Sunday
  EXPECT_FALSE(is_business_day(parse_date("2027-01-06")));  // Epiphany, Wednesday
  EXPECT_FALSE(is_business_day(parse_date("2027-12-24")));  // Christmas Eve, Friday
  EXPECT_FALSE(is_business_day(parse_date("2026-06-19")));  // Midsummer Eve
  EXPECT_TRUE(is_business_day(parse_date("2026-06-22")));   // Monday after Midsummer
}

TEST(BusinessDays, Between) {
  struct Case {
    const char* received;
    const char* delivered;
    int days;
  };
  const Case cases[] = {
      {"2027-01-11", "2027-01-13", 2},    // Monday -> Wednesday
      {"2027-01-15", "2027-01-18", 1},    // Friday -> Monday
      {"2027-01-15", "2027-01-15", 0},    // same day
      {"2027-01-13", "2027-01-11", 0},    // delivered before received
      {"2027-01-16", "2027-01-17", 0},    // Saturday -> Sunday
      {"2027-01-16", "2027-01-18", 1},    // Saturday -> Monday
      {"2027-01-04", "2027-01-11", 4},    // Monday -> Monday across Epiphany
      {"2027-12-23", "2027-12-28", 2},    // Thursday -> Tuesday: 24 Fri, 25-26 weekend; 27, 28
      {"2026-12-23", "2026-12-28", 1},    // Wednesday -> Monday: 24, 25, 26 holidays, weekend; 28
      {"2026-12-23", "2027-01-07", 7},    // 28 29 30 31, 4 5 7 (Jan 1 and 6 off)
      {"2026-06-18", "2026-06-22", 1},    // Thursday -> Monday across Midsummer
      {"2027-06-24", "2027-06-28", 1},    // Midsummer Eve on Friday 25
      {"2027-03-25", "2027-03-30", 1},    // Easter: Good Friday and Easter Monday off
      {"2027-01-01", "2027-12-31", 253},  // 260 weekdays after Jan 1, 7 holidays on weekdays
  };
  for (const auto& c : cases)
    EXPECT_EQ(business_days_between(parse_date(c.received), parse_date(c.delivered)), c.days)
        << c.received << " -> " << c.delivered;
}

}  // namespace
}  // namespace costcover
