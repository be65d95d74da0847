// Largest-remainder allocation. Every part is computed from |total| in 128-bit integers;
// a negative total is split as the negation of the positive split, so that the same
// weights give mirrored parts.
#include "core/allocate.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"

namespace costcover {

std::vector<Money> allocate(Money total, const std::vector<Int128>& weights) {
  if (weights.empty()) throw std::invalid_argument("allocate: no weights to split " + total.to_string() + " over");
  Int128 sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0) {
      throw std::invalid_argument("allocate: weight " + std::to_string(i) + " is negative (" + to_string(weights[i]) +
                                  ")");
    }
    if (__builtin_add_overflow(sum, weights[i], &sum)) {
      throw std::overflow_error("allocate: the sum of the weights overflows");
    }
  }
  if (sum == 0) throw std::invalid_argument("allocate: the weights sum to 0; cannot split " + total.to_string());

  const bool negative = total.cents() < 0;
  // |total| fits in Int128 even for the minimum int64.
  const Int128 magnitude = negative ? -Int128{total.cents()} : Int128{total.cents()};
  std::vector<Int128> parts(weights.size());
  std::vector<Int128> remainders(weights.size());
  Int128 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Int128 product = 0;
    if (__builtin_mul_overflow(magnitude, weights[i], &product)) {
      throw std::overflow_error("allocate: " + total.to_string() + " x weight " + to_string(weights[i]) + " overflows");
    }
    parts[i] = product / sum;
    remainders[i] = product % sum;
    given += parts[i];
  }
  // Fewer cents than parties are left over; they go to the largest remainders, ties to the
  // lower index.
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  const Int128 leftover = magnitude - given;
  for (std::size_t k = 0; k < order.size() && Int128{static_cast<std::int64_t>(k)} < leftover; ++k) ++parts[order[k]];

  std::vector<Money> out;
  out.reserve(parts.size());
  Money check;
  for (const Int128 part : parts) {
    const Int128 cents = negative ? -part : part;
    const Money money = Money::from_cents(static_cast<std::int64_t>(cents));
    out.push_back(money);
    check += money;
  }
  if (check != total) {
    throw InvariantError("allocate: parts sum to " + check.to_string() + " but total is " + total.to_string() +
                         " (remainder " + (total - check).to_string() + ")");
  }
  return out;
}

std::vector<Money> allocate(Money total, const std::vector<std::int64_t>& weights) {
  return allocate(total, std::vector<Int128>(weights.begin(), weights.end()));
}

}  // namespace costcover
