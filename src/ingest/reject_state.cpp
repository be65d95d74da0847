#include "ingest/reject_state.hpp"

namespace costcover::ingest {

std::string_view status_text(RejectStatus status) {
  switch (status) {
    case RejectStatus::open:
      return "open";
    case RejectStatus::sent_again:
      return "sent-again";
    case RejectStatus::redelivered:
      return "redelivered";
    case RejectStatus::waived:
      return "waived";
  }
  return "open";
}

bool is_resolved(RejectStatus status) { return status != RejectStatus::open; }

std::string_view resolution_text(Resolution resolution) {
  return resolution == Resolution::redelivered ? "redelivered" : "waived";
}

std::optional<Resolution> parse_resolution(std::string_view text) {
  if (text == "redelivered") return Resolution::redelivered;
  if (text == "waived") return Resolution::waived;
  return std::nullopt;
}

}  // namespace costcover::ingest
