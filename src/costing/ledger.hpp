// The cost ledger file of one year (docs/formats.md: period,cost_centre,account,amount), checked
// row by row against the year and the cost centres of the year's cost model (pure: bytes
// in, accepted rows and rejects out). A bad row never stops the good ones: it becomes a
// reject with its line, the field at fault and the reason. The first failing field, in
// column order, decides a row's reason (docs/costing-jobs.md lists them).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/money.hpp"
#include "model/model.hpp"

namespace costcover::costing {

inline constexpr std::string_view kLedgerHeader = "period,cost_centre,account,amount";

// Which costs of a year a file holds and a proposal allocates: the actual ledger (the
// books, what the matching calculation and the settlement use) or the budget (the costs
// planned for the year, what its prices are proposed from before it starts). Both have
// the ledger's format and checks; they are stored apart.
enum class CostBasis { ledger, budget };

// "ledger" | "budget"
[[nodiscard]] std::string_view to_string(CostBasis basis);

struct LedgerRow {
  std::string period;  // YYYY-MM, a month of the ledger's year
  std::string cost_centre;
  std::string account;
  Money amount;
};

struct LedgerReject {
  std::int64_t line = 0;
  std::string field;        // period | cost_centre | account | amount | "-" (the whole row)
  std::string reason_code;  // malformed_csv, invalid_utf8, column_count, bad_period, period_outside_year,
                            // unknown_cost_centre, empty_account, bad_amount, too_many_decimals
  std::string reason;       // for people, quoting the value
  std::string raw;          // the row as read, invalid UTF-8 as \xNN
};

// One row's verdict: the row, or (row empty) the reject's field, code and reason; the
// reject's line and raw are the caller's.
struct LedgerRowCheck {
  std::optional<LedgerRow> row;
  LedgerReject reject;
};

// Checks one parsed record (`raw` as read, for the UTF-8 check) against `year` and the
// known cost centres.
[[nodiscard]] LedgerRowCheck check_ledger_row(const std::vector<std::string>& fields, std::string_view raw, int year,
                                              const std::set<std::string>& cost_centres);

// The ids of the model's cost centres.
[[nodiscard]] std::set<std::string> cost_centre_ids(const model::CostModel& model);

// Throws InputError ("FILE:LINE: ...") unless the file's first record is the header (a
// UTF-8 byte order mark before it is allowed): then nothing of the file is read.
void check_ledger_header(const std::string& file, std::string_view bytes);

struct CheckedLedger {
  std::vector<std::pair<std::int64_t, LedgerRow>> rows;  // accepted, with their lines, in file order
  std::vector<LedgerReject> rejects;                     // in line order
  std::int64_t rows_read = 0;                            // = rows + rejects
  Money total;                                           // of the accepted rows
};

// Every record after the header, each accepted or rejected (a record that is not RFC 4180
// is `malformed_csv`, field "-").
[[nodiscard]] CheckedLedger check_ledger_rows(std::string_view bytes, int year,
                                              const std::set<std::string>& cost_centres);

}  // namespace costcover::costing
