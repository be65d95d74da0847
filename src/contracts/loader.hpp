// Reading contracts/ into a ContractSet with strict validation. Every problem of the whole
// file set is collected (never only the first) as a Finding "file:line:column: message"
// that names the field path and quotes the offending value.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "model/model.hpp"

namespace costcover::contracts {

// The largest contracts file, in bytes: two hundred times the largest sample, and small
// enough that reading and storing one never matters (contracts/README.md, "Bounds").
inline constexpr std::size_t kMaxFileBytes = std::size_t{1} << 20;

// The kinds of file under contracts/.
enum class FileKind { catalog, agencies, price_list, agreement, cost_model };

// One file's bytes, named as findings should name it ("contracts/agreements/ktl.yaml");
// the name is printed as it is.
struct SourceFile {
  FileKind kind = FileKind::agreement;
  std::string path;
  std::string text;
};

struct LoadResult {
  model::ContractSet contracts;   // complete only when findings is empty
  std::vector<Finding> findings;  // sorted by file, line, column
  int files_read = 0;
  std::vector<SourceFile> sources;  // the files read, with their bytes (for storing them)
  [[nodiscard]] bool ok() const { return findings.empty(); }
};

// Reads DIR/catalog.yaml, DIR/agencies.yaml, DIR/prices/*.yaml, DIR/agreements/*.yaml and
// DIR/costs/*.yaml, validates each file and the references between them. A symbolic link
// inside DIR is a finding, never followed; a file above kMaxFileBytes is reported unread.
// File names are escaped (escape_for_message) in findings and in SourceFile::path.
[[nodiscard]] LoadResult load_directory(const std::string& dir);

// The same validation as load_directory over files already in memory (load_directory
// reads the folder and calls this). Expects exactly one catalog and one agencies file.
[[nodiscard]] LoadResult load_sources(const std::vector<SourceFile>& files);

// Parses one agreement file's text (as stored in the database) against a catalog, agencies
// and price lists already loaded; file names the source in findings. Price coverage is
// checked for the days this version is in force given the other versions of the same id in
// context.agreements (a version with the same number there is ignored, not a repeat).
[[nodiscard]] LoadResult load_agreement_text(const std::string& file, const std::string& text,
                                             const model::ContractSet& context);

}  // namespace costcover::contracts
