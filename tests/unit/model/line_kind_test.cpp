// The line kinds: text, parse, rank and is_priced, and the database's CHECK listing the
// same texts.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "model/line_kind.hpp"

namespace costcover::model {
namespace {

TEST(LineKind, TextParseRankAndPriced) {
  const std::vector<std::string> texts = {"usage", "over_limit", "true_up",    "sla_credit",
                                          "fee",   "charge",     "correction", "settlement"};
  ASSERT_EQ(kLineKinds.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(to_string(kLineKinds[i]), texts[i]);
    EXPECT_EQ(parse_line_kind(texts[i]), kLineKinds[i]);
    EXPECT_EQ(rank(kLineKinds[i]), static_cast<int>(i)) << texts[i];
    EXPECT_EQ(is_priced(kLineKinds[i]), i < 3) << texts[i];
  }
  EXPECT_EQ(parse_line_kind("Usage"), std::nullopt);
  EXPECT_EQ(parse_line_kind(""), std::nullopt);
}

TEST(LineKind, TheDatabaseChecksTheSameKinds) {
  std::ifstream in(std::string(COSTCOVER_SOURCE_DIR) + "/sql/030_invoicing.sql");
  std::stringstream text;
  text << in.rdbuf();
  const std::string sql = text.str();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(sql, match, std::regex(R"(kind\s+text NOT NULL CHECK \(kind IN \(([^)]*)\)\))")));
  std::vector<std::string> listed;
  const std::string list = match[1].str();
  const std::regex quoted("'([a-z_]+)'");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), quoted); it != std::sregex_iterator(); ++it) {
    listed.push_back((*it)[1].str());
  }
  std::vector<std::string> kinds;
  for (const LineKind kind : kLineKinds) kinds.push_back(to_string(kind));
  // The same kinds (a CHECK's order means nothing).
  std::sort(listed.begin(), listed.end());
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(listed, kinds);
}

}  // namespace
}  // namespace costcover::model
