// Decimal parsing/printing and the rounding products (half away from zero).
#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace costcover {
namespace {

TEST(DecimalParse, Good) {
  struct Case {
    const char* text;
    std::int64_t units;
  };
  const Case cases[] = {
      {"4.2", 4'200'000},
      {"-0.0001", -100},
      {"11", 11'000'000},
      {"25.5", 25'500'000},
      {"+1", 1'000'000},
      {"0.000001", 1},
      {"-0", 0},
      {"4.2000", 4'200'000},
      {"9223372036854.775807", std::numeric_limits<std::int64_t>::max()},
      {"-9223372036854.775808", std::numeric_limits<std::int64_t>::min()},
  };
  for (const auto& c : cases) EXPECT_EQ(Decimal::parse(c.text).units(), c.units) << c.text;
}

TEST(DecimalParse, Bad) {
  const char* cases[] = {"",
                         "-",
                         "1.",
                         ".5",
                         "1.0000001",
                         "1,5",
                         "1e2",
                         " 1",
                         "1 ",
                         "abc",
                         "9223372036854.775808",
                         "99999999999999999999999"};
  for (const char* text : cases) EXPECT_THROW((void)Decimal::parse(text), std::invalid_argument) << text;
}

TEST(DecimalParse, MaxFractionDigits) {
  EXPECT_EQ(Decimal::parse("4.2000", 4).units(), 4'200'000);
  EXPECT_THROW((void)Decimal::parse("4.20001", 4), std::invalid_argument);
  EXPECT_EQ(Decimal::parse("5", 0).units(), 5'000'000);
  EXPECT_THROW((void)Decimal::parse("5.0", 0), std::invalid_argument);
  EXPECT_THROW((void)Decimal::parse("5", 7), std::invalid_argument);
  try {
    (void)Decimal::parse("4.20001", 4);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "invalid number \"4.20001\": more than 4 decimals");
  }
}

TEST(DecimalParse, FractionDigits) {
  EXPECT_EQ(Decimal::fraction_digits("4.20"), 2);
  EXPECT_EQ(Decimal::fraction_digits("4"), 0);
  EXPECT_EQ(Decimal::fraction_digits("-0.0001"), 4);
  EXPECT_EQ(Decimal::fraction_digits("1."), -1);
  EXPECT_EQ(Decimal::fraction_digits(".5"), -1);
  EXPECT_EQ(Decimal::fraction_digits("x"), -1);
  EXPECT_EQ(Decimal::fraction_digits(""), -1);
}

TEST(DecimalPrint, ToString) {
  EXPECT_EQ(Decimal::parse("4.2").to_string(4), "4.2000");
  EXPECT_EQ(Decimal::parse("4.2").to_string(), "4.2");
  EXPECT_EQ(Decimal::parse("11").to_string(), "11");
  EXPECT_EQ(Decimal::parse("-0.0001").to_string(), "-0.0001");
  EXPECT_EQ(Decimal::parse("0").to_string(), "0");
  EXPECT_EQ(Decimal::parse("0").to_string(2), "0.00");
  EXPECT_EQ(Decimal::parse("2.345").to_string(2), "2.35");
  EXPECT_EQ(Decimal::parse("-2.345").to_string(2), "-2.35");
  EXPECT_EQ(Decimal::parse("2.344999").to_string(2), "2.34");
  EXPECT_EQ(Decimal::parse("-0.005").to_string(2), "-0.01");
  EXPECT_EQ(Decimal::parse("-0.004").to_string(2), "0.00");  // no negative zero
  EXPECT_EQ(Decimal::parse("0.5").to_string(0), "1");
  EXPECT_EQ(Decimal::parse("-0.5").to_string(0), "-1");
  EXPECT_EQ(Decimal::parse("1.23456").to_string(6), "1.234560");
  EXPECT_THROW((void)Decimal::parse("1").to_string(7), std::invalid_argument);
}

TEST(DecimalArithmetic, CheckedOperators) {
  const Decimal max = Decimal::from_units(std::numeric_limits<std::int64_t>::max());
  const Decimal min = Decimal::from_units(std::numeric_limits<std::int64_t>::min());
  const Decimal tiny = Decimal::from_units(1);
  EXPECT_EQ((Decimal::parse("1.5") + Decimal::parse("2.25")).to_string(), "3.75");
  EXPECT_EQ((Decimal::parse("1.5") - Decimal::parse("2.25")).to_string(), "-0.75");
  EXPECT_EQ((-Decimal::parse("1.5")).to_string(), "-1.5");
  EXPECT_THROW((void)(max + tiny), std::overflow_error);
  EXPECT_THROW((void)(min - tiny), std::overflow_error);
  EXPECT_THROW((void)(-min), std::overflow_error);
  EXPECT_EQ(Decimal::from_integer(-3).units(), -3'000'000);
  EXPECT_THROW((void)Decimal::from_integer(std::numeric_limits<std::int64_t>::max() / 100), std::overflow_error);
}

