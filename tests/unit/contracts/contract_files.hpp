// Test helpers: read the sample contracts (or a directory laid out the same way) into
// SourceFiles, so that a case can replace one file and load the set from memory.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "contracts/loader.hpp"

namespace costcover::contracts::testing {

// relative path ("agreements/ktl.yaml") -> source named prefix + "/" + relative path.
// Only files the loader would read; the kind follows from the relative path.
[[nodiscard]] std::map<std::string, SourceFile> read_tree(const std::string& dir, const std::string& prefix);
[[nodiscard]] std::vector<SourceFile> values(const std::map<std::string, SourceFile>& files);
[[nodiscard]] std::string read_text_file(const std::string& path);
[[nodiscard]] std::string samples_dir();
[[nodiscard]] std::string tests_dir();

// The sample contracts as loaded (they load cleanly).
[[nodiscard]] const model::ContractSet& samples();
// The text of a sample file ("agreements/stv.yaml").
[[nodiscard]] std::string sample(const std::string& relative);
// text with the first `from` replaced by `to` (std::logic_error when there is none).
[[nodiscard]] std::string replaced(std::string text, const std::string& from, const std::string& to);
// The sample set with one file's text replaced, loaded from memory.
[[nodiscard]] LoadResult load_with(const std::string& relative, const std::string& text);
// Every finding as printed, one a line, for failure messages.
[[nodiscard]] std::string all_findings(const LoadResult& result);

// A copy of the sample contracts folder under the build tree, removed afterwards.
class SampleFolder {
 public:
  SampleFolder();
  ~SampleFolder();
  SampleFolder(const SampleFolder&) = delete;
  SampleFolder& operator=(const SampleFolder&) = delete;
  [[nodiscard]] std::filesystem::path dir() const { return root_ / "contracts"; }
  [[nodiscard]] std::filesystem::path outside() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace costcover::contracts::testing
