#include "model/line_kind.hpp"

namespace costcover::model {

std::string to_string(LineKind kind) {
  switch (kind) {
    case LineKind::usage:
      return "usage";
    case LineKind::over_limit:
      return "over_limit";
    case LineKind::true_up:
      return "true_up";
    case LineKind::sla_credit:
      return "sla_credit";
    case LineKind::fee:
      return "fee";
    case LineKind::charge:
      return "charge";
    case LineKind::correction:
      return "correction";
    case LineKind::settlement:
      return "settlement";
  }
  return "usage";
}

std::optional<LineKind> parse_line_kind(std::string_view text) {
  for (const LineKind kind : kLineKinds) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

int rank(LineKind kind) { return static_cast<int>(kind); }

bool is_priced(LineKind kind) {
  return kind == LineKind::usage || kind == LineKind::over_limit || kind == LineKind::true_up;
}

}  // namespace costcover::model
