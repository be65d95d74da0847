// costcover costs import: load the cost ledger CSV of one year (see docs/costing-jobs.md).
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
  options.file = args.positionals(1, 1)[0];
  options.parameters_json = fmt::format(R"({{"year":{},"file":{}}})", options.year, db::json_string(options.file));
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::ImportReport report = jobs::import_ledger(*session, options);
  if (report.unchanged) {
    std::cout << fmt::format(
        "{}: unchanged, nothing to do: the same file (sha256 {}) is already the ledger of {} (load {}: read {} = "
        "accepted {} + rejected {}; total {})\n",
        options.file, report.file_hash.substr(0, 12), options.year, report.load_id, report.rows_read, report.accepted,
        report.rejected, report.total.to_display());
    return 0;
  }
  std::cout << fmt::format("{}: ledger {} load {}: read {} = accepted {} + rejected {}; total {}\n", options.file,
                           options.year, report.load_id, report.rows_read, report.accepted, report.rejected,
                           report.total.to_display());
  if (report.replaced_load_id > 0) {
    std::cout << fmt::format("  replaces the ledger of {} from load {}\n", options.year, report.replaced_load_id);
  }
  std::size_t shown = 0;
  for (const auto& reject : report.rejects) {
    if (shown++ == kRejectsShown) {
      std::cout << fmt::format("  ... {} more in table cost_ledger_reject (load_id {})\n",
                               report.rejects.size() - kRejectsShown, report.load_id);
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

COSTCOVER_COMMAND("costs import", "load the cost ledger CSV of a year",
                  "Usage: costcover costs import --year YYYY FILE.csv\n\n"
                  "Loads the centre's cost ledger of year YYYY (formats.md: period,cost_centre,account,amount;\n"
                  "period YYYY-MM, amount in euros with at most 2 decimals, negative for credits).\n"
                  "A row is rejected, with its line, field and reason, when its period is not a month of\n"
                  "YYYY, its cost centre is not in the cost model of YYYY (contracts/costs/YYYY.yaml, as\n"
                  "stored by `costcover contracts load`), its account is empty, its amount is not a number\n"
                  "or has more than 2 decimals, it has not 4 fields, or it is not valid UTF-8. The other\n"
                  "rows load. Rejected rows are listed here and kept in table cost_ledger_reject.\n\n"
                  "The file replaces the whole ledger of YYYY (and nothing else) in one transaction; the\n"
                  "same file again (same SHA-256) changes nothing. A file whose rows are all rejected is\n"
                  "refused and the ledger is left as it was.\n"
                  "Prints: read N = accepted A + rejected R. Exit status 0 when the ledger loaded (even\n"
                  "with rejected rows), 1 when it did not, 2 on a usage error.\n",
                  run_costs_import);

}  // namespace
}  // namespace costcover::cli
