// costcover bill: the monthly billing run (draft invoices), see jobs/bill.hpp.
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/bill.hpp"
#include "render/tables.hpp"
#include "store/invoices.hpp"

namespace costcover::cli {
namespace {

int run_bill(Context& context, Args& args) {
  jobs::BillingOptions options;
  options.period = month_option(args);
  options.agency = agency_option(args);
  options.dry_run = args.flag("--dry-run");
  options.force = args.flag("--force");
  options.early = args.flag("--early");
  args.positionals(0, 0);
  options.parameters_json = "{\"period\":" + db::json_string(options.period.to_string()) +
                            ",\"agency\":" + (options.agency ? db::json_string(*options.agency) : "null") +
                            ",\"force\":" + (options.force ? "true" : "false") +
                            ",\"early\":" + (options.early ? "true" : "false") + "}";
  options.connection_string = db::resolve_connection_string(context.db);
  auto session = db::connect(options.connection_string);
  check_known_agency(*session, options.agency);
  options.today = store::helsinki_today(*session);
  const auto report = jobs::run_billing(*session, options);
  std::cout << render::billing_table(report);
  if (options.dry_run && !options.early && jobs::month_not_ended(options.period, options.today)) {
    std::cerr << fmt::format(
        "costcover bill: note: {} has not ended (today is {} in Helsinki); writing its drafts needs --early\n",
        options.period.to_string(), format_date(options.today));
  }
  if (report.blocked && !options.dry_run) {
    std::cerr << (report.readiness.uncounted_days > 0
                      ? "costcover bill: drafts refused: the month has input the nightly job has not counted (see "
                        "above); run `costcover nightly` first (--force does not override this)\n"
                      : fmt::format("costcover bill: drafts refused: the month has unresolved rejected rows (see "
                                    "above); see `costcover rejects list --period {}`, resolve them with "
                                    "`costcover rejects resolve`, or use --force\n",
                                    options.period.to_string()));
    return 1;
  }
  return 0;
}

COSTCOVER_COMMAND("bill", "make the month's draft invoices (replaces earlier drafts, never touches final ones)",
                  "Usage: costcover bill --period YYYY-MM [--agency ID] [--dry-run] [--early] [--force]\n\n"
                  "Rates every agency with an agreement in force in the month (the stored contracts and the\n"
                  "daily volumes the nightly job counted), adds correction lines for transactions cancelled or\n"
                  "arriving late for months already finalised, and replaces the month's draft invoices in one\n"
                  "transaction. Final invoices are never touched; an agency whose month is already final is\n"
                  "skipped. An agency using services with and without VAT gets two invoices (EN 16931).\n"
                  "Prints the per-agency summary: invoices, lines, net total, change from last month, findings.\n\n"
                  "  --agency ID   bill only this agency\n"
                  "  --dry-run     rate and print the summary, write nothing\n"
                  "  --early       bill a month that has not ended yet (today in Helsinki is on or before its\n"
                  "                last day); without it, bill refuses such a month (a dry run says so)\n"
                  "  --force       write drafts although the month has unresolved rejected rows (see `costcover\n"
                  "                rejects list`); without it, bill refuses (exit status 1). Input the nightly job\n"
                  "                has not counted always refuses: run `costcover nightly` first\n"
                  "Line descriptions name the services in each agency's language (agencies.yaml language).\n",
                  run_bill);

}  // namespace
}  // namespace costcover::cli
