// Dates, ranges and months.
#include "core/dates.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace costcover {
namespace {

TEST(Dates, ParseGood) {
  EXPECT_EQ(parse_date("2027-01-31"), Date(2027, 1, 31));
  EXPECT_EQ(parse_date("2024-02-29"), Date(2024, 2, 29));
  EXPECT_EQ(parse_date("2000-02-29"), Date(2000, 2, 29));
  EXPECT_EQ(parse_date("9999-12-31"), Date(9999, 12, 31));
  EXPECT_EQ(format_date(parse_date("2027-03-05")), "2027-03-05");
}

TEST(Dates, ParseBad) {
  const char* cases[] = {
      "",           "2027-1-31",  "2027-01-1",  "27-01-31",         "2027/01/31", "2027-01-31 ", " 2027-01-31",
      "2027-00-10", "2027-13-01", "2027-01-00", "2027-01-32",       "2027-02-29", "1900-02-29",  "2100-02-29",
      "2027-04-31", "2027-0a-01", "+027-01-01", "2027-01-31T00:00", "20270131"};
  for (const char* text : cases) {
    EXPECT_FALSE(try_parse_date(text).has_value()) << text;
    EXPECT_THROW((void)parse_date(text), std::invalid_argument) << text;
  }
  try {
    (void)parse_date("2027-02-30");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "invalid date \"2027-02-30\": expected a real day as YYYY-MM-DD");
  }
}

TEST(Dates, Range) {
  const DateRange jan{Date(2027, 1, 1), Date(2027, 1, 31)};
  EXPECT_EQ(jan.days(), 31);
  EXPECT_TRUE(jan.contains(Date(2027, 1, 1)));
  EXPECT_TRUE(jan.contains(Date(2027, 1, 31)));
  EXPECT_FALSE(jan.contains(Date(2027, 2, 1)));
  EXPECT_FALSE(jan.contains(Date(2026, 12, 31)));
  const DateRange mid{Date(2027, 1, 20), Date(2027, 2, 10)};
  EXPECT_EQ(jan.intersect(mid), (DateRange{Date(2027, 1, 20), Date(2027, 1, 31)}));
  EXPECT_EQ(mid.intersect(jan), (DateRange{Date(2027, 1, 20), Date(2027, 1, 31)}));
  const DateRange touching{Date(2027, 1, 31), Date(2027, 3, 1)};
  EXPECT_EQ(jan.intersect(touching), (DateRange{Date(2027, 1, 31), Date(2027, 1, 31)}));
  const DateRange after{Date(2027, 2, 1), Date(2027, 3, 1)};
  EXPECT_FALSE(jan.intersect(after).has_value());
  EXPECT_EQ((DateRange{Date(2027, 1, 5), Date(2027, 1, 5)}).days(), 1);
}

TEST(Months, Basics) {
  const Month m(2027, 1);
  EXPECT_EQ(m.to_string(), "2027-01");
  EXPECT_EQ(m.first_day(), Date(2027, 1, 1));
  EXPECT_EQ(m.last_day(), Date(2027, 1, 31));
  EXPECT_EQ(m.range(), (DateRange{Date(2027, 1, 1), Date(2027, 1, 31)}));
  EXPECT_EQ(Month::of(Date(2027, 5, 17)), Month(2027, 5));
  EXPECT_EQ(Month::parse("2027-12"), Month(2027, 12));
  EXPECT_LT(Month(2026, 12), Month(2027, 1));
  EXPECT_LT(Month(2027, 1), Month(2027, 2));
}

TEST(Months, NextAndPreviousAcrossYears) {
  EXPECT_EQ(Month(2026, 12).next(), Month(2027, 1));
  EXPECT_EQ(Month(2027, 1).previous(), Month(2026, 12));
  EXPECT_EQ(Month(2027, 6).next(), Month(2027, 7));
  EXPECT_EQ(Month(2027, 6).previous(), Month(2027, 5));
  Month m(2026, 3);
  for (int i = 0; i < 24; ++i) m = m.next();
  EXPECT_EQ(m, Month(2028, 3));
  for (int i = 0; i < 24; ++i) m = m.previous();
  EXPECT_EQ(m, Month(2026, 3));
}

TEST(Months, DaysInMonth) {
  struct Case {
    int year;
    int month;
    int days;
  };
  const Case cases[] = {{2027, 1, 31}, {2027, 2, 28}, {2028, 2, 29}, {2024, 2, 29}, {2000, 2, 29},  {1900, 2, 28},
                        {2100, 2, 28}, {2027, 4, 30}, {2027, 6, 30}, {2027, 9, 30}, {2027, 11, 30}, {2027, 12, 31}};
  for (const auto& c : cases) {
    const Month m(c.year, c.month);
    EXPECT_EQ(m.days(), c.days) << m.to_string();
    EXPECT_EQ(m.range().days(), c.days);
    EXPECT_EQ(m.last_day().day(), c.days);
  }
}

TEST(Months, Bad) {
  EXPECT_THROW(Month(2027, 0), std::invalid_argument);
  EXPECT_THROW(Month(2027, 13), std::invalid_argument);
  EXPECT_THROW(Month(1899, 12), std::invalid_argument);
  EXPECT_THROW(Month(10000, 1), std::invalid_argument);
  EXPECT_THROW((void)Month(1900, 1).previous(), std::invalid_argument);
  const char* cases[] = {"", "2027", "2027-1", "2027-13", "2027-00", "2027/01", "2027-01-01", "27-01", "abcd-01"};
  for (const char* text : cases) EXPECT_THROW((void)Month::parse(text), std::invalid_argument) << text;
}

}  // namespace
}  // namespace costcover
