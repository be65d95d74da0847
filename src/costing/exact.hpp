// Exact arithmetic for the costing engine: arbitrary-precision rationals (Boost.Multiprecision,
// header-only) for every intermediate amount, and the two rounding steps that turn exact
// amounts into cents:
//   - round_to_sum: largest remainder over a list, so the parts sum to a given whole;
//   - controlled_round: a table whose cells, row totals, column totals and grand total are
//     all rounded to a neighbouring cent (floor or ceiling) while staying additive.
// Amounts here are rationals counted in CENTS (Money 12.34 is the rational 1234).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"

namespace costcover::costing {

using Integer = boost::multiprecision::cpp_int;
using Rational = boost::multiprecision::cpp_rational;

[[nodiscard]] Rational cents_of(Money amount);
// A Decimal (millionths) as an exact rational: 0.45 -> 9/20.
[[nodiscard]] Rational rational_of(Decimal value);
[[nodiscard]] Integer floor_of(const Rational& value);
[[nodiscard]] Integer ceil_of(const Rational& value);
[[nodiscard]] bool is_integer(const Rational& value);
// Nearest integer, half away from zero.
[[nodiscard]] Integer round_half_away(const Rational& value);
// The integer a whole rational holds; InvariantError if it is not whole.
[[nodiscard]] Integer whole_of(const Rational& value);
// Checked narrowing; std::overflow_error outside int64.
[[nodiscard]] std::int64_t int64_of(const Integer& value);
// An integer number of cents as Money; throws std::overflow_error outside int64.
[[nodiscard]] Money money_of(const Integer& cents);
// Rounds cents half away from zero to Money.
[[nodiscard]] Money round_money(const Rational& cents);
// "1234.5678..." style text of a rational amount of cents, in euros with `decimals` decimals
// (rounded half away from zero), for messages.
[[nodiscard]] std::string euros_text(const Rational& cents, int decimals = 2);

// Rounds each exact value to floor or ceiling so that the results sum to `target`, which
// must lie between the sum of floors and the sum of ceilings (InvariantError otherwise).
// The leftover units go to the largest fractional parts, ties to the lower index: the
// same rule as core's allocate(), over exact rationals whose common denominator need not
// fit in 128 bits.
[[nodiscard]] std::vector<Integer> round_to_sum(const std::vector<Rational>& exact, const Integer& target);

// Controlled rounding of a table (Bacharach's augmented-matrix method). Returns integer
// cells, each the floor or ceiling of its exact value, such that every row total and
// column total of the result is the floor or ceiling of the exact row or column total,
// and the grand total is the floor or ceiling of the exact grand total (exactly it when
// that is an integer). Rows may be empty only if every row is. Deterministic: the same
// table always gives the same result.
[[nodiscard]] std::vector<std::vector<Integer>> controlled_round(const std::vector<std::vector<Rational>>& table);

}  // namespace costcover::costing
