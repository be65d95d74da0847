// The yearly costing jobs around the pure engine (src/costing/): what both read (the cost
// model from the stored contracts and the ledger from cost_ledger, never from files, and
// their allocation), and `settle` (the cost-revenue matching calculation against the year's
// final invoices, and the settlement drafts or the carried differences); `prices propose`
// is jobs/propose.hpp. Both record a job_run with their inputs' hashes.
// docs/costing-jobs.md has the rules and decisions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "db/job.hpp"

#include "core/money.hpp"
#include "costing/costing.hpp"
#include "model/model.hpp"
#include "store/ledger.hpp"

namespace costcover::jobs {

// ---- the year's inputs -----------------------------------------------------------------

// The year's cost model among the stored contracts; InputError when there is none.
[[nodiscard]] const model::CostModel& require_cost_model(const model::ContractSet& contracts, int year);

// The year's current ledger: its load and its totals per cost centre and account.
struct StoredLedger {
  store::LedgerLoad load;
  std::vector<costing::LedgerTotal> totals;  // sum to load.total
};

// What both yearly jobs read: the stored contracts, the year's cost model (and its file's
// SHA-256), the current ledger, and the allocation of the ledger by the model (services
// in catalog order).
struct YearInputs {
  model::ContractSet contracts;
  const model::CostModel* model = nullptr;  // in contracts
  StoredLedger ledger;
  std::string model_sha256;
  costing::Allocation allocation;
};

// InputError when the year has no cost model or no ledger in the database.
[[nodiscard]] YearInputs read_year_inputs(soci::session& session, int year);

// The job_run inputs: the ledger load, file, SHA-256 and total, the cost model and its SHA-256.
[[nodiscard]] std::string inputs_json(const YearInputs& in);

// ---- settlement --------------------------------------------------------------------------

struct SettleOptions {
  int year = 0;
  std::string out_dir;
  bool force = false;  // settle although some month of the year has no final invoice
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct SettleReport {
  std::vector<costing::MatchingRow> matching;
  std::vector<costing::SettlementPlan> plans;  // one per service row
  Money other_revenue;                         // fees and charges (no service): not matched
  bool blocked = false;                        // nothing written to the database but job_run
  std::string blocked_reason;
  int replaced_drafts = 0;  // settlement drafts of an earlier run deleted
  int invoices = 0;         // settlement drafts created
  int lines = 0;
  Money drafted;  // net sum of the settlement lines created
  std::vector<std::string> files;
  std::int64_t job_run_id = 0;
};

// Writes DIR/matching.csv and DIR/matching.html; records the decisions in cost_settlement;
// with mode settle replaces the year's settlement drafts (period YEAR-12). Throws
// InputError when the year cannot be settled (drafts of the year not final, months without
// final invoices unless forced): the files are written, the database is left as it was.
[[nodiscard]] SettleReport run_settle(soci::session& session, const SettleOptions& options);

}  // namespace costcover::jobs
