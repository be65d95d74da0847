// Every case under broken/ is a folder holding one file laid out as under contracts/
// (catalog.yaml, agencies.yaml, prices/YEAR.yaml, agreements/NAME.yaml or costs/YEAR.yaml).
// It replaces the sample file of the same path (or adds an agreement), and the whole set
// must then produce exactly the one finding that the file's first line announces:
//   # expect: LINE:COLUMN: MESSAGE
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "contract_files.hpp"
#include "contracts/loader.hpp"

namespace costcover::contracts {
namespace {

namespace fs = std::filesystem;

struct BrokenCase {
  std::string name;
};

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(testing::tests_dir() + "/broken")) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Broken : public ::testing::TestWithParam<std::string> {};

TEST_P(Broken, GivesExactlyTheAnnouncedFinding) {
  const std::string name = GetParam();
  auto files = testing::read_tree(testing::samples_dir(), "contracts");
  const auto overlay = testing::read_tree(testing::tests_dir() + "/broken/" + name, "broken/" + name);
  ASSERT_EQ(overlay.size(), 1U) << "a case holds exactly one file";
  const SourceFile& broken = overlay.begin()->second;
  const std::string marker = "# expect: ";
  ASSERT_EQ(broken.text.rfind(marker, 0), 0U) << broken.path << " must start with " << marker;
  const std::string expected =
      broken.path + ":" + broken.text.substr(marker.size(), broken.text.find('\n') - marker.size());
  files[overlay.begin()->first] = broken;

  const LoadResult result = load_sources(testing::values(files));
  std::string got;
  for (const auto& finding : result.findings) got += finding.to_string() + "\n";
  ASSERT_EQ(result.findings.size(), 1U) << got;
  EXPECT_EQ(result.findings[0].to_string(), expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, Broken, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string out;
                           for (const char c : param_info.param)
                             out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return out;
                         });

TEST(BrokenCases, ThereAreCasesForEveryRule) { EXPECT_GE(case_names().size(), 30U); }

// The bounds of contracts/README.md ("Bounds"), one case per kind of field and file, and
// the control characters and lengths of texts; the rules a fixture cannot show (the
// file's size and bytes, links, file names) are in files_test.cpp.
TEST(BrokenCases, EveryBoundHasItsCase) {
  const auto names = case_names();
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
