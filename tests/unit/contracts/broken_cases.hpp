// The fixtures under broken/ (broken_test.cpp): each a folder with one contracts file
// whose first two lines announce its finding and name the rule that makes it.
#pragma once

#include <string>
#include <vector>

#include "contracts/loader.hpp"

namespace costcover::contracts::testing {

struct BrokenCase {
  std::string relative;  // "agreements/tst.yaml": the sample file it replaces, or a new one
  SourceFile file;       // named "broken/CASE/RELATIVE"
  std::string expected;  // the finding as printed: "broken/CASE/RELATIVE:LINE:COLUMN: MESSAGE"
  std::string rule;      // the id on the "# rule: " line
  std::string problem;   // what is wrong with the case itself, if anything
};

// The case folders, by name.
[[nodiscard]] std::vector<std::string> broken_case_names();
[[nodiscard]] BrokenCase read_broken_case(const std::string& name);

}  // namespace costcover::contracts::testing
