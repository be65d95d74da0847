// The reject file (FILE.csv.rejects.csv, docs/ingest.md "Rejects"): the load's rejected rows
// in line order, for people, who open it in a spreadsheet. Its text fields go through
// csv_text_field (a formula-like start is neutralised, then RFC 4180 quoting).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace costcover::ingest {

inline constexpr std::string_view kRejectFileHeader = "line,reason_code,reason,raw\n";

// Appends one line of the reject file: line,reason_code,reason,raw and a line feed.
void append_reject_line(std::string& out, std::int64_t line, std::string_view reason_code, std::string_view reason,
                        std::string_view raw);

}  // namespace costcover::ingest
