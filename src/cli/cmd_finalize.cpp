// costcover finalize: number the month's drafts and make them final (jobs/finalize.hpp).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/issue_date.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/finalize.hpp"
#include "render/tables.hpp"

namespace costcover::cli {
namespace {

int run_finalize(Context& context, Args& args) {
  jobs::FinalizeOptions options;
  options.period = month_option(args);
  options.agency = agency_option(args);
  const auto issue_date = date_option(args, "--issue-date");
  args.positionals(0, 0);
  auto session = db::connect(db::resolve_connection_string(context.db));
  check_known_agency(*session, options.agency);
  options.issue_date = resolve_issue_date(*session, issue_date);
  options.parameters_json = "{\"period\":" + db::json_string(options.period.to_string()) +
                            ",\"agency\":" + (options.agency ? db::json_string(*options.agency) : "null") +
                            ",\"issue_date\":" + db::json_string(format_date(options.issue_date)) + "}";
  const auto report = jobs::run_finalize(*session, options);
  if (report.uncounted_days > 0) {
    std::cerr << fmt::format(
        "costcover finalize: warning: {} agency/service/day key(s) of the month are not counted "
        "yet; they will come as corrections on a later invoice\n",
        report.uncounted_days);
  }
  if (report.invoices.empty()) {
    std::cout << "finalize " << options.period.to_string() << ": no draft invoices to finalise\n";
    return 0;
  }
  Money total;
  for (const auto& invoice : report.invoices) total += invoice.gross;
  std::cout << fmt::format("finalize {}: {} invoice(s) numbered {} .. {}, issued {}, gross total {} EUR\n",
                           options.period.to_string(), report.invoices.size(), report.invoices.front().number,
                           report.invoices.back().number, format_date(options.issue_date), total.to_display());
  std::cout << render::finalized_table(report.invoices);
  return 0;
}

COSTCOVER_COMMAND("finalize", "number the month's draft invoices and make them final (immutable)",
                  "Usage: costcover finalize --period YYYY-MM [--agency ID] [--issue-date YYYY-MM-DD]\n\n"
                  "Numbers the month's draft invoices gap-free in one sequence per year of the issue date\n"
                  "(YYYY-NNNNNN, in agency order), sets the issue date and the due date (issue date + the\n"
                  "agreement's payment_terms_days, moved to the next business day when it falls on a weekend\n"
                  "or holiday; credit notes have none) and makes them final in one transaction. From then on the\n"
                  "database refuses any change to them; corrections come as correction lines on the next\n"
                  "month's invoice, or as a credit note (costcover credit).\n\n"
                  "  --agency ID          finalise only this agency's drafts\n"
                  "  --issue-date D       the issue date, a business day (default: today in Helsinki if it is a\n"
                  "                       business day, else the next business day)\n",
                  run_finalize);

}  // namespace
}  // namespace costcover::cli
