// costcover credit: a credit note for a whole final invoice (jobs/credit.hpp).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/issue_date.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/credit.hpp"

namespace costcover::cli {
namespace {

int run_credit(Context& context, Args& args) {
  jobs::CreditOptions options;
  options.invoice_number = args.required("--invoice");
  options.reason = args.required("--reason");
  const auto issue_date = date_option(args, "--issue-date");
  args.positionals(0, 0);
  if (options.reason.empty()) throw UsageError("--reason must not be empty");
  auto session = db::connect(db::resolve_connection_string(context.db));
  options.issue_date = resolve_issue_date(*session, issue_date);
  options.parameters_json = "{\"invoice\":" + db::json_string(options.invoice_number) +
                            ",\"reason\":" + db::json_string(options.reason) +
                            ",\"issue_date\":" + db::json_string(format_date(options.issue_date)) + "}";
  const auto report = jobs::run_credit(*session, options);
  std::cout << fmt::format("credit note {} for invoice {}: net {} EUR, gross {} EUR (final)\n", report.number,
                           report.credited_number, report.net.to_display(), report.gross.to_display());
  return 0;
}

COSTCOVER_COMMAND("credit", "credit a whole final invoice with a credit note (final at once)",
                  "Usage: costcover credit --invoice NUMBER --reason TEXT [--issue-date YYYY-MM-DD]\n\n"
                  "Makes a credit note for the final invoice NUMBER: every line copied with negative quantity\n"
                  "and amount, pointing at the invoice, with the reason. The credit note is final at once and\n"
                  "takes the next number of the issue date's year. An invoice can be credited once.\n\n"
                  "  --issue-date D   the credit note's issue date, a business day (default: today in Helsinki if\n"
                  "                   it is a business day, else the next business day). A credit note\n"
                  "                   has no due date.\n",
                  run_credit);

}  // namespace
}  // namespace costcover::cli
