// allocate(): largest remainder, ties to the lower index, parts always sum to the total.
#include "core/allocate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace costcover {
namespace {

std::vector<std::int64_t> cents_of(const std::vector<Money>& parts) {
  std::vector<std::int64_t> out;
  for (const Money part : parts) out.push_back(part.cents());
  return out;
}

struct Case {
  std::int64_t total;
  std::vector<std::int64_t> weights;
  std::vector<std::int64_t> parts;
};

TEST(Allocate, Table) {
  const std::vector<Case> cases = {
      {100, {1, 1}, {50, 50}},
      {1, {1, 1, 1}, {1, 0, 0}},  // one cent over three parties: the tie goes to the first
      {2, {1, 1, 1}, {1, 1, 0}},
      {100, {1, 1, 1}, {34, 33, 33}},
      {-100, {1, 1, 1}, {-34, -33, -33}},  // mirrored
      {-1, {1, 1, 1}, {-1, 0, 0}},
      {100, {0, 1, 1}, {0, 50, 50}},  // zero weight gets nothing
      {101, {0, 1, 1}, {0, 51, 50}},
      {1, {0, 0, 5}, {0, 0, 1}},
      {10, {1, 2}, {3, 7}},  // 3.33 / 6.67: the larger remainder wins
      {10, {2, 1}, {7, 3}},
      {5, {45, 45, 10}, {2, 2, 1}},  // 2.25 2.25 0.5: 0.5 is the largest remainder
      {7, {45, 45, 10}, {3, 3, 1}},  // 3.15 3.15 0.7
      {100, {1}, {100}},
      {0, {3, 4}, {0, 0}},
      {99, {1, 1, 1, 1}, {25, 25, 25, 24}},
      {120418, {45, 45, 10}, {54188, 54188, 12042}},  // 54188.1 54188.1 12041.8
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cents_of(allocate(Money::from_cents(c.total), c.weights)), c.parts) << "total " << c.total;
  }
}

TEST(Allocate, WideWeights) {
  const std::vector<Int128> weights = {Int128{1} << 100, Int128{1} << 100, Int128{1} << 101};
  EXPECT_EQ(cents_of(allocate(Money::from_cents(101), weights)), (std::vector<std::int64_t>{25, 25, 51}));
}

TEST(Allocate, ExtremeTotals) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(cents_of(allocate(Money::from_cents(max), std::vector<std::int64_t>{1, 1})),
            (std::vector<std::int64_t>{max / 2 + 1, max / 2}));
  EXPECT_EQ(cents_of(allocate(Money::from_cents(min), std::vector<std::int64_t>{1, 1})),
            (std::vector<std::int64_t>{min / 2, min / 2}));
  EXPECT_EQ(cents_of(allocate(Money::from_cents(max), std::vector<std::int64_t>{max, max})),
            (std::vector<std::int64_t>{max / 2 + 1, max / 2}));
}

TEST(Allocate, BadWeights) {
  EXPECT_THROW((void)allocate(Money::from_cents(100), std::vector<std::int64_t>{}), std::invalid_argument);
  EXPECT_THROW((void)allocate(Money::from_cents(100), std::vector<std::int64_t>{0, 0}), std::invalid_argument);
  EXPECT_THROW((void)allocate(Money::from_cents(100), std::vector<std::int64_t>{1, -1, 2}), std::invalid_argument);
  try {
    (void)allocate(Money::from_cents(100), std::vector<std::int64_t>{0, 0});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "allocate: the weights sum to 0; cannot split 1.00");
  }
  const Int128 huge = Int128{1} << 120;
  EXPECT_THROW((void)allocate(Money::from_cents(1'000'000'000), std::vector<Int128>{huge, 1}), std::overflow_error);
}

TEST(Allocate, RandomPartsAlwaysSum) {
  std::mt19937_64 rng(20270131);
  std::uniform_int_distribution<std::int64_t> total_dist(-1'000'000'000'000, 1'000'000'000'000);
  std::uniform_int_distribution<int> count_dist(1, 12);
  std::uniform_int_distribution<std::int64_t> weight_dist(0, 1'000'000);
  for (int round = 0; round < 20'000; ++round) {
    const Money total = Money::from_cents(round % 3 == 0 ? total_dist(rng) % 100 : total_dist(rng));
    std::vector<std::int64_t> weights(static_cast<std::size_t>(count_dist(rng)));
    for (auto& w : weights) w = round % 5 == 0 ? weight_dist(rng) % 3 : weight_dist(rng);
    if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) weights.back() = 1;
    const auto parts = allocate(total, weights);
    ASSERT_EQ(parts.size(), weights.size());
    Money sum;
    std::int64_t weight_sum = 0;
    for (const auto w : weights) weight_sum += w;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      sum += parts[i];
      if (weights[i] == 0) {
        EXPECT_EQ(parts[i].cents(), 0);
      }
      // Each part is within one cent of the exact share.
      const Int128 exact_times_sum = Int128{total.cents()} * weights[i];
      const Int128 diff = Int128{parts[i].cents()} * weight_sum - exact_times_sum;
      EXPECT_LT(diff < 0 ? -diff : diff, Int128{weight_sum});
    }
    ASSERT_EQ(sum, total);
    // A negative total mirrors the positive split.
    if (total.cents() != std::numeric_limits<std::int64_t>::min()) {
      const auto mirrored = allocate(-total, weights);
      for (std::size_t i = 0; i < parts.size(); ++i) ASSERT_EQ(mirrored[i], -parts[i]);
    }
  }
}

}  // namespace
}  // namespace costcover
