// Streaming RFC 4180 reading and writing. The reader keeps only the current record (and
// the read-ahead) in memory, so a file of any size streams through it; a malformed record
// is returned with an error and reading goes on with the next one.
//
// Choices beyond RFC 4180:
// - Records end at LF or CRLF; a lone CR is ordinary data.
// - Blank lines (nothing, or only CR, before the line break) are skipped, but still
//   counted for line numbers.
// - The last record may lack a final line break.
// - A UTF-8 byte order mark at the very start of the input is skipped.
// - A quote inside an unquoted field (ab"c) and a character after a closing quote
//   ("ab"c) make the record malformed; the text is kept literally in the field.
// - A quoted field that is still open at the end of the input, or that runs past
//   max_record_bytes, is malformed: the record is then only its first physical line, its
//   fields are empty, and reading goes on at the next line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace costcover {

struct CsvRecord {
  // The unquoted field values. When error is set they are a best effort and must not be
  // used as data.
  std::vector<std::string> fields;
  // The physical 1-based line on which the record starts.
  std::int64_t line = 0;
  // The record exactly as in the input, without its line break (CRLF or LF); it spans
  // several lines when a quoted field holds line breaks.
  std::string raw;
  // Why the record is malformed ("stray quote in unquoted field 2"); empty if well formed.
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

class CsvReader {
 public:
  static constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{1} << 20;

  explicit CsvReader(std::istream& in, std::size_t max_record_bytes = kDefaultMaxRecordBytes);
  // Reads the next record into `record` (reusing its storage); false at the end of input.
  [[nodiscard]] bool next(CsvRecord& record);

 private:
  enum class ScanStatus { complete, need_more, unterminated };
  struct ScanResult {
    ScanStatus status = ScanStatus::need_more;
    std::size_t consumed = 0;  // bytes, including the line break
    std::int64_t newlines = 0;
  };

  bool fill();
  [[nodiscard]] ScanResult scan(CsvRecord& record) const;
  void take_first_line(CsvRecord& record);

  std::istream& in_;
  std::size_t max_record_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // start of unread data in buffer_
  std::size_t end_ = 0;    // end of valid data in buffer_
  bool eof_ = false;
  bool started_ = false;
  std::int64_t line_ = 1;
};

// One field for a CSV file: quoted (with quotes doubled) when it holds a comma, a quote,
// CR or LF; as is otherwise. For numbers, and for files read by programs only.
[[nodiscard]] std::string csv_field(std::string_view value);
// One TEXT field of a CSV meant for people (reject files, invoices.csv, the costing
// reports), which they open in a spreadsheet: a value that starts with '=', '+', '-', '@',
// a tab or a carriage return gets a single quote before it, so that the spreadsheet shows
// it as text instead of evaluating it as a formula (OWASP, "CSV injection"); then it is
// quoted as csv_field does. Numbers go through csv_field: -47.00 must stay a number.
[[nodiscard]] std::string csv_text_field(std::string_view value);
// Fields joined by commas, each through csv_field, WITHOUT a line break: write "\n" after.
[[nodiscard]] std::string csv_line(const std::vector<std::string>& fields);

// How a CSV meant for people is written (`--csv-dialect`, docs/invoicing.md):
// - standard: ',' between fields, '.' in decimals, LF line ends, no byte-order mark
//   (RFC 4180 as the other programs read it; the default);
// - excel_fi: what a spreadsheet set to Finnish reads without an import dialog: ';'
//   between fields, ',' in decimals, CRLF line ends, a UTF-8 byte-order mark first.
// Both quote a field that holds the separator, a quote, CR or LF, and both keep the
// formula guard of csv_text_field for text.
enum class CsvDialect { standard, excel_fi };

// "standard" / "excel-fi"; nullopt for any other text.
[[nodiscard]] std::optional<CsvDialect> parse_csv_dialect(std::string_view text);
[[nodiscard]] std::string_view to_string(CsvDialect dialect);

// Writes one CSV file in a dialect, field by field. Text fields take the formula guard;
// number fields (integers, or decimals written with '.' as the database gives them) get
// the dialect's decimal mark and no guard (-47.00 must stay a number).
class CsvWriter {
 public:
  explicit CsvWriter(CsvDialect dialect);
  CsvWriter& text(std::string_view value);
  CsvWriter& number(std::string_view value);
  // Ends the current record with the dialect's line end.
  void end_record();
  // The whole file so far (with the byte-order mark of excel_fi).
  [[nodiscard]] const std::string& bytes() const { return out_; }

 private:
  void separate();
  void quoted(std::string_view value);

  CsvDialect dialect_;
  char separator_;
  bool first_in_record_ = true;
  std::string out_;
};

}  // namespace costcover
