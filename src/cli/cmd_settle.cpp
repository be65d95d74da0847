// costcover settle: the year's cost-revenue matching calculation and the zero-result
// settlement (see docs/costing-jobs.md).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/settle.hpp"
#include "render/locale.hpp"
#include "render/tables.hpp"

namespace costcover::cli {
namespace {

int run_settle(Context& context, Args& args) {
  jobs::SettleOptions options;
  options.year = year_option(args);
  options.out_dir = args.option("--out").value_or(fmt::format("out/{}", options.year));
  options.force = args.flag("--force");
  if (const auto language = args.option("--language")) {
    const auto parsed = render::parse_language(*language);
    if (!parsed) throw UsageError("--language \"" + *language + "\" is not one of fi, sv, en");
    options.language = *parsed;
  }
  args.positionals(0, 0);
  options.parameters_json = fmt::format(R"({{"year":{},"out":{},"force":{},"language":"{}"}})", options.year,
                                        db::json_string(options.out_dir), options.force ? "true" : "false",
                                        render::to_string(options.language));
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::SettleReport report = jobs::run_settle(*session, options);
  std::cout << fmt::format("Cost-revenue matching {} (job run {}):\n", options.year, report.job_run_id)
            << render::settle_table(report.matching, report.plans) << render::centre_result_table(report.result);
  if (report.replaced_drafts > 0) {
    std::cout << fmt::format("replaced {} settlement draft(s) of an earlier run\n", report.replaced_drafts);
  }
  if (report.invoices > 0) {
    std::cout << fmt::format(
        "{} settlement draft invoice(s) of period {}-12 with {} line(s), net {}; review them "
        "and run `costcover finalize --period {}-12`\n",
        report.invoices, options.year, report.lines, report.drafted.to_display(), options.year);
  } else {
    std::cout << "no settlement drafts\n";
  }
  for (const auto& file : report.files) std::cout << "wrote " << file << '\n';
  return 0;
}

COSTCOVER_COMMAND("settle", "cost-revenue matching of a year and the zero-result settlement",
                  "Usage: costcover settle --year YYYY [--out DIR] [--force] [--language fi|sv|en]\n\n"
                  "Compares, per service, the revenue the year's final invoices billed (periods YYYY-01\n"
                  "to YYYY-12, credit notes included, settlement lines excluded; fees and charges in the\n"
                  "service they pay for) with the cost the cost model of YYYY allocates to it from the\n"
                  "ledger of YYYY, and writes DIR/matching.csv and DIR/matching.html (default DIR:\n"
                  "out/YYYY). matching.html is the calculation as the centre publishes it\n"
                  "(kustannusvastaavuuslaskelma): revenue and each cost item as rows, the service areas\n"
                  "and their services as columns, YYYY beside YYYY-1 when the database has that year's\n"
                  "cost model, ledger and final invoices, the settlement and the result after it; in\n"
                  "--language (default fi), for A4 landscape in print.\n\n"
                  "With settlement.mode settle, a difference above threshold_percent of the revenue is\n"
                  "settled: draft invoices of period YYYY-12 with one `settlement` line per agency and\n"
                  "service, in proportion to what the agency was invoiced for it (a surplus credited, a\n"
                  "deficit charged; the lines sum to the difference to the cent). They are finalised like\n"
                  "any draft: costcover finalize --period YYYY-12. Other differences are carried forward\n"
                  "and `costcover prices propose --year YYYY` puts them into next year's prices.\n"
                  "An agency whose settlement lines in a VAT group sum to a credit gets a credit note\n"
                  "(kind credit_note, crediting no invoice), finalised and numbered the same way.\n"
                  "Prints the centre's result after the settlement, revenue + settlement - cost, which\n"
                  "is what is carried forward (0.00 when every difference is settled).\n"
                  "Running settle again replaces its drafts; after a finalised settlement it adds only\n"
                  "what changed. Refused (exit 1, matching files still written) while draft invoices of\n"
                  "the year exist, or while a month of the year has no final invoice unless --force.\n"
                  "The columns of matching.csv: see docs/formats.md.\n",
                  run_settle);

}  // namespace
}  // namespace costcover::cli
