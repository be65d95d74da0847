// Money: parsing, printing, checked arithmetic.
#include "core/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace costcover {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

struct ParseCase {
  const char* text;
  std::int64_t cents;
};

TEST(MoneyParse, AcceptsGoodAmounts) {
  const ParseCase cases[] = {
      {"0", 0},
      {"12", 1200},
      {"12.3", 1230},
      {"12.30", 1230},
      {"-0.05", -5},
      {"+1.00", 100},
      {"-0", 0},
      {"0.01", 1},
      {"007.50", 750},
      {"1204.18", 120418},
      {"-1204.18", -120418},
      {"92233720368547758.07", kMax},
      {"-92233720368547758.08", kMin},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Money::parse(c.text).cents(), c.cents) << c.text;
  }
}

TEST(MoneyParse, RejectsBadAmounts) {
  const char* cases[] = {
      "",
      "-",
      "+",
      "1.",
      ".5",
      "1.234",
      "1,00",
      " 1",
      "1 ",
      "1e3",
      "--1",
      "+-1",
      "abc",
      "1.2.3",
      "0x10",
      "1 000",
      "-.5",
      "1.-5",
      "92233720368547758.08",  // one cent above the maximum
      "-92233720368547758.09",
      "99999999999999999999",
      "100000000000000000000000.00",
  };
  for (const char* text : cases) {
    EXPECT_THROW((void)Money::parse(text), std::invalid_argument) << '"' << text << '"';
  }
}

TEST(MoneyParse, MessageQuotesTheText) {
  try {
    (void)Money::parse("1.234");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "invalid amount \"1.234\": more than 2 decimals");
  }
  try {
    (void)Money::parse("");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "invalid amount \"\": expected a number like 1234.50");
  }
}

TEST(MoneyPrint, ToString) {
  const ParseCase cases[] = {
      {"0.00", 0},
      {"0.05", 5},
      {"-0.05", -5},
      {"-0.50", -50},
      {"1.00", 100},
      {"-1204.18", -120418},
      {"1204.18", 120418},
      {"92233720368547758.07", kMax},
      {"-92233720368547758.08", kMin},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Money::from_cents(c.cents).to_string(), c.text);
    EXPECT_EQ(Money::parse(Money::from_cents(c.cents).to_string()).cents(), c.cents);
  }
}

TEST(MoneyPrint, ToDisplay) {
  EXPECT_EQ(Money::from_cents(120418).to_display(), "1 204.18");
  EXPECT_EQ(Money::from_cents(-120418).to_display(), "-1 204.18");
  EXPECT_EQ(Money::from_cents(99999).to_display(), "999.99");
  EXPECT_EQ(Money::from_cents(100000).to_display(), "1 000.00");
  EXPECT_EQ(Money::from_cents(123456789).to_display(), "1 234 567.89");
  EXPECT_EQ(Money::from_cents(-5).to_display(), "-0.05");
  EXPECT_EQ(Money::from_cents(0).to_display(), "0.00");
}

TEST(MoneyArithmetic, Basic) {
  const Money a = Money::from_cents(150);
  const Money b = Money::from_cents(-275);
  EXPECT_EQ((a + b).cents(), -125);
  EXPECT_EQ((a - b).cents(), 425);
  EXPECT_EQ((-a).cents(), -150);
  EXPECT_EQ((b * 3).cents(), -825);
  EXPECT_EQ((b * -2).cents(), 550);
  Money c = a;
  c += b;
  EXPECT_EQ(c.cents(), -125);
  c -= b;
  EXPECT_EQ(c, a);
  EXPECT_LT(b, a);
}

TEST(MoneyArithmetic, OverflowIsDetected) {
  const Money max = Money::from_cents(kMax);
  const Money min = Money::from_cents(kMin);
  const Money one = Money::from_cents(1);
  EXPECT_THROW((void)(max + one), std::overflow_error);
  EXPECT_THROW((void)(min + -one), std::overflow_error);
  EXPECT_THROW((void)(min - one), std::overflow_error);
  EXPECT_THROW((void)(max - -one), std::overflow_error);
  EXPECT_THROW((void)(-min), std::overflow_error);
  EXPECT_THROW((void)(max * 2), std::overflow_error);
  EXPECT_THROW((void)(min * -1), std::overflow_error);
  EXPECT_THROW((void)(Money::from_cents(kMax / 3 + 1) * 3), std::overflow_error);
  Money m = max;
  EXPECT_THROW(m += one, std::overflow_error);
  EXPECT_EQ(m, max);  // unchanged after a failed update
  EXPECT_EQ((max + min).cents(), -1);
  EXPECT_EQ((max * 1).cents(), kMax);
  EXPECT_EQ((-max).cents(), -kMax);
}

}  // namespace
}  // namespace costcover
