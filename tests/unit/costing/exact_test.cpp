// Exact rationals and the rounding steps.
#include <gtest/gtest.h>

#include <random>

#include "core/errors.hpp"
#include "costing/exact.hpp"

namespace costcover::costing {
namespace {

TEST(Exact, FloorCeilRound) {
  EXPECT_EQ(floor_of(Rational(7, 2)), 3);
  EXPECT_EQ(floor_of(Rational(-7, 2)), -4);
  EXPECT_EQ(ceil_of(Rational(-7, 2)), -3);
  EXPECT_EQ(floor_of(Rational(-4)), -4);
  EXPECT_EQ(round_half_away(Rational(5, 2)), 3);
  EXPECT_EQ(round_half_away(Rational(-5, 2)), -3);
  EXPECT_EQ(round_half_away(Rational(-7, 3)), -2);
  EXPECT_EQ(rational_of(Decimal::parse("0.45")), Rational(9, 20));
  EXPECT_EQ(euros_text(Rational(2'400'000'000, 197)), "121827.41");
  EXPECT_EQ(euros_text(Rational(-1, 3), 4), "-0.0033");
  EXPECT_EQ(round_money(Rational(-1, 2)), Money::from_cents(-1));
}

TEST(Exact, RoundToSumLargestRemainder) {
  // 10/3 three times: the floors sum to 9; the unit left over goes to the first (ties to
  // the lower index).
  const auto parts = round_to_sum({Rational(10, 3), Rational(10, 3), Rational(10, 3)}, 10);
  EXPECT_EQ(parts, (std::vector<Integer>{4, 3, 3}));
  // Negative values: -1.25 -> floor -2 with remainder .75; -0.75 -> floor -1 (.25); 2 -> 2.
  EXPECT_EQ(round_to_sum({Rational(-5, 4), Rational(-3, 4), Rational(2)}, 0), (std::vector<Integer>{-1, -1, 2}));
  EXPECT_THROW((void)round_to_sum({Rational(1, 2)}, 2), InvariantError);
}

struct Check {
  Integer floor;
  Integer ceil;
};

Check bounds(const Rational& v) { return {floor_of(v), ceil_of(v)}; }

void expect_controlled(const std::vector<std::vector<Rational>>& table) {
  const auto out = controlled_round(table);
  ASSERT_EQ(out.size(), table.size());
  const std::size_t cols = table.empty() ? 0 : table[0].size();
  Rational grand = 0;
  Integer grand_out = 0;
  std::vector<Rational> col_exact(cols);
  std::vector<Integer> col_out(cols);
  for (std::size_t r = 0; r < table.size(); ++r) {
    Rational row_exact = 0;
    Integer row_out = 0;
    for (std::size_t c = 0; c < cols; ++c) {
      const Check b = bounds(table[r][c]);
      EXPECT_TRUE(out[r][c] == b.floor || out[r][c] == b.ceil) << r << "," << c;
      row_exact += table[r][c];
      row_out += out[r][c];
      col_exact[c] += table[r][c];
      col_out[c] += out[r][c];
    }
    const Check b = bounds(row_exact);
    EXPECT_TRUE(row_out == b.floor || row_out == b.ceil) << "row " << r;
    grand += row_exact;
    grand_out += row_out;
  }
  for (std::size_t c = 0; c < cols; ++c) {
    const Check b = bounds(col_exact[c]);
    EXPECT_TRUE(col_out[c] == b.floor || col_out[c] == b.ceil) << "column " << c;
  }
  const Check b = bounds(grand);
  EXPECT_TRUE(grand_out == b.floor || grand_out == b.ceil);
  if (is_integer(grand)) {
    EXPECT_EQ(Rational(grand_out), grand);
  }
}

TEST(Exact, ControlledRoundingSmall) {
  // One fractional column whose fractions (.2284, .7461, .0254 of a cent) sum to 1: it
  // rounds like the largest remainder, the middle cell goes up.
  const std::vector<std::vector<Rational>> table = {{Rational(255'000'00), Rational(2'541'500'000, 197)},
                                                    {Rational(45'000'00), Rational(448'500'000, 197)},
                                                    {Rational(400'000'00), Rational(2'920'000'000, 197)}};
  const auto out = controlled_round(table);
  EXPECT_EQ(out[0][1], 12'901'015);
  EXPECT_EQ(out[1][1], 2'276'650);
  EXPECT_EQ(out[2][1], 14'822'335);
  expect_controlled(table);
  EXPECT_TRUE(controlled_round({}).empty());
  EXPECT_EQ(controlled_round({{}, {}}).size(), 2U);
}

TEST(Exact, ControlledRoundingRandomTables) {
  std::mt19937 random(20270101);
  for (int round = 0; round < 300; ++round) {
    const auto rows = std::uniform_int_distribution<std::size_t>(1, 7)(random);
    const auto cols = std::uniform_int_distribution<std::size_t>(1, 9)(random);
    std::vector<std::vector<Rational>> table(rows, std::vector<Rational>(cols));
    for (auto& row : table)
      for (auto& cell : row) {
        const int kind = std::uniform_int_distribution<int>(0, 3)(random);
        if (kind == 0) continue;  // zero
        const auto num = std::uniform_int_distribution<std::int64_t>(-1'000'000, 1'000'000)(random);
        const auto den = kind == 1 ? 1 : std::uniform_int_distribution<std::int64_t>(1, 997)(random);
        cell = Rational(num, den);
      }
    expect_controlled(table);
  }
}

}  // namespace
}  // namespace costcover::costing
