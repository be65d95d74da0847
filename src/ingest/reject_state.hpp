// A rejected row as `costcover rejects list` shows it, and what was decided about it
// (docs/ingest.md, "Rejects and their decisions"). Pure values: store/rejects reads them,
// render/rejects prints them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace costcover::ingest {

// Where a reject stands. Open rejects hold their month's billing back.
enum class RejectStatus {
  open,         // nobody resolved it
  sent_again,   // a later load accepted the same (source, txn_id): resolved without a decision
  redelivered,  // decided: the corrected row came in a later load
  waived,       // decided: nothing will come, the month is billed without it
};
// "open", "sent-again", "redelivered", "waived".
[[nodiscard]] std::string_view status_text(RejectStatus status);
[[nodiscard]] bool is_resolved(RejectStatus status);

// A recorded decision's kinds (reject_resolution.resolution).
enum class Resolution { redelivered, waived };
[[nodiscard]] std::string_view resolution_text(Resolution resolution);
// "redelivered" / "waived", else nothing.
[[nodiscard]] std::optional<Resolution> parse_resolution(std::string_view text);

struct RejectEntry {
  std::int64_t load_id = 0;
  std::string source;
  std::int64_t line = 0;
  std::string reason_code;
  std::string reason;
  std::string txn_id;         // empty when the row did not give it
  std::string agency;         // as written; empty when unreadable
  std::string delivered_day;  // YYYY-MM-DD, empty when unreadable
  RejectStatus status = RejectStatus::open;
  std::optional<std::int64_t> by_load;  // sent_again/redelivered: the later load holding the key
  std::string note;                     // a decision's note
  std::string resolved_by;              // "os user / database role"
  std::string resolved_at;              // ISO 8601 UTC, a decision's time
};

}  // namespace costcover::ingest
