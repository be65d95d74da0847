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
  source.year = year;
  source.ledger_file = fs::path(in.ledger.load.file_name).filename().string();
  source.ledger_sha256 = in.ledger.load.file_hash;
  source.ledger_rows = in.ledger.load.accepted;
  source.ledger_total = in.ledger.load.total;
  source.cost_model_file = in.model->source_file;
  source.cost_model_sha256 = in.model_sha256;
  source.method = in.model->method;
  source.imputed_interest = in.allocation.imputed_interest;
  source.settlement_recorded = report.settlement_recorded;
  source.carried = report.carried;
  return source;
}

// The proposal's figures: unit costs, the carried differences, the prices and the what-if.
void propose(soci::session& session, const YearInputs& in, int year, ProposeReport& report) {
  report.unit_costs = costing::unit_cost_rows(in.allocation, *in.model);
  const auto recorded = store::recorded_settlement(session, year);
  report.settlement_recorded = !recorded.empty();
  report.carried = costing::carried_differences(recorded, in.contracts.catalog);
  report.proposed = costing::adjusted_prices(report.unit_costs, report.carried);
  const model::PriceList* current = in.contracts.price_list(year);
  report.what_if =
      costing::price_what_if(costing::forecast_volumes(in.contracts, report.price_year),
                             current != nullptr ? current->prices : costing::PriceTable{}, report.proposed);
}

void write_files(const YearInputs& in, const ProposeOptions& options, ProposeReport& report) {
  const fs::path dir(options.out_dir);
  const std::vector<std::pair<fs::path, std::string>> files = {
      {dir / "allocation.csv", render::allocation_csv(costing::allocation_rows(in.allocation))},
      {dir / "unit_costs.csv", render::unit_costs_csv(report.unit_costs)},
      {dir / "prices" / (std::to_string(report.price_year) + ".yaml"),
       render::price_list_yaml(report.price_year, render::price_list_basis(options.year), report.proposed,
                               render::price_list_header(price_list_source(in, report, options.year)))},
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
    report.price_year = options.year + 1;
    report.job_run_id = run.run_id();
    run.step("reading the ledger, the cost model and the contracts");
    const YearInputs in = read_year_inputs(session, options.year);
    run.set_inputs(inputs_json(in));
    propose(session, in, options.year, report);
    write_files(in, options, report);
    run.count("services", static_cast<std::int64_t>(report.proposed.size()));
    run.count("carried", static_cast<std::int64_t>(report.carried.size()));
    run.count("what_if_rows", static_cast<std::int64_t>(report.what_if.size()));
    run.set_message(fmt::format("prices {} proposed for {} services", report.price_year, report.proposed.size()));
  });
  return report;
}

}  // namespace costcover::jobs
