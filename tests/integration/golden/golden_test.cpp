// Golden cases (tests/golden/<case>/, see tests/golden/README.md): each case runs its
// `steps` through the program against a fresh database and every file under the case's
// expected/ folder must equal, byte for byte, the file of the same name the steps wrote
// under {out}. COSTCOVER_GOLDEN_UPDATE=1 writes the actual files into expected/ instead
// (review them by hand before committing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::read_file;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;

namespace {

fs::path golden_dir() { return fs::path(costcover::testing::source_dir()) / "tests" / "golden"; }

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(golden_dir())) {
    if (entry.is_directory() && fs::exists(entry.path() / "steps")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The case's contracts folder: the shared sample catalog, agencies and price lists, and
// the case's own agreements/ (and catalog.yaml or prices/ if the case has its own).
fs::path assemble_contracts(const fs::path& case_dir, const fs::path& work) {
  const fs::path samples = fs::path(costcover::testing::source_dir()) / "contracts";
  const fs::path dir = work / "contracts";
  fs::create_directories(dir);
  for (const char* file : {"catalog.yaml", "agencies.yaml"}) {
    fs::copy(fs::exists(case_dir / file) ? case_dir / file : samples / file, dir / file);
  }
  fs::copy(fs::exists(case_dir / "prices") ? case_dir / "prices" : samples / "prices", dir / "prices",
           fs::copy_options::recursive);
  fs::copy(case_dir / "agreements", dir / "agreements", fs::copy_options::recursive);
  return dir;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpectedFiles) {
  const fs::path case_dir = golden_dir() / GetParam();
  costcover::testing::TestDatabase db;
  TempDir work{"ccgold"};
  const fs::path contracts = assemble_contracts(case_dir, work.path());
  const fs::path out = work.path() / "out";
  fs::create_directories(out);
  std::istringstream steps(read_file(case_dir / "steps"));
  std::string line;
  int number = 0;
  while (std::getline(steps, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    // "! args": the step must fail (exit status 1).
    const bool must_fail = line[0] == '!';
    if (must_fail) line = line.substr(line.find_first_not_of("! "));
    line = replace_all(line, "{contracts}", "'" + contracts.string() + "'");
    line = replace_all(line, "{case}", "'" + case_dir.string() + "'");
    line = replace_all(line, "{out}", "'" + out.string() + "'");
    const auto result = run_costcover(db.connection_string(), line);
    if (must_fail) {
      ASSERT_EQ(result.status, 1) << "steps:" << number << ": " << line << " should fail\n" << result.out << result.err;
    } else {
      ASSERT_EQ(result.status, 0) << "steps:" << number << ": " << line << "\n" << result.out << result.err;
    }
  }
  const fs::path expected_dir = case_dir / "expected";
  const bool update = std::getenv("COSTCOVER_GOLDEN_UPDATE") != nullptr;
  if (update) {
    for (const auto& entry : fs::recursive_directory_iterator(out)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".csv") continue;
      const fs::path target = expected_dir / fs::relative(entry.path(), out);
      fs::create_directories(target.parent_path());
      fs::copy_file(entry.path(), target, fs::copy_options::overwrite_existing);
    }
    GTEST_SKIP() << "expected files of " << GetParam() << " updated: review them";
  }
  ASSERT_TRUE(fs::is_directory(expected_dir)) << expected_dir << " is missing";
  int compared = 0;
  for (const auto& entry : fs::recursive_directory_iterator(expected_dir)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = fs::relative(entry.path(), expected_dir);
    ASSERT_TRUE(fs::exists(out / relative)) << "the steps wrote no " << relative;
    EXPECT_EQ(read_file(out / relative), read_file(entry.path())) << GetParam() << ": " << relative << " differs";
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
