// Decimal: a fixed-point number with 6 decimals (an int64 count of millionths), for unit
// prices (at most 4 decimals by the formats), rates, shares, percentages and drivers.
// Parsed only from text; never from or to floating point.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/int128.hpp"
#include "core/money.hpp"

namespace costcover {

class Decimal {
 public:
  static constexpr int kScale = 6;
  static constexpr std::int64_t kOne = 1'000'000;

  constexpr Decimal() = default;
  Decimal(double) = delete;
  Decimal(float) = delete;

  [[nodiscard]] static constexpr Decimal from_units(std::int64_t millionths) { return Decimal(millionths); }
  [[nodiscard]] static Decimal from_integer(std::int64_t value);  // checked
  [[nodiscard]] static Decimal from_money(Money amount);          // checked: 12.34 -> 12.340000
  // Parses "4.2", "-0.0001", "11", "25.5". Throws std::invalid_argument (message quotes
  // the text) on bad syntax or more than max_fraction_digits decimals (<= kScale).
  [[nodiscard]] static Decimal parse(std::string_view text, int max_fraction_digits = kScale);
  // Number of digits after the point as written in text ("4.20" -> 2), -1 if not a number.
  [[nodiscard]] static int fraction_digits(std::string_view text);

  [[nodiscard]] constexpr std::int64_t units() const { return units_; }
  // Exactly `decimals` decimals (0..6), rounding half away from zero: to_string(4) -> "4.2000".
  [[nodiscard]] std::string to_string(int decimals) const;
  // Shortest exact form: "4.2", "11", "-0.0001".
  [[nodiscard]] std::string to_string() const;

  [[nodiscard]] Decimal operator+(Decimal other) const;  // checked
  [[nodiscard]] Decimal operator-(Decimal other) const;  // checked
  [[nodiscard]] Decimal operator-() const;
  constexpr auto operator<=>(const Decimal&) const = default;

 private:
  constexpr explicit Decimal(std::int64_t units) : units_(units) {}
  std::int64_t units_ = 0;
};

// Exact products as micro-cents would overflow int64 quickly; these work in __int128 and
// round once, half away from zero, to the cent.
// quantity x unit price, e.g. 1201 x 4.2000 = 5044.20.
[[nodiscard]] Money multiply_round(std::int64_t quantity, Decimal unit_price);
// amount x rate, e.g. 1000.00 x 0.05 = 50.00; amount x percent / 100 with percent().
[[nodiscard]] Money multiply_round(Money amount, Decimal rate);
[[nodiscard]] Money percent_of(Money amount, Decimal percent);
// Rounds numerator/denominator to the nearest integer, half away from zero.
// denominator must be non-zero (std::invalid_argument otherwise).
[[nodiscard]] Int128 divide_round(Int128 numerator, Int128 denominator);

}  // namespace costcover
