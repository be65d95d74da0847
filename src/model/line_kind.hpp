// The kinds of invoice line, once for the whole program: rating makes the first six,
// invoicing the corrections, costing the settlements; the database, the CSV and the
// e-invoices carry their text. sql/030_invoicing.sql's CHECK lists the same texts (a test
// compares them).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace costcover::model {

// In the formats' order within a service: usage, over_limit, true_up, sla_credit; then
// fees, charges, corrections and settlements.
enum class LineKind { usage, over_limit, true_up, sla_credit, fee, charge, correction, settlement };

inline constexpr std::array<LineKind, 8> kLineKinds{LineKind::usage,      LineKind::over_limit, LineKind::true_up,
                                                    LineKind::sla_credit, LineKind::fee,        LineKind::charge,
                                                    LineKind::correction, LineKind::settlement};

[[nodiscard]] std::string to_string(LineKind kind);                            // "usage", "over_limit", ...
[[nodiscard]] std::optional<LineKind> parse_line_kind(std::string_view text);  // the inverse; nothing otherwise
// The place of the kind among the lines of one service (the order above).
[[nodiscard]] int rank(LineKind kind);
// Priced kinds are quantity x unit price (usage, over_limit, true_up); the others carry an
// amount (quantity 1, unit price = amount).
[[nodiscard]] bool is_priced(LineKind kind);

}  // namespace costcover::model
