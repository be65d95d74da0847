// costcover prices propose: next year's cost-covering prices from the year's cost ledger,
// or with --budget the year's own prices from its budget (see docs/costing-jobs.md).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/propose.hpp"
#include "render/tables.hpp"

namespace costcover::cli {
namespace {

int run_prices_propose(Context& context, Args& args) {
  jobs::ProposeOptions options;
  options.year = year_option(args);
  if (args.flag("--budget")) options.basis = costing::CostBasis::budget;
  options.out_dir = args.required("--out");
  args.positionals(0, 0);
  const bool budget = options.basis == costing::CostBasis::budget;
  options.parameters_json = fmt::format(R"({{"year":{},"out":{},"basis":"{}"}})", options.year,
                                        db::json_string(options.out_dir), costing::to_string(options.basis));
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::ProposeReport report = jobs::run_propose(*session, options);
  std::cout << fmt::format("Proposed prices for {} from the {} and cost model of {} (job run {}):\n", report.price_year,
                           costing::to_string(options.basis), options.year, report.job_run_id);
  std::cout << render::unit_costs_table(report.unit_costs, report.proposed);
  if (budget && report.settled_year == 0) {
    std::cout << fmt::format("  note: no year before {} has been settled; no carried differences included\n",
                             options.year);
  } else if (!report.settlement_recorded) {
    std::cout << fmt::format("  note: `costcover settle --year {}` has not run; no carried differences included\n",
                             report.settled_year);
  }
  for (const auto& c : report.carried) {
    std::cout << fmt::format("  {}: {} {} of {} carried forward into the price\n", c.service,
                             c.surplus > Money() ? "surplus" : "deficit", c.surplus.to_display(), report.settled_year);
  }
  std::cout << fmt::format("\nWhat each agency would pay in {} at its forecast volumes (list-priced services):\n",
                           report.price_year)
            << render::what_if_table(report.what_if) << '\n';
  for (const auto& file : report.files) std::cout << "wrote " << file << '\n';
  return 0;
}

COSTCOVER_COMMAND("prices propose",
                  "propose next year's cost-covering prices from the year's cost ledger, or a year's from its budget",
                  "Usage: costcover prices propose --year YYYY --out DIR\n"
                  "       costcover prices propose --year YYYY --budget --out DIR\n\n"
                  "Allocates the cost ledger of YYYY (costcover costs import) by the cost model of YYYY\n"
                  "(contracts/costs/YYYY.yaml, as stored by costcover contracts load) and writes:\n"
                  "  DIR/allocation.csv          the cost centres: own cost, received, allocated out, total\n"
                  "  DIR/unit_costs.csv          per service: costs, forecast volume, unit cost, price\n"
                  "  DIR/prices/<YYYY+1>.yaml    the proposed price list for the NEXT year, with a header\n"
                  "                              naming the ledger, the cost model and the volumes\n"
                  "  DIR/what_if.csv             each agency's year at its forecast volumes (agreement in\n"
                  "                              force on 1 January of YYYY+1) under the price list of\n"
                  "                              YYYY and under the proposal\n"
                  "Differences that `costcover settle --year YYYY` carried forward are put into the\n"
                  "proposed prices (so run settle first). The same inputs always give the same files.\n\n"
                  "--budget: the prices of YYYY ITSELF, before the year starts: allocates the budget of\n"
                  "YYYY (costcover costs import --year YYYY --budget FILE.csv) by the same cost model of\n"
                  "YYYY, divided by its forecast_volumes, and writes the same four files, the price list\n"
                  "as DIR/prices/<YYYY>.yaml (its basis names the budget) and the what-if against the\n"
                  "price list of YYYY-1. The differences carried forward by the latest year before YYYY\n"
                  "that `costcover settle` has run for are put into the prices. No ledger or\n"
                  "transaction of YYYY is needed.\n"
                  "The columns of each file: see docs/formats.md.\n",
                  run_prices_propose);

}  // namespace
}  // namespace costcover::cli