TEST(DecimalRounding, DivideRoundHalfAwayFromZero) {
  struct Case {
    std::int64_t n;
    std::int64_t d;
    std::int64_t q;
  };
  const Case cases[] = {
      {5, 2, 3},   {-5, 2, -3},     {5, -2, -3},       {-5, -2, 3},     {7, 2, 4}, {4, 3, 1},
      {-4, 3, -1}, {2345, 10, 235}, {-2345, 10, -235}, {2344, 10, 234}, {0, 7, 0}, {1, 3, 0},
      {2, 3, 1},   {-2, 3, -1},     {6, 3, 2},         {-1, 2, -1},     {1, 2, 1},
  };
  for (const auto& c : cases) EXPECT_EQ(static_cast<std::int64_t>(divide_round(c.n, c.d)), c.q) << c.n << "/" << c.d;
  EXPECT_THROW((void)divide_round(1, 0), std::invalid_argument);
  const Int128 big = Int128{std::numeric_limits<std::int64_t>::max()} * 1'000'000;
  EXPECT_EQ(divide_round(big, 1'000'000), Int128{std::numeric_limits<std::int64_t>::max()});
}

TEST(DecimalRounding, MultiplyRound) {
  EXPECT_EQ(multiply_round(1201, Decimal::parse("4.2000")).to_string(), "5044.20");
  EXPECT_EQ(multiply_round(1, Decimal::parse("2.345")).to_string(), "2.35");
  EXPECT_EQ(multiply_round(1, Decimal::parse("-2.345")).to_string(), "-2.35");
  EXPECT_EQ(multiply_round(-1, Decimal::parse("2.345")).to_string(), "-2.35");
  EXPECT_EQ(multiply_round(3, Decimal::parse("0.0015")).to_string(), "0.00");   // 0.0045
  EXPECT_EQ(multiply_round(10, Decimal::parse("0.0005")).to_string(), "0.01");  // 0.005
  EXPECT_EQ(multiply_round(10, Decimal::parse("-0.0005")).to_string(), "-0.01");
  EXPECT_EQ(multiply_round(0, Decimal::parse("4.2")).to_string(), "0.00");
  EXPECT_EQ(multiply_round(10'000'000, Decimal::parse("0.1234")).to_string(), "1234000.00");
  EXPECT_THROW((void)multiply_round(std::numeric_limits<std::int64_t>::max(), Decimal::parse("1000")),
               std::overflow_error);
}

TEST(DecimalRounding, MultiplyMoneyByRate) {
  EXPECT_EQ(multiply_round(Money::parse("1000.00"), Decimal::parse("0.05")).to_string(), "50.00");
  EXPECT_EQ(multiply_round(Money::parse("0.05"), Decimal::parse("0.5")).to_string(), "0.03");    // 0.025
  EXPECT_EQ(multiply_round(Money::parse("-0.05"), Decimal::parse("0.5")).to_string(), "-0.03");  // -0.025
  EXPECT_EQ(multiply_round(Money::parse("0.05"), Decimal::parse("0.49")).to_string(), "0.02");   // 0.0245
  EXPECT_EQ(multiply_round(Money::parse("100.00"), Decimal::parse("-0.255")).to_string(), "-25.50");
}

TEST(DecimalRounding, PercentOf) {
  EXPECT_EQ(percent_of(Money::parse("1000.00"), Decimal::parse("5")).to_string(), "50.00");
  EXPECT_EQ(percent_of(Money::parse("234.50"), Decimal::parse("1")).to_string(), "2.35");    // 2.345
  EXPECT_EQ(percent_of(Money::parse("-234.50"), Decimal::parse("1")).to_string(), "-2.35");  // -2.345
  EXPECT_EQ(percent_of(Money::parse("234.40"), Decimal::parse("1")).to_string(), "2.34");
  EXPECT_EQ(percent_of(Money::parse("5044.20"), Decimal::parse("12.5")).to_string(), "630.53");  // 630.525
  EXPECT_EQ(percent_of(Money::parse("1.00"), Decimal::parse("0.000001")).to_string(), "0.00");
}

}  // namespace
}  // namespace costcover
