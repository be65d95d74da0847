// `costcover costs import`: the cost ledger CSV of one year into cost_ledger. The rows are
// checked by the costing engine (costing/ledger.hpp, pure); a bad row is rejected with its
// line, field and reason into cost_ledger_reject and the good rows load. The year's rows
// are replaced whole, in ONE transaction, so a corrected file replaces that year only and
// a killed import leaves the database as it was. The same file again (same SHA-256 as the
// year's current load) changes nothing. With `--budget` the file is the year's budget
// (CostBasis::budget): the same checks, history and output, into the cost_budget tables
// (sql/067_cost_budget.sql) instead, so the actual ledger is never touched.
// docs/costing-jobs.md has the rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "costing/ledger.hpp"

namespace costcover::jobs {

struct ImportOptions {
  int year = 0;
  std::string file;
  costing::CostBasis basis = costing::CostBasis::ledger;  // budget: the year's budget
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
  std::string reject_table;                    // where the rejects are kept: cost_ledger_reject | cost_budget_reject
  std::vector<costing::LedgerReject> rejects;  // line order (empty when unchanged)
};

// Throws InputError when the file cannot be loaded at all (missing, wrong header, no cost
// model for the year stored, every row rejected); the database is then left as it was.
// The job run's inputs name the basis ("basis":"ledger" | "budget").
[[nodiscard]] ImportReport import_ledger(soci::session& session, const ImportOptions& options);

}  // namespace costcover::jobs
