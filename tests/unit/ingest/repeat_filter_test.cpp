// The repeat filter (ingest/repeat_filter.hpp): it never misses a key seen before, and its
// false alarms stay rare (they only cost the exact path of the key rules).
#include <gtest/gtest.h>

#include <string>

#include "ingest/repeat_filter.hpp"

namespace costcover::ingest {
namespace {

TEST(RepeatFilter, FlagsEveryRepeatAndNotTheFirstTime) {
  RepeatFilter filter;
  EXPECT_FALSE(filter.add("A-1"));
  EXPECT_TRUE(filter.add("A-1"));
  EXPECT_TRUE(filter.add("A-1"));
  EXPECT_FALSE(filter.add("A-2"));
  EXPECT_FALSE(filter.add(""));
  EXPECT_TRUE(filter.add(""));
}

// 200 000 distinct keys, then each again. At 200 000 keys in 2^28 bits with 4 probes the
// false-alarm rate is about (1 - e^(-4 * 2e5 / 2^28))^4 = (2.98e-3)^4, some 8e-11: none
// is expected among the first pass (the filter is deterministic, so this never flakes).
TEST(RepeatFilter, DistinctKeysPassAndRepeatsAreAllFlagged) {
  RepeatFilter filter;
  int false_alarms = 0;
  for (int i = 0; i < 200'000; ++i) false_alarms += filter.add("finance-202701-" + std::to_string(i)) ? 1 : 0;
  EXPECT_EQ(false_alarms, 0);
  int missed = 0;
  for (int i = 0; i < 200'000; ++i) missed += filter.add("finance-202701-" + std::to_string(i)) ? 0 : 1;
  EXPECT_EQ(missed, 0);
}

}  // namespace
}  // namespace costcover::ingest
