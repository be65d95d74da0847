// costcover costs import: load the cost ledger CSV of one year, or with --budget its budget
// (see docs/costing-jobs.md).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/costs_import.hpp"

namespace costcover::cli {
namespace {

constexpr std::size_t kRejectsShown = 50;

int run_costs_import(Context& context, Args& args) {
  jobs::ImportOptions options;
  options.year = year_option(args);
  // --budget FILE.csv (or --budget=FILE.csv) names the budget; the ledger is the positional file.
  if (const auto budget = args.option("--budget")) {
    if (budget->empty() || budget->front() == '-') throw UsageError("--budget needs a file: --budget FILE.csv");
    options.basis = costing::CostBasis::budget;
    options.file = *budget;
    args.positionals(0, 0);
  } else {
    options.file = args.positionals(1, 1)[0];
  }
  const std::string_view basis = costing::to_string(options.basis);
  options.parameters_json =
      fmt::format(R"({{"year":{},"file":{},"basis":"{}"}})", options.year, db::json_string(options.file), basis);
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::ImportReport report = jobs::import_ledger(*session, options);
  if (report.unchanged) {
    std::cout << fmt::format(
        "{}: unchanged, nothing to do: the same file (sha256 {}) is already the {} of {} (load {}: read {} = "
        "accepted {} + rejected {}; total {})\n",
        options.file, report.file_hash.substr(0, 12), basis, options.year, report.load_id, report.rows_read,
        report.accepted, report.rejected, report.total.to_display());
    return 0;
  }
  std::cout << fmt::format("{}: {} {} load {}: read {} = accepted {} + rejected {}; total {}\n", options.file, basis,
                           options.year, report.load_id, report.rows_read, report.accepted, report.rejected,
                           report.total.to_display());
  if (report.replaced_load_id > 0) {
    std::cout << fmt::format("  replaces the {} of {} from load {}\n", basis, options.year, report.replaced_load_id);
  }
  std::size_t shown = 0;
  for (const auto& reject : report.rejects) {
    if (shown++ == kRejectsShown) {
      std::cout << fmt::format("  ... {} more in table {} (load_id {})\n", report.rejects.size() - kRejectsShown,
                               report.reject_table, report.load_id);
      break;
    }
    std::cout << fmt::format("  {}:{}: {}: {} [{}]\n", options.file, reject.line, reject.field, reject.reason,
                             reject.reason_code);
  }
  if (report.rows_read != report.accepted + report.rejected) {
    throw InvariantError("read " + std::to_string(report.rows_read) + " != accepted + rejected");
  }
  return 0;
}

COSTCOVER_COMMAND("costs import", "load the cost ledger (or the budget) CSV of a year",
                  "Usage: costcover costs import --year YYYY FILE.csv\n"
                  "       costcover costs import --year YYYY --budget FILE.csv\n\n"
                  "Loads the cost ledger of year YYYY (see docs/formats.md: period,cost_centre,account,amount;\n"
                  "period YYYY-MM, amount in euros with at most 2 decimals, negative for credits).\n"
                  "With --budget FILE.csv (or --budget=FILE.csv) the file is instead the budget of YYYY,\n"
                  "the costs planned for the year, in the same format: it gets the same checks, history\n"
                  "and output, but is kept apart from the ledger (tables cost_budget_load, cost_budget,\n"
                  "cost_budget_reject) and is read only by `costcover prices propose --year YYYY --budget`.\n"
                  "A row is rejected, with its line, field and reason, when its period is not a month of\n"
                  "YYYY, its cost centre is not in the cost model of YYYY (contracts/costs/YYYY.yaml, as\n"
                  "stored by `costcover contracts load`), its account is empty, its amount is not a number\n"
                  "or has more than 2 decimals, it has not 4 fields, or it is not valid UTF-8. The other\n"
                  "rows load. Rejected rows are listed here and kept in table cost_ledger_reject\n"
                  "(cost_budget_reject for a budget).\n\n"
                  "The file replaces the whole ledger (budget) of YYYY, and nothing else, in one\n"
                  "transaction; the same file again (same SHA-256) changes nothing. A file whose rows are\n"
                  "all rejected is refused and the ledger (budget) is left as it was.\n"
                  "Prints: read N = accepted A + rejected R. Exit status 0 when the ledger loaded (even\n"
                  "with rejected rows), 1 when it did not, 2 on a usage error.\n",
                  run_costs_import);

}  // namespace
}  // namespace costcover::cli
