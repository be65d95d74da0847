// What the yearly cost jobs (`prices propose`, jobs/propose.hpp, and `settle`,
// jobs/settle.hpp) both read: the cost model from the stored contracts and the ledger from
// cost_ledger (or, for `prices propose --budget`, the budget from cost_budget), never from
// files, and the allocation of the one by the other. Each job records these inputs (the
// ledger's or budget's load, the files' SHA-256) in its job_run.
// docs/costing-jobs.md has the rules.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "costing/allocation.hpp"
#include "costing/ledger.hpp"
#include "model/model.hpp"
#include "store/ledger.hpp"

namespace costcover::jobs {

// The year's cost model among the stored contracts; InputError when there is none.
[[nodiscard]] const model::CostModel& require_cost_model(const model::ContractSet& contracts, int year);

// The year's current ledger (or budget): its load and its totals per cost centre and account.
struct StoredLedger {
  costing::CostBasis basis = costing::CostBasis::ledger;
  store::LedgerLoad load;
  std::vector<costing::LedgerTotal> totals;  // sum to load.total
};

struct YearInputs {
  model::ContractSet contracts;
  const model::CostModel* model = nullptr;  // in contracts
  std::string model_sha256;                 // of the cost model's stored file
  StoredLedger ledger;
  costing::Allocation allocation;  // of the ledger by the model, services in catalog order
};

// InputError when the year has no cost model or no ledger (budget) in the database;
// InvariantError when the ledger's rows no longer sum to its load's total.
[[nodiscard]] YearInputs read_year_inputs(soci::session& session, int year,
                                          costing::CostBasis basis = costing::CostBasis::ledger);

// The job_run inputs: the ledger load, file, SHA-256 and total (budget_load, budget_file, ...
// for a budget), the cost model and its SHA-256.
[[nodiscard]] std::string inputs_json(const YearInputs& in);

}  // namespace costcover::jobs
