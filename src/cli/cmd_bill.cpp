// costcover bill: the monthly billing run (draft invoices), see jobs/bill.hpp.
#include <iostream>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/bill.hpp"
#include "render/tables.hpp"

namespace costcover::cli {
namespace {

int run_bill(Context& context, Args& args) {
  jobs::BillingOptions options;
  options.period = month_option(args);
  options.agency = agency_option(args);
  if (const auto language = args.option("--language")) options.language = *language;
  options.dry_run = args.flag("--dry-run");
  options.force = args.flag("--force");
  args.positionals(0, 0);
  options.parameters_json = "{\"period\":" + db::json_string(options.period.to_string()) +
                            ",\"agency\":" + (options.agency ? db::json_string(*options.agency) : "null") +
                            ",\"force\":" + (options.force ? "true" : "false") + "}";
  options.connection_string = db::resolve_connection_string(context.db);
  auto session = db::connect(options.connection_string);
  check_known_agency(*session, options.agency);
  const auto report = jobs::run_billing(*session, options);
  std::cout << render::billing_table(report);
  if (report.blocked && !options.dry_run) {
    std::cerr << "costcover bill: drafts refused: the month has input the nightly job has not counted or unresolved "
                 "rejects (see above); run `costcover nightly` or use --force\n";
    return 1;
  }
  return 0;
}

COSTCOVER_COMMAND("bill", "make the month's draft invoices (replaces earlier drafts, never touches final ones)",
                  "Usage: costcover bill --period YYYY-MM [--agency ID] [--dry-run] [--force] [--language fi|en|sv]\n\n"
                  "Rates every agency with an agreement in force in the month (the stored contracts and the\n"
                  "daily volumes the nightly job counted), adds correction lines for transactions cancelled or\n"
                  "arriving late for months already finalised, and replaces the month's draft invoices in one\n"
                  "transaction. Final invoices are never touched; an agency whose month is already final is\n"
                  "skipped. An agency using services with and without VAT gets two invoices (EN 16931).\n"
                  "Prints the per-agency summary: invoices, lines, net total, change from last month, findings.\n\n"
                  "  --agency ID   bill only this agency\n"
                  "  --dry-run     rate and print the summary, write nothing\n"
                  "  --force       write drafts although the month has uncounted input (run `costcover nightly`)\n"
                  "                or unresolved rejected rows; without it, bill refuses (exit status 1)\n"
                  "  --language L  language of the service names in line descriptions (default en)\n",
                  run_bill);

}  // namespace
}  // namespace costcover::cli
