// Money: an exact amount of euros as integer cents. No construction from floating point;
// parse and print as decimal text ("1234.50", "-0.05"). Arithmetic is checked: overflow
// throws std::overflow_error instead of wrapping.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace costcover {

class Money {
 public:
  constexpr Money() = default;
  Money(double) = delete;
  Money(float) = delete;

  [[nodiscard]] static constexpr Money from_cents(std::int64_t cents) { return Money(cents); }
  // Parses "12", "12.3", "12.30", "-0.05", "+1.00". At most 2 decimals; throws
  // std::invalid_argument with a message quoting the text otherwise.
  [[nodiscard]] static Money parse(std::string_view text);

  [[nodiscard]] constexpr std::int64_t cents() const { return cents_; }
  // Always exactly two decimals, '.' as separator, '-' for negatives: "-1204.18".
  [[nodiscard]] std::string to_string() const;
  // For people: thin-space-free grouping with a space, "1 204.18".
  [[nodiscard]] std::string to_display() const;

  [[nodiscard]] Money operator+(Money other) const;
  [[nodiscard]] Money operator-(Money other) const;
  [[nodiscard]] Money operator-() const;
  Money& operator+=(Money other);
  Money& operator-=(Money other);
  [[nodiscard]] Money operator*(std::int64_t factor) const;

  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(std::int64_t cents) : cents_(cents) {}
  std::int64_t cents_ = 0;
};

}  // namespace costcover
