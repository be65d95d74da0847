// Money parsing accepts an optional sign, at least one integer digit and at most two
// decimals after a '.', which must be followed by at least one digit: "1." and ".5" are
// rejected (the formats write amounts as full decimal numbers).
#include "core/money.hpp"

#include <limits>
#include <stdexcept>

namespace costcover {

namespace {

[[noreturn]] void bad_money(std::string_view text, const char* why) {
  throw std::invalid_argument("invalid amount \"" + std::string(text) + "\": " + why);
}

std::string group_thousands(std::string digits) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

}  // namespace

Money Money::parse(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  const std::size_t int_start = pos;
  // Accumulate as a negative number so that the minimum value parses too.
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  std::int64_t value = 0;
  auto push_digit = [&](char c) {
    const int digit = c - '0';
    if (value < (kMin + digit) / 10) bad_money(text, "out of range");
    value = value * 10 - digit;
  };
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') push_digit(text[pos++]);
  if (pos == int_start) bad_money(text, "expected a number like 1234.50");
  int decimals = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++decimals > 2) bad_money(text, "more than 2 decimals");
      push_digit(text[pos++]);
    }
    if (decimals == 0) bad_money(text, "expected digits after '.'");
  }
  if (pos != text.size()) bad_money(text, "expected a number like 1234.50");
  for (; decimals < 2; ++decimals) push_digit('0');
  if (!negative) {
    if (value == kMin) bad_money(text, "out of range");
    value = -value;
  }
  return Money(value);
}

std::string Money::to_string() const {
  const bool negative = cents_ < 0;
  // Work in unsigned so that the minimum value prints too.
  const std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(cents_) : static_cast<std::uint64_t>(cents_);
  const std::uint64_t frac = magnitude % 100;
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + frac / 10);
  out += static_cast<char>('0' + frac % 10);
  return out;
}

std::string Money::to_display() const {
  std::string plain = to_string();
  const bool negative = plain.front() == '-';
  if (negative) plain.erase(0, 1);
  const std::size_t dot = plain.find('.');
  return (negative ? "-" : "") + group_thousands(plain.substr(0, dot)) + plain.substr(dot);
}

Money Money::operator+(Money other) const {
  std::int64_t out = 0;
  if (__builtin_add_overflow(cents_, other.cents_, &out)) {
    throw std::overflow_error("money overflow: " + to_string() + " + " + other.to_string());
  }
  return Money(out);
}

Money Money::operator-(Money other) const {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(cents_, other.cents_, &out)) {
    throw std::overflow_error("money overflow: " + to_string() + " - " + other.to_string());
  }
  return Money(out);
}

Money Money::operator-() const {
  if (cents_ == std::numeric_limits<std::int64_t>::min()) {
    throw std::overflow_error("money overflow: -(" + to_string() + ")");
  }
  return Money(-cents_);
}

Money& Money::operator+=(Money other) { return *this = *this + other; }
Money& Money::operator-=(Money other) { return *this = *this - other; }

Money Money::operator*(std::int64_t factor) const {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(cents_, factor, &out)) {
    throw std::overflow_error("money overflow: " + to_string() + " * " + std::to_string(factor));
  }
  return Money(out);
}

}  // namespace costcover
