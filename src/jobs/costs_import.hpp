// `costcover costs import`: the cost ledger CSV of one year (formats.md: period,
// cost_centre,account,amount) into cost_ledger. Each row is checked (check_ledger_row, pure);
// a bad row is rejected with its line, field and reason into cost_ledger_reject and the
// good rows load. The year's rows are replaced whole, in ONE transaction, so a corrected
// file replaces that year only and a killed import leaves the database as it was. The same
// file again (same SHA-256 as the year's current load) changes nothing.
// docs/costing-jobs.md has the rules.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "costing/allocation.hpp"

namespace costcover::jobs {

inline constexpr std::string_view kLedgerHeader = "period,cost_centre,account,amount";

struct LedgerRow {
  std::string period;  // YYYY-MM
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
  std::string raw;
};

// Checks one parsed record against the year and the cost centres of the year's cost model.
// Returns the row, or fills `reject` (field, code, reason; not line/raw) and returns nothing.
// The first failing field (in column order) decides.
[[nodiscard]] std::optional<LedgerRow> check_ledger_row(const std::vector<std::string>& fields, std::string_view raw,
                                                        int year, const std::set<std::string>& cost_centres,
                                                        LedgerReject& reject);

struct ImportOptions {
  int year = 0;
  std::string file;
  std::string parameters_json = "{}";
};

struct ImportReport {
  std::int64_t load_id = 0;           // the new load, or the current one when unchanged
  bool unchanged = false;             // same file as the year's current load: nothing written
  std::int64_t replaced_load_id = 0;  // the year's previous current load (0: none)
  std::int64_t rows_read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  Money total;  // of the accepted rows
  std::string file_hash;
  std::vector<LedgerReject> rejects;  // line order (empty when unchanged)
};

// Throws InputError when the file cannot be loaded at all (missing, wrong header, no cost
// model for the year stored, every row rejected); the database is then left as it was.
[[nodiscard]] ImportReport import_ledger(soci::session& session, const ImportOptions& options);

// The year's current ledger, as the costing engine takes it.
struct StoredLedger {
  std::int64_t load_id = 0;
  std::string file_name;
  std::string file_hash;
  std::int64_t rows = 0;
  Money total;
  std::vector<costing::LedgerTotal> totals;  // summed per cost centre and account, sorted
};
// InputError when no ledger of the year has been imported.
[[nodiscard]] StoredLedger load_stored_ledger(soci::session& session, int year);

}  // namespace costcover::jobs
