#include "jobs/yearly.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "db/job.hpp"
#include "store/contracts.hpp"

namespace costcover::jobs {
namespace {

// The current ledger of the year: its load and its totals, which must sum to the load's.
StoredLedger read_ledger(soci::session& session, int year) {
  auto load = store::current_ledger_load(session, year);
  if (!load) {
    throw InputError(fmt::format(
        "no cost ledger of {} in the database: run `costcover costs import --year {} FILE.csv`", year, year));
  }
  StoredLedger ledger{std::move(*load), store::ledger_totals(session, year)};
  Money sum;
  for (const auto& total : ledger.totals) sum += total.amount;
  if (sum != ledger.load.total) {
    throw InvariantError(fmt::format("the ledger of {} sums to {} but its load {} recorded {}", year, sum.to_string(),
                                     ledger.load.id, ledger.load.total.to_string()));
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

YearInputs read_year_inputs(soci::session& session, int year) {
  YearInputs in;
  in.contracts = store::load_stored_contracts(session);
  in.model = &require_cost_model(in.contracts, year);
  in.model_sha256 = store::contract_file_hash(session, in.model->source_file);
  in.ledger = read_ledger(session, year);
  costing::AllocationOptions options;
  for (const auto& service : in.contracts.catalog.services) options.service_order.push_back(service.id);
  in.allocation = costing::allocate_costs(*in.model, in.ledger.totals, options);
  return in;
}

std::string inputs_json(const YearInputs& in) {
  const store::LedgerLoad& load = in.ledger.load;
  return fmt::format(
      R"({{"ledger_load":{},"ledger_file":{},"ledger_sha256":"{}","ledger_total":"{}","cost_model":{},"cost_model_sha256":"{}"}})",
      load.id, db::json_string(load.file_name), load.file_hash, load.total.to_string(),
      db::json_string(in.model->source_file), in.model_sha256);
}

}  // namespace costcover::jobs
