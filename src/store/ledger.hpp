// The cost ledger tables of sql/040_costing.sql (cost_ledger_load, cost_ledger,
// cost_ledger_reject) and the budget's of sql/067_cost_budget.sql (cost_budget_load,
// cost_budget, cost_budget_reject, the same columns): every statement on them. Each
// function takes the CostBasis whose tables it works on (the ledger's unless told). A
// year's current ledger (budget) is the rows of its latest load; an import replaces them
// whole. Call the writes inside the job's transaction (db::run_job under the costs lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "costing/allocation.hpp"
#include "costing/ledger.hpp"

namespace costcover::store {

using costing::CostBasis;

// The tables of a basis: {cost_ledger_load, cost_ledger, cost_ledger_reject} or the budget's.
struct LedgerTables {
  const char* load;
  const char* rows;
  const char* rejects;
};
[[nodiscard]] LedgerTables ledger_tables(CostBasis basis);

// One row of cost_ledger_load (cost_budget_load): an import that committed.
struct LedgerLoad {
  std::int64_t id = 0;
  int year = 0;
  std::string file_name;  // as given on the command line
  std::string file_hash;  // SHA-256 of the file's bytes
  std::int64_t file_bytes = 0;
  std::int64_t rows_read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  Money total;                                   // of the accepted rows
  std::optional<std::int64_t> replaced_load_id;  // the year's previous current load
};

// The year's latest load, whose rows are the year's ledger; nothing before the first import.
[[nodiscard]] std::optional<LedgerLoad> current_ledger_load(soci::session& session, int year,
                                                            CostBasis basis = CostBasis::ledger);

// Records a load (its id is ignored) for the job run; returns the new id.
[[nodiscard]] std::int64_t insert_ledger_load(soci::session& session, const LedgerLoad& load, std::int64_t job_run_id,
                                              CostBasis basis = CostBasis::ledger);

// Replaces the ledger rows of `year` with `rows` (line, row) of load `load_id`: DELETE the
// year's rows, then COPY. Other years are not touched.
void replace_ledger_rows(soci::session& session, int year, std::int64_t load_id,
                         const std::vector<std::pair<std::int64_t, costing::LedgerRow>>& rows,
                         CostBasis basis = CostBasis::ledger);

// Stores the rejected rows of load `load_id` (COPY).
void insert_ledger_rejects(soci::session& session, std::int64_t load_id,
                           const std::vector<costing::LedgerReject>& rejects, CostBasis basis = CostBasis::ledger);

struct LedgerSum {
  std::int64_t rows = 0;
  Money total;
};
// How many ledger rows the year holds and their sum.
[[nodiscard]] LedgerSum ledger_sum(soci::session& session, int year, CostBasis basis = CostBasis::ledger);

// The year's ledger summed per cost centre and account, ordered by both: what the costing
// engine allocates.
[[nodiscard]] std::vector<costing::LedgerTotal> ledger_totals(soci::session& session, int year,
                                                              CostBasis basis = CostBasis::ledger);

}  // namespace costcover::store
