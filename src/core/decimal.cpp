// Decimal parsing accepts the same shape as Money ("-0.0001", "+4.2", "11"; not "1." or
// ".5") with up to max_fraction_digits decimals. Every product rounds once, half away
// from zero, in 128-bit arithmetic.
#include "core/decimal.hpp"

#include <limits>
#include <stdexcept>

namespace costcover {

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

[[noreturn]] void bad_decimal(std::string_view text, const std::string& why) {
  throw std::invalid_argument("invalid number \"" + std::string(text) + "\": " + why);
}

std::int64_t pow10(int n) {
  std::int64_t out = 1;
  for (int i = 0; i < n; ++i) out *= 10;
  return out;
}

std::int64_t to_int64(Int128 value, const char* what) {
  if (value > kMax || value < kMin) throw std::overflow_error(std::string(what) + " overflows");
  return static_cast<std::int64_t>(value);
}

}  // namespace

Decimal Decimal::from_money(Money amount) {
  return Decimal(to_int64(static_cast<Int128>(amount.cents()) * (kOne / 100), "amount as a decimal"));
}

Decimal Decimal::from_integer(std::int64_t value) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(value, kOne, &out)) {
    throw std::overflow_error("decimal overflow: " + std::to_string(value));
  }
  return Decimal(out);
}

int Decimal::fraction_digits(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  const std::size_t int_start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  if (pos == int_start) return -1;
  if (pos == text.size()) return 0;
  if (text[pos] != '.') return -1;
  const std::size_t frac_start = ++pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  if (pos == frac_start || pos != text.size()) return -1;
  return static_cast<int>(pos - frac_start);
}

Decimal Decimal::parse(std::string_view text, int max_fraction_digits) {
  if (max_fraction_digits < 0 || max_fraction_digits > kScale) {
    throw std::invalid_argument("max_fraction_digits " + std::to_string(max_fraction_digits) + " is outside 0..6");
  }
  const int decimals = fraction_digits(text);
  if (decimals < 0) bad_decimal(text, "expected a number like 4.2");
  if (decimals > max_fraction_digits) {
    bad_decimal(text, "more than " + std::to_string(max_fraction_digits) + " decimals");
  }
  std::size_t pos = 0;
  bool negative = false;
  if (text[pos] == '+' || text[pos] == '-') negative = text[pos++] == '-';
  Int128 value = 0;
  for (; pos < text.size(); ++pos) {
    if (text[pos] == '.') continue;
    value = value * 10 + (text[pos] - '0');
    if (value > Int128{kMax} + 1) bad_decimal(text, "out of range");
  }
  value *= pow10(kScale - decimals);
  if (negative) value = -value;
  if (value > kMax || value < kMin) bad_decimal(text, "out of range");
  return Decimal(static_cast<std::int64_t>(value));
}

std::string Decimal::to_string(int decimals) const {
  if (decimals < 0 || decimals > kScale) {
    throw std::invalid_argument("decimals " + std::to_string(decimals) + " is outside 0..6");
  }
  const std::int64_t step = pow10(kScale - decimals);
  const Int128 scaled = divide_round(units_, step);  // in units of 10^-decimals
  const bool negative = scaled < 0;
  std::string digits = costcover::to_string(negative ? -scaled : scaled);
  if (decimals == 0) return (negative ? "-" : "") + digits;
  if (digits.size() <= static_cast<std::size_t>(decimals)) {
    digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
  }
  digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
  return (negative ? "-" : "") + digits;
}

std::string Decimal::to_string() const {
  int decimals = kScale;
  std::int64_t rest = units_;
  while (decimals > 0 && rest % 10 == 0) {
    rest /= 10;
    --decimals;
  }
  return to_string(decimals);
}

Decimal Decimal::operator+(Decimal other) const {
  std::int64_t out = 0;
  if (__builtin_add_overflow(units_, other.units_, &out)) {
    throw std::overflow_error("decimal overflow: " + to_string() + " + " + other.to_string());
  }
  return Decimal(out);
}

Decimal Decimal::operator-(Decimal other) const {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(units_, other.units_, &out)) {
    throw std::overflow_error("decimal overflow: " + to_string() + " - " + other.to_string());
  }
  return Decimal(out);
}

Decimal Decimal::operator-() const {
  if (units_ == kMin) throw std::overflow_error("decimal overflow: -(" + to_string() + ")");
  return Decimal(-units_);
}

Int128 divide_round(Int128 numerator, Int128 denominator) {
  if (denominator == 0) throw std::invalid_argument("divide_round: division by zero");
  const bool negative = (numerator < 0) != (denominator < 0);
  const UInt128 n = numerator < 0 ? UInt128{0} - static_cast<UInt128>(numerator) : static_cast<UInt128>(numerator);
  const UInt128 d =
      denominator < 0 ? UInt128{0} - static_cast<UInt128>(denominator) : static_cast<UInt128>(denominator);
  UInt128 q = n / d;
  const UInt128 r = n % d;
  if (r >= d - r) ++q;  // half away from zero
  const auto signed_q = static_cast<Int128>(q);
  return negative ? -signed_q : signed_q;
}

Money multiply_round(std::int64_t quantity, Decimal unit_price) {
  // quantity * millionths of a euro -> cents: divide by 10^4.
  const Int128 product = Int128{quantity} * unit_price.units();
  return Money::from_cents(to_int64(divide_round(product, 10'000), "quantity x unit price"));
}

Money multiply_round(Money amount, Decimal rate) {
  const Int128 product = Int128{amount.cents()} * rate.units();
  return Money::from_cents(to_int64(divide_round(product, Decimal::kOne), "amount x rate"));
}

Money percent_of(Money amount, Decimal percent) {
  const Int128 product = Int128{amount.cents()} * percent.units();
  return Money::from_cents(to_int64(divide_round(product, Int128{Decimal::kOne} * 100), "percent of amount"));
}

}  // namespace costcover
