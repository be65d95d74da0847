#include "contract_files.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace costcover::contracts::testing {

namespace fs = std::filesystem;

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::map<std::string, SourceFile> read_tree(const std::string& dir, const std::string& prefix) {
  std::map<std::string, SourceFile> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    const std::string relative = fs::relative(entry.path(), dir).generic_string();
    FileKind kind = FileKind::agreement;
    if (relative == "catalog.yaml") {
      kind = FileKind::catalog;
    } else if (relative == "agencies.yaml") {
      kind = FileKind::agencies;
    } else if (relative.rfind("prices/", 0) == 0) {
      kind = FileKind::price_list;
    } else if (relative.rfind("costs/", 0) == 0) {
      kind = FileKind::cost_model;
    } else if (relative.rfind("agreements/", 0) != 0) {
      continue;
    }
    out[relative] = SourceFile{kind, prefix + "/" + relative, read_text_file(entry.path().string())};
  }
  return out;
}

std::vector<SourceFile> values(const std::map<std::string, SourceFile>& files) {
  std::vector<SourceFile> out;
  for (const auto& [relative, file] : files) out.push_back(file);
  return out;
}

std::string samples_dir() { return std::string(COSTCOVER_SOURCE_DIR) + "/contracts"; }
std::string tests_dir() { return std::string(COSTCOVER_SOURCE_DIR) + "/tests/unit/contracts"; }

const model::ContractSet& samples() {
  static const LoadResult result = load_directory(samples_dir());
  return result.contracts;
}

std::string sample(const std::string& relative) { return read_text_file(samples_dir() + "/" + relative); }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("no " + from);
  return text.replace(at, from.size(), to);
}

LoadResult load_with(const std::string& relative, const std::string& text) {
  auto files = read_tree(samples_dir(), "contracts");
  files.at(relative).text = text;
  return load_sources(values(files));
}

std::string all_findings(const LoadResult& result) {
  std::string out;
  for (const auto& finding : result.findings) out += finding.to_string() + "\n";
  return out;
}

SampleFolder::SampleFolder() {
  std::string name = std::string(COSTCOVER_BINARY_DIR) + "/contracts-files.XXXXXX";
  if (mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = name;
  fs::copy(samples_dir(), root_ / "contracts", fs::copy_options::recursive);
}

SampleFolder::~SampleFolder() {
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

}  // namespace costcover::contracts::testing
