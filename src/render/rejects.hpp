// `costcover rejects list` (pure): the rejected rows and their decisions as an aligned
// terminal table or as CSV. Text from the rejected rows is shown escaped in the table
// (nothing in it can break a line) and goes through csv_text_field in the CSV.
// docs/ingest.md, "Rejects and their decisions"; the CSV's columns: docs/formats.md.
#pragma once

#include <string>
#include <vector>

#include "ingest/reject_state.hpp"

namespace costcover::render {

// The CSV's header row, in column order.
inline constexpr const char* kRejectsCsvHeader =
    "load_id,source,line,reason_code,reason,txn_id,agency,delivered_day,status,by_load,note,resolved_by,resolved_at";

// One row per reject: load, source, line, reason, txn_id, agency, day, status (with the
// later load that holds its key), note; a recorded decision adds an indented line saying
// who made it and when. "no rejects" when there are none.
[[nodiscard]] std::string rejects_table(const std::vector<ingest::RejectEntry>& rejects);

// The header row and one row per reject (LF line ends).
[[nodiscard]] std::string rejects_csv(const std::vector<ingest::RejectEntry>& rejects);

}  // namespace costcover::render
