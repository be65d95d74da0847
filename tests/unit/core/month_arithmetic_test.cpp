// Day and month arithmetic of core/dates.hpp (rating counts its windows with these).
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/dates.hpp"

namespace costcover {
namespace {

struct AddMonthsCase {
  Month from;
  int count;
  Month expected;
};

TEST(MonthArithmetic, AddMonthsCrossesYears) {
  const AddMonthsCase cases[] = {
      {Month(2027, 3), 0, Month(2027, 3)},    //
      {Month(2027, 11), 3, Month(2028, 2)},   // 11 + 3 = 14: February of the next year
      {Month(2027, 12), 1, Month(2028, 1)},   //
      {Month(2027, 1), -1, Month(2026, 12)},  //
      {Month(2027, 4), 11, Month(2028, 3)},   // the last month of a yearly window from April
      {Month(2027, 4), -24, Month(2025, 4)},  //
  };
  for (const auto& c : cases) {
    EXPECT_EQ(add_months(c.from, c.count), c.expected) << c.from.to_string() << " + " << c.count;
    EXPECT_EQ(months_between(c.from, c.expected), c.count) << c.from.to_string() << " + " << c.count;
  }
  EXPECT_THROW((void)add_months(Month(1900, 1), -1), std::invalid_argument);
}

TEST(MonthArithmetic, DaysAndRanges) {
  EXPECT_EQ(next_day(Date(2028, 2, 28)), Date(2028, 2, 29));
  EXPECT_EQ(next_day(Date(2027, 12, 31)), Date(2028, 1, 1));
  EXPECT_EQ(year_of(Date(2027, 12, 31)), 2027);
  EXPECT_EQ(day_index(Date(2027, 3, 1), Date(2027, 3, 31)), 30);
  EXPECT_EQ(day_index(Date(2027, 3, 1), Date(2027, 2, 28)), -1);
  EXPECT_EQ(format_range({Date(2027, 3, 1), Date(2027, 3, 31)}), "2027-03-01..2027-03-31");
}

}  // namespace
}  // namespace costcover
