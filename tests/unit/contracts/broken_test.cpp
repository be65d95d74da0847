// Every case under broken/ is a folder holding one file laid out as under contracts/
// (catalog.yaml, agencies.yaml, prices/YEAR.yaml, agreements/NAME.yaml or costs/YEAR.yaml).
// It replaces the sample file of the same path (or adds an agreement), and the whole set
// must then produce exactly the one finding that the file's first line announces, made by
// the rule (contracts/rules.hpp) that its second line names:
//   # expect: LINE:COLUMN: MESSAGE
//   # rule: RULE_ID
// rules_test.cpp checks that every rule has a case.
#include <gtest/gtest.h>

#include <cctype>

#include "broken_cases.hpp"
#include "contract_files.hpp"
#include "contracts/loader.hpp"
#include "contracts/rules.hpp"

namespace costcover::contracts {
namespace {

class Broken : public ::testing::TestWithParam<std::string> {};

TEST_P(Broken, GivesExactlyTheAnnouncedFindingOfTheNamedRule) {
  const testing::BrokenCase broken = testing::read_broken_case(GetParam());
  ASSERT_TRUE(broken.problem.empty()) << broken.problem;
  ASSERT_TRUE(find_rule(broken.rule).has_value())
      << broken.file.path << " names rule " << broken.rule << ", which contracts/rules.hpp does not register";
  auto files = testing::read_tree(testing::samples_dir(), "contracts");
  files[broken.relative] = broken.file;

  const LoadResult result = load_sources(testing::values(files));
  std::string got;
  for (const auto& finding : result.findings) got += finding.to_string() + " [" + finding.rule + "]\n";
  ASSERT_EQ(result.findings.size(), 1U) << got;
  EXPECT_EQ(result.findings[0].to_string(), broken.expected);
  EXPECT_EQ(result.findings[0].rule, broken.rule) << broken.file.path;
}

INSTANTIATE_TEST_SUITE_P(Cases, Broken, ::testing::ValuesIn(testing::broken_case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string out;
                           for (const char c : param_info.param)
                             out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return out;
                         });

// The bounds of contracts/README.md ("Bounds"), one case per kind of field and file, and
// the control characters and lengths of texts; the rules a fixture cannot show (the
// file's size and bytes, links, file names) are in files_test.cpp and rule_cases.cpp.
TEST(BrokenCases, EveryBoundHasItsCase) {
  const auto names = testing::broken_case_names();
  for (const char* required : {
           "agreement-fee-above-largest",
           "agreement-charge-above-largest",
           "agreement-unit-price-above-largest",
           "agreement-volume-above-largest",
           "agreement-target-share-above-one",
           "agreement-date-below-smallest",
           "agreement-control-character",
           "agreement-id-too-long",
           "agreement-buyer-reference-too-long",
           "agreement-reason-too-long",
           "agencies-name-too-long",
           "prices-unit-price-above-largest",
           "costs-book-value-above-largest",
           "costs-driver-above-largest",
           "costs-forecast-volume-above-largest",
       }) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << "no case broken/" << required;
  }
}

}  // namespace
}  // namespace costcover::contracts
