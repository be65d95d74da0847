#include "jobs/propose.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <utility>

#include "jobs/files.hpp"
#include "jobs/yearly.hpp"
#include "render/costing_csv.hpp"
#include "store/costing.hpp"

namespace costcover::jobs {
namespace {

namespace fs = std::filesystem;

render::PriceListSource price_list_source(const YearInputs& in, const ProposeReport& report, int year) {
  render::PriceListSource source;
  source.basis = report.basis;
  source.year = year;
  source.ledger_load = in.ledger.load.id;
  source.ledger_file = fs::path(in.ledger.load.file_name).filename().string();
  source.ledger_sha256 = in.ledger.load.file_hash;
  source.ledger_rows = in.ledger.load.accepted;
  source.ledger_total = in.ledger.load.total;
  source.cost_model_file = in.model->source_file;
  source.cost_model_sha256 = in.model_sha256;
  source.method = in.model->method;
  source.imputed_interest = in.allocation.imputed_interest;
  source.settled_year = report.settled_year;
  source.settlement_recorded = report.settlement_recorded;
  source.carried = report.carried;
  return source;
}

// The year whose settle decisions go into the prices: Y itself for the ledger of Y; for
// the budget of Y the latest settled year before Y (0: none).
int settled_year(soci::session& session, costing::CostBasis basis, int year) {
  if (basis == costing::CostBasis::ledger) return year;
  return store::latest_settled_year_before(session, year).value_or(0);
}

// The proposal's figures: unit costs, the carried differences, the prices and the what-if
// (against the price list of the year before the proposed one).
void propose(soci::session& session, const YearInputs& in, int year, ProposeReport& report) {
  report.unit_costs = costing::unit_cost_rows(in.allocation, *in.model);
  report.settled_year = settled_year(session, report.basis, year);
  const auto recorded = report.settled_year > 0 ? store::recorded_settlement(session, report.settled_year)
                                                : std::vector<costing::RecordedDecision>{};
  report.settlement_recorded = !recorded.empty();
  report.carried = costing::carried_differences(recorded, in.contracts.catalog);
  report.proposed = costing::adjusted_prices(report.unit_costs, report.carried);
  const model::PriceList* current = in.contracts.price_list(report.price_year - 1);
  report.what_if =
      costing::price_what_if(costing::forecast_volumes(in.contracts, report.price_year),
                             current != nullptr ? current->prices : costing::PriceTable{}, report.proposed);
}

void write_files(const YearInputs& in, const ProposeOptions& options, ProposeReport& report) {
  const fs::path dir(options.out_dir);
  const render::PriceListSource source = price_list_source(in, report, options.year);
  const std::vector<std::pair<fs::path, std::string>> files = {
      {dir / "allocation.csv", render::allocation_csv(costing::allocation_rows(in.allocation))},
      {dir / "unit_costs.csv", render::unit_costs_csv(report.unit_costs)},
      {dir / "prices" / (std::to_string(report.price_year) + ".yaml"),
       render::price_list_yaml(report.price_year, render::price_list_basis(source), report.proposed,
                               render::price_list_header(source))},
      {dir / "what_if.csv", render::price_what_if_csv(report.what_if)},
  };
  for (const auto& [path, content] : files) {
    write_file_atomically(path, content);
    report.files.push_back(path.string());
  }
}

}  // namespace

ProposeReport run_propose(soci::session& session, const ProposeOptions& options) {
  ProposeReport report;
  db::JobSpec spec("prices propose", db::kCostsLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = ProposeReport{};  // the job may run again after a transient error
    report.basis = options.basis;
    report.price_year = costing::proposed_price_year(options.basis, options.year);
    report.job_run_id = run.run_id();
    run.step(fmt::format("reading the {}, the cost model and the contracts", costing::to_string(options.basis)));
    const YearInputs in = read_year_inputs(session, options.year, options.basis);
    run.set_inputs(inputs_json(in));
    propose(session, in, options.year, report);
    write_files(in, options, report);
    run.count("services", static_cast<std::int64_t>(report.proposed.size()));
    run.count("carried", static_cast<std::int64_t>(report.carried.size()));
    run.count("what_if_rows", static_cast<std::int64_t>(report.what_if.size()));
    run.set_message(fmt::format("prices {} proposed from the {} of {} for {} services", report.price_year,
                                costing::to_string(options.basis), options.year, report.proposed.size()));
  });
  return report;
}

}  // namespace costcover::jobs
