// The rule registry (contracts/rules.hpp): every rule has a stable snake_case id and at
// least one case that pins it, a broken/ fixture naming it or a generated case
// (rule_cases.cpp); every case names a registered rule, and its one finding carries it.
// A rule added without a case fails EveryRuleHasACase; a fixture naming a rule that does
// not exist, or another rule than its finding's, fails too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "broken_cases.hpp"
#include "contracts/rules.hpp"
#include "rule_cases.hpp"

namespace costcover::contracts {
namespace {

TEST(RuleRegistry, IdsAreUniqueSnakeCaseAndFindTheirRule) {
  std::set<std::string_view> ids;
  int index = 0;
  for (const RuleInfo& info : all_rules()) {
    EXPECT_EQ(static_cast<int>(info.rule), index++) << info.id << ": all_rules() is in enum order";
    EXPECT_TRUE(ids.insert(info.id).second) << info.id << " is registered twice";
    EXPECT_FALSE(info.id.empty());
    EXPECT_TRUE(std::all_of(info.id.begin(), info.id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    })) << info.id;
    EXPECT_FALSE(info.summary.empty()) << info.id;
    EXPECT_EQ(find_rule(info.id), info.rule) << info.id;
    EXPECT_EQ(rule_id(info.rule), info.id);
  }
  EXPECT_EQ(find_rule("no_such_rule"), std::nullopt);
  EXPECT_EQ(make_finding(Rule::unknown_key, {"x.yaml", 3, 5}, "k is not a known key").rule, "unknown_key");
}

// Which cases pin each rule: "broken/NAME" fixtures and "generated NAME" cases.
std::map<std::string, std::vector<std::string>> cases_by_rule() {
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& name : testing::broken_case_names()) {
    out[testing::read_broken_case(name).rule].push_back("broken/" + name);
  }
  for (const auto& c : testing::generated_cases()) out[std::string(rule_id(c.rule))].push_back("generated " + c.name);
  return out;
}

TEST(RuleRegistry, EveryRuleHasACase) {
  const auto cases = cases_by_rule();
  for (const RuleInfo& info : all_rules()) {
    EXPECT_TRUE(cases.count(std::string(info.id)) > 0)
        << "rule " << info.id << " (" << info.summary
        << ") has no case: add a fixture tests/unit/contracts/broken/<case>/ whose second line is \"# rule: " << info.id
        << "\", or a generated case in rule_cases.cpp";
  }
}

TEST(RuleRegistry, EveryCaseNamesARegisteredRule) {
  for (const auto& [rule, names] : cases_by_rule()) {
    EXPECT_TRUE(find_rule(rule).has_value())
        << ::testing::PrintToString(names) << " name rule \"" << rule << "\", which is not registered";
  }
  for (const std::string& name : testing::broken_case_names()) {
    EXPECT_EQ(testing::read_broken_case(name).problem, "") << name;
  }
}

class Generated : public ::testing::TestWithParam<testing::GeneratedCase> {};

TEST_P(Generated, GivesExactlyTheExpectedFindingOfItsRule) {
  const testing::GeneratedCase& c = GetParam();
  const auto [result, expected] = c.run();
  std::string got;
  for (const auto& finding : result.findings) got += finding.to_string() + " [" + finding.rule + "]\n";
  ASSERT_EQ(result.findings.size(), 1U) << got;
  EXPECT_EQ(result.findings[0].to_string(), expected);
  EXPECT_EQ(result.findings[0].rule, rule_id(c.rule));
}

INSTANTIATE_TEST_SUITE_P(Cases, Generated, ::testing::ValuesIn(testing::generated_cases()),
                         [](const ::testing::TestParamInfo<testing::GeneratedCase>& param_info) {
                           std::string out;
                           for (const char ch : param_info.param.name)
                             out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return out;
                         });

}  // namespace
}  // namespace costcover::contracts
