// costcover nightly: recount daily volumes for what the loads touched.
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/nightly.hpp"

namespace costcover::cli {
namespace {

int run_nightly(Context& context, Args& args) {
  jobs::NightlyOptions options;
  options.up_to = date_option(args, "--date");
  options.wait = !args.flag("--no-wait");
  args.positionals(0, 0);
  options.parameters_json =
      "{\"date\":" + (options.up_to ? db::json_string(format_date(*options.up_to)) : std::string("null")) +
      ",\"wait\":" + (options.wait ? "true" : "false") + "}";
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::NightlyReport report = jobs::run_nightly(*session, options);
  std::cout << fmt::format(
      "nightly: recounted {} agency/service/day keys ({} transactions): {} daily volume rows, "
      "{} written, {} removed\n",
      report.keys, report.transactions, report.groups, report.written, report.removed);
  if (report.still_dirty > 0) {
    std::cout << fmt::format("  {} keys after {} are left for a later run\n", report.still_dirty,
                             options.up_to ? format_date(*options.up_to) : "");
  }
  return 0;
}

COSTCOVER_COMMAND("nightly", "count daily volumes and processing times of newly loaded transactions",
                  "Usage: costcover nightly [--date YYYY-MM-DD] [--no-wait]\n\n"
                  "Recounts daily_volume (per agency, service, Helsinki day of delivered_at, tag set and\n"
                  "processing time in Finnish business days) for exactly the keys that loads touched since\n"
                  "the last run: new rows, late arrivals and cancellations. One transaction: killed at any\n"
                  "point, nothing of it remains. Running it again changes nothing.\n\n"
                  "  --date D     count only touched days up to and including D; later days stay marked\n"
                  "               for a later run (default: every touched day)\n"
                  "  --no-wait    exit with status 1 at once if another nightly is running (default: wait)\n",
                  run_nightly);

}  // namespace
}  // namespace costcover::cli
