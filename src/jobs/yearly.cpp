#include "jobs/yearly.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "db/job.hpp"
#include "store/contracts.hpp"

namespace costcover::jobs {
namespace {

// The current ledger (budget) of the year: its load and its totals, which must sum to the load's.
StoredLedger read_ledger(soci::session& session, int year, costing::CostBasis basis) {
  auto load = store::current_ledger_load(session, year, basis);
  if (!load) {
    throw InputError(basis == costing::CostBasis::budget
                         ? fmt::format("no budget of {} in the database: run `costcover costs import --year {} "
                                       "--budget FILE.csv`",
                                       year, year)
                         : fmt::format("no cost ledger of {} in the database: run `costcover costs import --year {} "
                                       "FILE.csv`",
                                       year, year));
  }
  StoredLedger ledger{basis, std::move(*load), store::ledger_totals(session, year, basis)};
  Money sum;
  for (const auto& total : ledger.totals) sum += total.amount;
  if (sum != ledger.load.total) {
    throw InvariantError(fmt::format("the {} of {} sums to {} but its load {} recorded {}", costing::to_string(basis),
                                     year, sum.to_string(), ledger.load.id, ledger.load.total.to_string()));
  }
  return ledger;
}

}  // namespace

const model::CostModel& require_cost_model(const model::ContractSet& contracts, int year) {
  const model::CostModel* model = contracts.cost_model(year);
  if (model == nullptr) {
    throw InputError(
        fmt::format("no cost model for {} in the database: add contracts/costs/{}.yaml and run "
                    "`costcover contracts load`",
                    year, year));
  }
  return *model;
}

YearInputs read_year_inputs(soci::session& session, int year, costing::CostBasis basis) {
  YearInputs in;
  in.contracts = store::load_stored_contracts(session);
  in.model = &require_cost_model(in.contracts, year);
  in.model_sha256 = store::contract_file_hash(session, in.model->source_file);
  in.ledger = read_ledger(session, year, basis);
  costing::AllocationOptions options;
  for (const auto& service : in.contracts.catalog.services) options.service_order.push_back(service.id);
  in.allocation = costing::allocate_costs(*in.model, in.ledger.totals, options);
  return in;
}

std::string inputs_json(const YearInputs& in) {
  const store::LedgerLoad& load = in.ledger.load;
  return fmt::format(
      R"({{"{0}_load":{1},"{0}_file":{2},"{0}_sha256":"{3}","{0}_total":"{4}","cost_model":{5},"cost_model_sha256":"{6}"}})",
      costing::to_string(in.ledger.basis), load.id, db::json_string(load.file_name), load.file_hash,
      load.total.to_string(), db::json_string(in.model->source_file), in.model_sha256);
}

}  // namespace costcover::jobs
