#include "core/errors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace costcover {
namespace {

TEST(Errors, LocationAndFinding) {
  EXPECT_EQ((Location{"a.yaml", 14, 7}).to_string(), "a.yaml:14:7");
  EXPECT_EQ((Location{"a.yaml", 14, 0}).to_string(), "a.yaml:14");
  EXPECT_EQ((Location{"a.yaml", 0, 0}).to_string(), "a.yaml");
  EXPECT_EQ((Location{"a.yaml", 0, 3}).to_string(), "a.yaml");
  const Finding f{{"contracts/agreements/ktl.yaml", 14, 7},
                  "services[0].volume.lower_limit 2500 is above upper_limit 2000"};
  EXPECT_EQ(f.to_string(),
            "contracts/agreements/ktl.yaml:14:7: services[0].volume.lower_limit 2500 is above upper_limit 2000");
  EXPECT_EQ((Finding{{}, "no place"}).to_string(), "no place");
}

TEST(Errors, InputErrorCarriesFindings) {
  const InputError one({Finding{{"f.csv", 3, 0}, "bad"}});
  EXPECT_EQ(std::string(one.what()), "f.csv:3: bad");
  ASSERT_EQ(one.findings().size(), 1U);
  const InputError two({Finding{{"f.csv", 3, 0}, "bad"}, Finding{{"f.csv", 9, 0}, "worse"}});
  EXPECT_EQ(std::string(two.what()), "f.csv:3: bad (and 1 more)");
  EXPECT_EQ(two.findings().size(), 2U);
  const InputError plain("just a message");
  EXPECT_EQ(std::string(plain.what()), "just a message");
  ASSERT_EQ(plain.findings().size(), 1U);
  EXPECT_EQ(plain.findings()[0].message, "just a message");
  const InvariantError broken("sums differ");
  const std::logic_error& as_logic = broken;
  EXPECT_EQ(std::string(as_logic.what()), "sums differ");
}

}  // namespace
}  // namespace costcover
