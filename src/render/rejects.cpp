#include "render/rejects.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "core/csv.hpp"
#include "core/utf8.hpp"

namespace costcover::render {
namespace {

constexpr std::size_t kColumns = 9;
constexpr std::size_t kMaxShown = 40;  // characters of a text cell in the table

std::string cell(const std::string& text) { return text.empty() ? "-" : escape_for_message(text, kMaxShown); }

std::string status_cell(const ingest::RejectEntry& reject) {
  std::string text(ingest::status_text(reject.status));
  if (reject.by_load && reject.status != ingest::RejectStatus::waived)
    text += fmt::format(" (load {})", *reject.by_load);
  return text;
}

std::array<std::string, kColumns> row_of(const ingest::RejectEntry& reject) {
  return {std::to_string(reject.load_id), cell(reject.source), std::to_string(reject.line),
          cell(reject.reason_code),       cell(reject.txn_id), cell(reject.agency),
          cell(reject.delivered_day),     status_cell(reject), cell(reject.note)};
}

std::string padded(const std::string& text, std::size_t width, bool right) {
  const std::size_t length = display_width(text);
  const std::string fill(width > length ? width - length : 0, ' ');
  return right ? fill + text : text + fill;
}

}  // namespace

std::string rejects_table(const std::vector<ingest::RejectEntry>& rejects) {
  if (rejects.empty()) return "no rejects\n";
  const std::array<std::string, kColumns> header = {"load",   "source", "line",   "reason", "txn_id",
                                                    "agency", "day",    "status", "note"};
  constexpr std::array<bool, kColumns> kRight = {true, false, true, false, false, false, false, false, false};
  std::vector<std::array<std::string, kColumns>> rows;
  rows.reserve(rejects.size());
  for (const auto& reject : rejects) rows.push_back(row_of(reject));
  std::array<std::size_t, kColumns> width{};
  for (std::size_t c = 0; c < kColumns; ++c) {
    width[c] = display_width(header[c]);
    for (const auto& row : rows) width[c] = std::max(width[c], display_width(row[c]));
  }
  const auto line = [&](const std::array<std::string, kColumns>& row) {
    std::string out;
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (c > 0) out += "  ";
      out += c + 1 == kColumns ? row[c] : padded(row[c], width[c], kRight[c]);
    }
    return out + '\n';
  };
  std::string out = line(header);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += line(rows[r]);
    if (!rejects[r].resolved_at.empty()) {
      out += fmt::format("      decided by {} at {}\n", escape_for_message(rejects[r].resolved_by),
                         rejects[r].resolved_at);
    }
  }
  std::size_t open = 0;
  for (const auto& reject : rejects) open += ingest::is_resolved(reject.status) ? 0 : 1;
  out += fmt::format("{} reject(s), {} open\n", rejects.size(), open);
  return out;
}

std::string rejects_csv(const std::vector<ingest::RejectEntry>& rejects) {
  std::string out = std::string(kRejectsCsvHeader) + '\n';
  for (const auto& reject : rejects) {
    out += csv_field(std::to_string(reject.load_id)) + ',' + csv_text_field(reject.source) + ',' +
           csv_field(std::to_string(reject.line)) + ',' + csv_text_field(reject.reason_code) + ',' +
           csv_text_field(reject.reason) + ',' + csv_text_field(reject.txn_id) + ',' + csv_text_field(reject.agency) +
           ',' + csv_text_field(reject.delivered_day) + ',' + csv_text_field(ingest::status_text(reject.status)) + ',' +
           (reject.by_load ? csv_field(std::to_string(*reject.by_load)) : std::string()) + ',' +
           csv_text_field(reject.note) + ',' + csv_text_field(reject.resolved_by) + ',' +
           csv_text_field(reject.resolved_at) + '\n';
  }
  return out;
}

}  // namespace costcover::render
