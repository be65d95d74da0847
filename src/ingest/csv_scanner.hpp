// A streaming RFC 4180 record scanner for the transaction CSV, built for the loader's hot
// path: it reads the file in large blocks, finds record ends by quote parity, splits
// fields without copying (unquoted fields are views into the block) and reports each
// record's first line number, byte offset and raw text, which the reject table and the
// reject file need. Memory is bounded by the block size, never by the file size.
// Blank lines are skipped.
//
// Recovery from broken quoting, so that one bad line never takes good rows with it (each
// rule rejects ONE physical line and goes on at the next, so line numbers stay right):
// - A record that spans lines (a quoted field holding a line break) is broken when one of
//   its continuation lines, read alone, is a whole record: it splits cleanly into the
//   file's number of columns and does not start with a quote (a continuation starting
//   with one may be the close of a legitimate multi-line field). The record is then its
//   first line alone, reported as malformed, and the scan goes on at the next line. So is
//   a record whose quoted field is still open at the end of the file.
// - A record whose line end is not within kMaxRecordBytes: if its first physical line
//   is shorter, a quoted field opened there and did not close within the limit; the
//   record is that first line. Otherwise the physical line itself is too long: it is one
//   malformed record whose raw text is cut to its first kMaxRecordBytes (at a UTF-8
//   character boundary), and the scan skips to the line's real end, however far.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace costcover::ingest {

struct CsvRecord {
  std::int64_t line = 0;                 // physical line where the record starts (1-based)
  std::int64_t offset = 0;               // byte offset of the record's first byte
  std::string_view raw;                  // the record without its line terminator
  std::vector<std::string_view> fields;  // valid until the next call of next()
  // Non-empty: malformed. `fields` then holds only the whole fields before the broken one
  // (for a reject's txn_id and agency), or nothing.
  std::string error;
};

class CsvScanner {
 public:
  static constexpr std::size_t kBlockBytes = 4U << 20U;
  static constexpr std::size_t kMaxRecordBytes = 1U << 20U;

  // `file` is not owned; reading starts at its current position. `columns`: the number of
  // fields of a whole record (the header's), for the recovery above; 0 turns it off.
  CsvScanner(std::FILE* file, std::size_t columns);
  // The next non-blank record; false at the end of the file. Throws std::runtime_error
  // on a read error.
  bool next(CsvRecord& record);
  [[nodiscard]] std::int64_t bytes_consumed() const { return consumed_; }

 private:
  bool fill();  // reads more; false at EOF
  void split(CsvRecord& record);
  [[nodiscard]] bool is_whole_record(std::string_view line);
  [[nodiscard]] std::size_t broken_record_line_end(std::size_t stop, bool open);
  void take_line(CsvRecord& record, std::size_t line_end);
  void take_overlong(CsvRecord& record);

  std::FILE* file_;
  std::size_t columns_;
  std::vector<char> block_;
  std::size_t begin_ = 0;          // first unconsumed byte in block_
  std::size_t end_ = 0;            // end of valid bytes in block_
  std::int64_t block_offset_ = 0;  // file offset of block_[0]
  std::int64_t consumed_ = 0;
  std::int64_t line_ = 1;
  bool eof_ = false;
  std::string scratch_;                         // unescaped quoted fields
  std::string overlong_;                        // the kept start of an over-long line (its raw)
  std::vector<std::string_view> check_fields_;  // for is_whole_record
  std::string check_scratch_;
};

// Splits one line (no line terminator) as the scanner would; for tests and headers. On an
// error, returns the whole fields before the broken one.
[[nodiscard]] std::vector<std::string> split_csv_line(std::string_view line, std::string* error);

}  // namespace costcover::ingest
