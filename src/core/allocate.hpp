// Splitting an amount over parties by the largest-remainder method.
#pragma once

#include <cstdint>
#include <vector>

#include "core/int128.hpp"
#include "core/money.hpp"

namespace costcover {

// Splits total over weights in proportion: each part is floor(total*w/sum) (toward zero
// for a negative total), then the leftover cents go one each to the parts with the largest
// remainders, ties to the lower index. Parts always sum exactly to total (checked; a
// violation throws std::logic_error naming both sums). Weights must be >= 0 with a
// positive sum (std::invalid_argument otherwise). A negative total is split as
// -(allocate(-total)).
[[nodiscard]] std::vector<Money> allocate(Money total, const std::vector<std::int64_t>& weights);
// The same over arbitrary-precision integer weights (e.g. exact fractions scaled to a
// common denominator).
[[nodiscard]] std::vector<Money> allocate(Money total, const std::vector<Int128>& weights);

}  // namespace costcover
