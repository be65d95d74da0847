#include "broken_cases.hpp"

#include <algorithm>
#include <filesystem>

#include "contract_files.hpp"

namespace costcover::contracts::testing {

namespace fs = std::filesystem;

std::vector<std::string> broken_case_names() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(tests_dir() + "/broken")) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

BrokenCase read_broken_case(const std::string& name) {
  BrokenCase out;
  const auto overlay = read_tree(tests_dir() + "/broken/" + name, "broken/" + name);
  if (overlay.size() != 1) {
    out.problem = "broken/" + name + " holds " + std::to_string(overlay.size()) + " contracts files, not one";
    return out;
  }
  out.relative = overlay.begin()->first;
  out.file = overlay.begin()->second;
  const std::string& text = out.file.text;
  const std::string expect = "# expect: ";
  const std::string rule = "# rule: ";
  const auto first_end = text.find('\n');
  const auto second_end = first_end == std::string::npos ? first_end : text.find('\n', first_end + 1);
  if (text.rfind(expect, 0) != 0 || second_end == std::string::npos ||
      text.compare(first_end + 1, rule.size(), rule) != 0) {
    out.problem =
        out.file.path + " must start with the lines \"" + expect + "LINE:COLUMN: MESSAGE\" and \"" + rule + "RULE_ID\"";
    return out;
  }
  out.expected = out.file.path + ":" + text.substr(expect.size(), first_end - expect.size());
  out.rule = text.substr(first_end + 1 + rule.size(), second_end - first_end - 1 - rule.size());
  return out;
}

}  // namespace costcover::contracts::testing
