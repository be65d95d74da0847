// A streaming RFC 4180 record scanner for the transaction CSV, built for the loader's hot
// path: it reads the file in large blocks, finds record ends by quote parity, splits
// fields without copying (unquoted fields are views into the block) and reports each
// record's first line number, byte offset and raw text, which the reject table and the
// reject file need. Memory is bounded by the block size, never by the file size.
// Blank lines are skipped. A record longer than kMaxRecordBytes (in practice an
// unterminated quote) is cut at its first line end and reported as malformed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace costcover::ingest {

struct CsvRecord {
  std::int64_t line = 0;                // physical line where the record starts (1-based)
  std::int64_t offset = 0;              // byte offset of the record's first byte
  std::string_view raw;                 // the record without its line terminator
  std::vector<std::string_view> fields; // valid until the next call of next()
  std::string error;                    // non-empty: malformed; fields are unusable
};

class CsvScanner {
public:
  static constexpr std::size_t kBlockBytes = 4U << 20U;
  static constexpr std::size_t kMaxRecordBytes = 1U << 20U;

  explicit CsvScanner(std::FILE* file);  // not owned; reads from the current position
  // The next non-blank record; false at the end of the file. Throws std::runtime_error
  // on a read error.
  bool next(CsvRecord& record);
  [[nodiscard]] std::int64_t bytes_consumed() const { return consumed_; }

private:
  bool fill();  // reads more; false at EOF
  void split(CsvRecord& record);

  std::FILE* file_;
  std::vector<char> block_;
  std::size_t begin_ = 0;  // first unconsumed byte in block_
  std::size_t end_ = 0;    // end of valid bytes in block_
  std::int64_t block_offset_ = 0;  // file offset of block_[0]
  std::int64_t consumed_ = 0;
  std::int64_t line_ = 1;
  bool eof_ = false;
  std::string scratch_;  // unescaped quoted fields
};

// Splits one line (no line terminator) as the scanner would; for tests and headers.
[[nodiscard]] std::vector<std::string> split_csv_line(std::string_view line, std::string* error);

}  // namespace costcover::ingest
