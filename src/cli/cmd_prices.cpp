// costcover prices propose: next year's cost-covering prices from the year's cost ledger
// (see docs/costing-jobs.md).
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
  options.out_dir = args.required("--out");
  args.positionals(0, 0);
  options.parameters_json = fmt::format(R"({{"year":{},"out":{}}})", options.year, db::json_string(options.out_dir));
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::ProposeReport report = jobs::run_propose(*session, options);
  std::cout << fmt::format("Proposed prices for {} from the ledger and cost model of {} (job run {}):\n",
                           report.price_year, options.year, report.job_run_id);
  std::cout << render::unit_costs_table(report.unit_costs, report.proposed);
  if (!report.settlement_recorded) {
    std::cout << fmt::format("  note: `costcover settle --year {}` has not run; no carried differences included\n",
                             options.year);
  }
  for (const auto& c : report.carried) {
    std::cout << fmt::format("  {}: {} {} carried forward into the price\n", c.service,
                             c.surplus > Money() ? "surplus" : "deficit", c.surplus.to_display());
  }
  std::cout << fmt::format("\nWhat each agency would pay in {} at its forecast volumes (list-priced services):\n",
                           report.price_year)
            << render::what_if_table(report.what_if) << '\n';
  for (const auto& file : report.files) std::cout << "wrote " << file << '\n';
  return 0;
}

COSTCOVER_COMMAND("prices propose", "propose next year's cost-covering prices from the year's cost ledger",
                  "Usage: costcover prices propose --year YYYY --out DIR\n\n"
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
                  "proposed prices (so run settle first). The same inputs always give the same files.\n",
                  run_prices_propose);

}  // namespace
}  // namespace costcover::cli
