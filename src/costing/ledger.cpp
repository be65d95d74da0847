#include "costing/ledger.hpp"

#include <fmt/format.h>

#include <sstream>
#include <stdexcept>

#include "core/csv.hpp"
#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace costcover::costing {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

LedgerRowCheck rejected(std::string field, std::string code, std::string reason) {
  LedgerRowCheck check;
  check.reject.field = std::move(field);
  check.reject.reason_code = std::move(code);
  check.reject.reason = std::move(reason);
  return check;
}

std::string join(const std::set<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + value;
  return out;
}

// YYYY-MM with the month 01..12.
bool is_month(const std::string& p) {
  const bool shape = p.size() == 7 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
                     p[4] == '-' && is_digit(p[5]) && is_digit(p[6]);
  const int month = shape ? (p[5] - '0') * 10 + (p[6] - '0') : 0;
  return month >= 1 && month <= 12;
}

// The amount's verdict: the row with its amount, or the amount's reject.
LedgerRowCheck check_amount(LedgerRow row, const std::string& amount) {
  try {
    row.amount = Money::parse(amount);
  } catch (const std::invalid_argument&) {
    if (Decimal::fraction_digits(amount) > 2) {
      return rejected("amount", "too_many_decimals",
                      fmt::format("amount {} has more than 2 decimals", quote_for_message(amount)));
    }
    return rejected("amount", "bad_amount",
                    fmt::format("amount {} is not a number of euros like -1234.50", quote_for_message(amount)));
  } catch (const std::overflow_error&) {
    return rejected("amount", "bad_amount", fmt::format("amount {} is out of range", quote_for_message(amount)));
  }
  LedgerRowCheck check;
  check.row = std::move(row);
  return check;
}

}  // namespace

LedgerRowCheck check_ledger_row(const std::vector<std::string>& fields, std::string_view raw, int year,
                                const std::set<std::string>& cost_centres) {
  if (!is_text(raw)) return rejected("-", "invalid_utf8", "the row is not valid UTF-8");
  if (fields.size() != 4) {
    return rejected("-", "column_count",
                    fmt::format("expected 4 fields (period,cost_centre,account,amount), got {}", fields.size()));
  }
  const std::string& period = fields[0];
  if (!is_month(period)) {
    return rejected("period", "bad_period", fmt::format("period {} is not a month YYYY-MM", quote_for_message(period)));
  }
  if (std::stoi(period.substr(0, 4)) != year) {
    return rejected("period", "period_outside_year", fmt::format("period {} is outside the year {}", period, year));
  }
  const std::string& centre = fields[1];
  if (cost_centres.count(centre) == 0) {
    return rejected("cost_centre", "unknown_cost_centre",
                    fmt::format("cost centre {} is not in the cost model {} (known: {})", quote_for_message(centre),
                                year, join(cost_centres)));
  }
  if (fields[2].empty()) return rejected("account", "empty_account", "account is empty");
  return check_amount(LedgerRow{period, centre, fields[2], Money()}, fields[3]);
}

std::string_view to_string(CostBasis basis) { return basis == CostBasis::budget ? "budget" : "ledger"; }

std::set<std::string> cost_centre_ids(const model::CostModel& model) {
  std::set<std::string> ids;
  for (const auto& centre : model.centres) ids.insert(centre.id);
  return ids;
}

void check_ledger_header(const std::string& file, std::string_view bytes) {
  std::istringstream text{std::string(bytes)};
  CsvReader reader(text);  // skips a byte order mark
  CsvRecord record;
  if (!reader.next(record)) {
    throw InputError(file + ":1: the file is empty; expected the header " + std::string(kLedgerHeader));
  }
  if (record.raw != kLedgerHeader) {
    throw InputError(fmt::format("{}:{}: header {} is not the cost ledger header \"{}\"", file, record.line,
                                 quote_for_message(record.raw), kLedgerHeader));
  }
}

CheckedLedger check_ledger_rows(std::string_view bytes, int year, const std::set<std::string>& cost_centres) {
  std::istringstream text{std::string(bytes)};
  CsvReader reader(text);
  CsvRecord record;
  (void)reader.next(record);  // the header (check_ledger_header)
  CheckedLedger checked;
  while (reader.next(record)) {
    ++checked.rows_read;
    LedgerRowCheck check = record.ok() ? check_ledger_row(record.fields, record.raw, year, cost_centres)
                                       : rejected("-", "malformed_csv", record.error);
    if (check.row) {
      checked.total += check.row->amount;
      checked.rows.emplace_back(record.line, std::move(*check.row));
    } else {
      check.reject.line = record.line;
      check.reject.raw = escape_invalid_utf8(record.raw);
      checked.rejects.push_back(std::move(check.reject));
    }
  }
  return checked;
}

}  // namespace costcover::costing
